import assert from "node:assert/strict";
import { createPrivateKey } from "node:crypto";
import { describe, it } from "node:test";
import forge from "node-forge";
import {
  createCsrPem,
  csrId,
  csrMatchesKey,
  csrMatchesRequest,
  generatePrivateKeyPem,
  readCsr,
} from "../../../src/certificates/keys.ts";
import { desiredRequests } from "../../../src/certificates/request.ts";

const request = desiredRequests()[0]!;
const key = generatePrivateKeyPem();
const other = generatePrivateKeyPem();

describe("keys and CSRs", () => {
  it("makes an RSA-2048 PKCS#8 key", () => {
    assert.match(key, /^-----BEGIN PRIVATE KEY-----\n[\s\S]+-----END PRIVATE KEY-----$/);
    const k = createPrivateKey(key);
    assert.equal(k.asymmetricKeyType, "rsa");
    assert.equal(k.asymmetricKeyDetails?.modulusLength, 2048);
  });

  it("makes a SHA-256 CSR carrying the CN and both SAN kinds, LF only, no trailing newline", () => {
    const csr = createCsrPem(request, key);
    assert.equal(csr.includes("\r"), false);
    assert.equal(csr, csr.trim());
    assert.deepEqual(readCsr(csr), {
      commonName: "aws-iam-authenticator",
      sans: ["127.0.0.1", "localhost"],
      signatureValid: true,
      signatureAlgorithm: "sha256WithRSAEncryption",
    });
  });

  it("matches the CSR to its key and request only", () => {
    const csr = createCsrPem(request, key);
    assert.equal(csrMatchesKey(csr, key), true);
    assert.equal(csrMatchesKey(csr, other), false);
    assert.equal(csrMatchesRequest(csr, request), true);
    assert.equal(csrMatchesRequest(csr, { ...request, sans: ["localhost"] }), false);
    assert.equal(csrMatchesRequest(csr, { ...request, commonName: "x" }), false);
  });

  it("signs exactly as forge's own RSA does (PKCS#1 v1.5 signatures are deterministic)", () => {
    const csr = createCsrPem(request, key);
    const body = csr.replace(/-----(BEGIN|END) [A-Z ]+-----/g, "").replace(/\s+/g, "");
    const [info, , signature] = forge.asn1.fromDer(forge.util.decode64(body)).value as forge.asn1.Asn1[];
    const digest = forge.md.sha256.create().update(forge.asn1.toDer(info!).getBytes());
    const forgeSignature = forge.pki.privateKeyFromPem(key).sign(digest);
    assert.equal(`\0${forgeSignature}`, signature!.value);
  });

  it("two CSRs for the same key and request differ (unique id in the subject)", () => {
    assert.notEqual(csrId(createCsrPem(request, key)), csrId(createCsrPem(request, key)));
  });

  it("identifies a CSR by its DER regardless of line endings", () => {
    const csr = createCsrPem(request, key);
    assert.equal(csrId(`${csr.replace(/\n/g, "\r\n")}\r\n`), csrId(csr));
  });

  it("refuses a key shorter than 2048 bits", async () => {
    const { generateKeyPairSync } = await import("node:crypto");
    const small = generateKeyPairSync("rsa", { modulusLength: 1024 }).privateKey.export({
      type: "pkcs8",
      format: "pem",
    });
    assert.throws(() => createCsrPem(request, small.toString()), /2048/);
  });
});
