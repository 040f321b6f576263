/** The authenticator-tls secret's content: what the leader writes reads back the same, including what a
 * certificate was validated from; a secret written before that was recorded reads back without it. */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import {
  decodeTlsSecret,
  encodeTlsSecret,
  type TlsSecret,
} from "../../../src/certificates/secret-content.ts";
import type { ValidCertificate } from "../../../src/certificates/validate.ts";

const certificate: ValidCertificate = {
  requestName: "authenticator",
  protocol: "csr",
  app: "vault",
  source: "vault/0",
  certPem: "-----BEGIN CERTIFICATE-----\nLEAF\n-----END CERTIFICATE-----",
  intermediatePems: ["-----BEGIN CERTIFICATE-----\nINTER\n-----END CERTIFICATE-----"],
  caPem: "-----BEGIN CERTIFICATE-----\nROOT\n-----END CERTIFICATE-----",
  notBefore: "2026-12-01T00:00:00.000Z",
  notAfter: "2027-12-01T00:00:00.000Z",
  fingerprint256: "AB:CD",
  validatedFrom: {
    ca: "-----BEGIN CERTIFICATE-----\nINTER\n-----END CERTIFICATE-----\n",
    chain: ["-----BEGIN CERTIFICATE-----\r\nINTER\r\n-----END CERTIFICATE-----", "ROOT as sent"],
    sans: ["127.0.0.1", "localhost"],
    caNotAfter: "2027-06-01T00:00:00.000Z",
  },
};
const secret: TlsSecret = {
  requestKey: "KEY",
  csr: "CSR",
  csrCreated: "2026-12-01T00:00:00.000Z",
  certificate,
  servingKey: "KEY",
};

describe("the authenticator-tls secret's content", () => {
  it("reads back what was written, byte for byte, including what the certificate was validated from", () => {
    const content = encodeTlsSecret(secret);
    assert.deepEqual(decodeTlsSecret(content), secret);
    assert.deepEqual(encodeTlsSecret(decodeTlsSecret(content)), content, "re-encoding changes nothing");
  });

  it("reads a secret without that record (written by an earlier revision) as before: validated in full", () => {
    const content = encodeTlsSecret(secret);
    for (const key of ["validated-chain", "validated-sans", "ca-expires"]) {
      const { [key]: _gone, ...older } = content;
      assert.equal(decodeTlsSecret(older).certificate?.validatedFrom, undefined, key);
      assert.equal(decodeTlsSecret(older).certificate?.fingerprint256, "AB:CD");
    }
    const garbled = { ...content, "validated-chain": "not json" };
    assert.equal(decodeTlsSecret(garbled).certificate?.validatedFrom, undefined);
    // Only the record is dropped: the certificate itself still reads back, to be validated again in full.
    const { validatedFrom: _dropped, ...rest } = certificate;
    assert.deepEqual(decodeTlsSecret(garbled).certificate, rest);
    assert.equal(decodeTlsSecret(garbled).certificate?.fingerprint256, "AB:CD");
  });

  it("records nothing for a legacy certificate", () => {
    const legacy = { ...certificate, protocol: "legacy" as const, providerKeyPem: "PKEY" };
    const { validatedFrom: _none, ...rest } = legacy;
    const content = encodeTlsSecret({ ...secret, certificate: rest, servingKey: "PKEY" });
    assert.equal(content["validated-chain"], undefined);
    assert.equal(
      decodeTlsSecret({ ...content, "validated-chain": "[]", "validated-sans": "[]", "ca-expires": "x" })
        .certificate?.validatedFrom,
      undefined,
    );
  });
});
