import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { redact } from "../../../src/util/redact.ts";

describe("redact", () => {
  it("removes PEM blocks of any kind, keeping their label", () => {
    const text = "key: -----BEGIN RSA PRIVATE KEY-----\nMIIEow\n-----END RSA PRIVATE KEY----- done";
    assert.equal(redact(text), "key: <rsa private key redacted> done");
  });

  it("removes a PEM block that was cut off before its END line", () => {
    assert.equal(redact("x -----BEGIN PRIVATE KEY-----\nMIIEvQ"), "x <private key redacted>");
  });

  it("removes AWS IAM tokens and bearer tokens", () => {
    assert.equal(redact("token k8s-aws-v1.aHR0cHM6Ly9zdHM"), "token k8s-aws-v1.<redacted>");
    assert.equal(redact("Authorization: Bearer abcdefgh12345678"), "Authorization: Bearer <redacted>");
    assert.equal(redact('{"token":"abcdefgh12345678"}'), '{"token":"<redacted>"}');
  });

  it("leaves ordinary text alone", () => {
    assert.equal(redact("waiting for kubernetes-control-plane/0"), "waiting for kubernetes-control-plane/0");
  });
});
