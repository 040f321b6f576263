import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { createCsrPem, generatePrivateKeyPem } from "../../../src/certificates/keys.ts";
import { containsPrivateKey, pemBlocks } from "../../../src/certificates/pem.ts";
import { type CertificateRequest, desiredRequests } from "../../../src/certificates/request.ts";
import { parseAnswers } from "../../../src/certificates/response.ts";

const webhook: CertificateRequest = { name: "webhook", commonName: "irsa", sans: ["localhost"] };
const requests = desiredRequests({ additional: [webhook] });
const key = generatePrivateKeyPem();
const csr = createCsrPem(requests[0]!, key);
const otherCsr = createCsrPem(requests[0]!, key);
const PEM = (tag: string) => `-----BEGIN CERTIFICATE-----\n${tag}\n-----END CERTIFICATE-----`;
const base = { unitName: "aws-iam/0", requests, csrs: { authenticator: csr }, remoteApp: "p" };

describe("pemBlocks", () => {
  it("skips easyrsa's text dump and keeps every block in order", () => {
    const text = `Certificate:\n    Data:\n        Version: 3 (0x2)\r\n${PEM("A")}\r\n${PEM("B")}\n`;
    assert.deepEqual(pemBlocks(text), [PEM("A"), PEM("B")]);
    assert.equal(containsPrivateKey("-----BEGIN RSA PRIVATE KEY-----"), true);
    assert.equal(containsPrivateKey(PEM("A")), false);
  });
});

describe("parseAnswers — legacy", () => {
  it("reads the top-level answer and processed_requests, ca and chain, per provider unit", () => {
    const got = parseAnswers({
      ...base,
      remoteAppData: {},
      remoteUnitData: {
        "vault/0": {
          ca: PEM("CA"),
          chain: `${PEM("I")}\n${PEM("CA")}`,
          "aws-iam_0.server.cert": `Certificate:\n  dump\n${PEM("L")}\n`,
          "aws-iam_0.server.key": "K\r\n",
          "aws-iam_0.processed_requests": JSON.stringify({ irsa: { cert: PEM("W"), key: "K2" } }),
          "aws-iam_1.server.cert": PEM("OTHER"),
        },
      },
    });
    assert.equal(got.protocol, "legacy");
    assert.deepEqual(
      got.candidates.map((c) => [c.requestName, c.certPem, c.chainPems, c.caPem, c.providerKeyPem]),
      [
        ["authenticator", PEM("L"), [PEM("I"), PEM("CA")], PEM("CA"), "K"],
        ["webhook", PEM("W"), [PEM("I"), PEM("CA")], PEM("CA"), "K2"],
      ],
    );
  });

  it("is legacy once the provider published only its CA, with no candidates", () => {
    const got = parseAnswers({
      ...base,
      remoteAppData: {},
      remoteUnitData: { "easyrsa/0": { ca: PEM("CA") } },
    });
    assert.equal(got.protocol, "legacy");
    assert.equal(got.candidates.length, 0);
  });

  it("turns malformed JSON into a typed problem", () => {
    const got = parseAnswers({
      ...base,
      remoteAppData: {},
      remoteUnitData: { "easyrsa/0": { "aws-iam_0.processed_requests": "{oops" } },
    });
    assert.deepEqual(got.problems, [
      { source: "easyrsa/0", key: "aws-iam_0.processed_requests", message: "not valid JSON" },
    ]);
  });
});

describe("parseAnswers — CSR protocol", () => {
  it("keeps only entries for our CSR (matched by DER, even re-serialised with CRLF)", () => {
    const entries = [
      {
        certificate_signing_request: csr.replace(/\n/g, "\r\n"),
        certificate: PEM("L"),
        ca: PEM("CA"),
        chain: [PEM("L"), PEM("CA")],
        revoked: true,
      },
      { certificate_signing_request: otherCsr, certificate: PEM("X"), ca: PEM("CA"), chain: [] },
    ];
    const got = parseAnswers({
      ...base,
      remoteAppData: { certificates: JSON.stringify(entries) },
      remoteUnitData: {},
    });
    assert.equal(got.protocol, "csr");
    assert.equal(got.candidates.length, 1);
    assert.deepEqual(
      { ...got.candidates[0]!, chainPems: [...got.candidates[0]!.chainPems] },
      {
        protocol: "csr",
        requestName: "authenticator",
        source: "p",
        app: "p",
        certPem: PEM("L"),
        chainPems: [PEM("L"), PEM("CA")],
        caPem: PEM("CA"),
        revoked: true,
      },
    );
  });

  it("reads request_errors for our CSR", () => {
    const errors = [
      { csr, error: { code: 101, name: "IP_NOT_ALLOWED", message: "m", reason: "r" } },
      { csr: otherCsr, error: { code: 102, name: "DOMAIN_NOT_ALLOWED", message: "m" } },
    ];
    const got = parseAnswers({
      ...base,
      remoteAppData: { request_errors: JSON.stringify(errors) },
      remoteUnitData: {},
    });
    assert.deepEqual(got.errors, [
      {
        requestName: "authenticator",
        app: "p",
        code: 101,
        name: "IP_NOT_ALLOWED",
        message: "m",
        reason: "r",
      },
    ]);
  });

  it("reports a certificates value that is not a list, and an incomplete entry", () => {
    const a = parseAnswers({ ...base, remoteAppData: { certificates: "{}" }, remoteUnitData: {} });
    assert.deepEqual(a.problems, [{ source: "p", key: "certificates", message: "not a JSON list" }]);
    const b = parseAnswers({
      ...base,
      remoteAppData: {
        certificates: JSON.stringify([{ certificate_signing_request: csr, certificate: "", ca: "" }]),
      },
      remoteUnitData: {},
    });
    assert.deepEqual(b.problems, [
      { source: "p", key: "certificates", message: "entry for authenticator lacks certificate or ca" },
    ]);
  });

  it("is unknown before either protocol answered", () => {
    assert.equal(
      parseAnswers({ ...base, remoteAppData: {}, remoteUnitData: { "x/0": { "ingress-address": "1" } } })
        .protocol,
      "unknown",
    );
  });
});
