import assert from "node:assert/strict";
import { before, describe, it } from "node:test";
import { normaliseCaPem } from "../../../src/control-plane/ca-pem.ts";
import { makeTestCerts, type TestCerts } from "./certs-fixture.ts";

describe("normaliseCaPem", () => {
  let certs: TestCerts;
  before(() => {
    certs = makeTestCerts();
  });

  it("accepts a CA and returns the same bytes for equivalent input", () => {
    const a = normaliseCaPem(certs.caPem, "CA");
    const b = normaliseCaPem(`\n\n${certs.caPem.replaceAll("\n", "\r\n")}   `, "CA");
    assert.equal(a, b);
    assert.equal(a, `${certs.caPem.trim()}\n`);
  });

  it("keeps every certificate of a CA bundle", () => {
    const out = normaliseCaPem(certs.caPem + certs.otherCaPem, "bundle");
    assert.equal(out.match(/BEGIN CERTIFICATE/g)?.length, 2);
  });

  it("refuses the leaf certificate (the old charm's mistake)", () => {
    assert.throws(() => normaliseCaPem(certs.leafPem, "webhook CA"), /certificate 1 \(CN=leaf\) is not a CA/);
    assert.throws(() => normaliseCaPem(certs.caPem + certs.leafPem, "webhook CA"), /certificate 2/);
  });

  it("refuses input with no certificate or a corrupt one", () => {
    assert.throws(() => normaliseCaPem("hello", "CA"), /contains no PEM certificate/);
    const corrupt = "-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n";
    assert.throws(() => normaliseCaPem(corrupt, "CA"), /does not parse/);
  });
});
