import assert from "node:assert/strict";
import { describe, it } from "node:test";
import fc from "fast-check";
import {
  databagDiff,
  desiredRequests,
  mangleUnitName,
  normalizeSans,
  requesterWrites,
  tidyPem,
  withdrawWrites,
} from "../../../src/certificates/request.ts";
import { encodeReactive as pythonJson } from "../../../src/util/python-json.ts";

const CSR = "-----BEGIN CERTIFICATE REQUEST-----\r\nMIIB\r\n-----END CERTIFICATE REQUEST-----\r\n";

describe("desiredRequests", () => {
  it("asks for one loopback server certificate for the authenticator by default", () => {
    assert.deepEqual(desiredRequests(), [
      { name: "authenticator", commonName: "aws-iam-authenticator", sans: ["127.0.0.1", "localhost"] },
    ]);
  });

  it("adds extra SANs and a second certificate, normalised", () => {
    const got = desiredRequests({
      extraSans: ["LocalHost", "10.0.0.1"],
      additional: [{ name: "webhook", commonName: "irsa", sans: ["b", "a", "a"] }],
    });
    assert.deepEqual(got[0]!.sans, ["10.0.0.1", "127.0.0.1", "localhost"]);
    assert.deepEqual(got[1]!.sans, ["a", "b"]);
  });

  it("refuses two requests with the same CN (legacy answers are keyed by CN)", () => {
    assert.throws(() =>
      desiredRequests({ additional: [{ name: "x", commonName: "aws-iam-authenticator", sans: [] }] }),
    );
  });
});

describe("normalizeSans", () => {
  it("is idempotent and sorted", () => {
    fc.assert(
      fc.property(fc.array(fc.string()), (sans) => {
        const once = normalizeSans(sans);
        assert.deepEqual(normalizeSans(once), once);
        assert.deepEqual([...once].sort(), once);
      }),
    );
  });
});

describe("requesterWrites", () => {
  const requests = desiredRequests({
    additional: [{ name: "webhook", commonName: "irsa", sans: ["localhost"] }],
  });

  it("publishes both protocols: legacy keys and one CSR element with ca=false, LF and trimmed", () => {
    const bag = requesterWrites({
      unitName: "aws-iam/0",
      requests,
      csrs: { authenticator: CSR },
      certificateName: "u-1",
    });
    assert.deepEqual(bag, {
      unit_name: "aws-iam_0",
      common_name: "aws-iam-authenticator",
      sans: '["127.0.0.1", "localhost"]',
      certificate_name: "u-1",
      cert_requests: '{"irsa": {"sans": ["localhost"]}}',
      certificate_signing_requests: JSON.stringify([
        {
          certificate_signing_request:
            "-----BEGIN CERTIFICATE REQUEST-----\nMIIB\n-----END CERTIFICATE REQUEST-----",
          ca: false,
        },
      ]),
    });
  });

  it("deletes keys it does not need (single request, no CSR yet)", () => {
    const bag = requesterWrites({
      unitName: "aws-iam/1",
      requests: requests.slice(0, 1),
      csrs: {},
      certificateName: "u",
    });
    assert.equal(bag["cert_requests"], "");
    assert.equal(bag["certificate_signing_requests"], "");
  });

  it("refuses to publish anything that looks like a private key", () => {
    const evil = "-----BEGIN PRIVATE KEY-----\nx\n-----END PRIVATE KEY-----";
    assert.throws(() =>
      requesterWrites({ unitName: "a/0", requests, csrs: { authenticator: evil }, certificateName: "u" }),
    );
  });

  it("never writes private key material for any request shape", () => {
    fc.assert(
      fc.property(fc.array(fc.domain(), { maxLength: 4 }), fc.ipV4(), (names, ip) => {
        const bag = requesterWrites({
          unitName: "aws-iam/0",
          requests: desiredRequests({ extraSans: [...names, ip] }),
          csrs: { authenticator: CSR },
          certificateName: "u",
        });
        assert.equal(
          Object.values(bag).some((v) => v.includes("PRIVATE KEY")),
          false,
        );
      }),
    );
  });
});

describe("withdrawWrites / databagDiff / helpers", () => {
  it("a non-requesting unit keeps only unit_name", () => {
    const bag = withdrawWrites("aws-iam/2");
    assert.equal(bag["unit_name"], "aws-iam_2");
    assert.equal(bag["common_name"], "");
  });

  it("diff writes only changed keys and deletes present ones", () => {
    assert.deepEqual(
      databagDiff({ a: "1", b: "2", "ingress-address": "x" }, { a: "1", b: "", c: "3", d: "" }),
      { b: "", c: "3" },
    );
  });

  it("mangles unit names and tidies PEM", () => {
    assert.equal(mangleUnitName("aws-iam/10"), "aws-iam_10");
    assert.equal(tidyPem("a\r\nb\r\n\n"), "a\nb");
  });

  it("formats JSON like Python json.dumps(sort_keys=True)", () => {
    assert.equal(pythonJson({ b: [1, "é"], a: null }), '{"a": null, "b": [1, "\\u00e9"]}');
  });
});
