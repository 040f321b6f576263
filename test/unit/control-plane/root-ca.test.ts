/** root-ca-certificate: the option's checks, the DER name reader, and what the host trust store gets
 * above a provider CA that is not self-signed (vault 1.15+'s intermediate). */
import assert from "node:assert/strict";
import { X509Certificate } from "node:crypto";
import { describe, it } from "node:test";
import { certificateNames, selfIssued } from "../../../src/certificates/cert-names.ts";
import { parseCharmConfig } from "../../../src/config/charm-config.ts";
import { hostTrust, parseRootCaOption } from "../../../src/control-plane/root-ca.ts";
import { makeCa, newKeyPem, signLeaf, windowFrom } from "../../emulator/charms/tls-forge-ca.ts";
import { CONFIG } from "../plan/observed.ts";
import { makeTestCerts } from "./certs-fixture.ts";

const window = windowFrom(new Date(), 30);
const root = makeCa("Vault root CA", window);
const inter = makeCa("Vault intermediate CA", window, root);
/** Same name as the root, another key: it did not sign the intermediate. */
const impostor = makeCa("Vault root CA", window);
const other = makeCa("Other root", window);
const leaf = signLeaf({
  ca: inter,
  subjectKeyPem: newKeyPem(),
  commonName: "aws-iam-authenticator",
  sans: ["127.0.0.1"],
  window,
});
const pem = (p: string) => `${p.trim()}\n`;
const CANNOT = "CK's auth-webhook cannot verify the authenticator";

describe("root-ca-certificate", () => {
  it("parses empty as unset and one self-signed CA as its canonical PEM", () => {
    assert.deepEqual(parseRootCaOption(""), { ok: true, rootPem: undefined });
    assert.deepEqual(parseRootCaOption(" \n"), { ok: true, rootPem: undefined });
    assert.deepEqual(parseRootCaOption(`\n${root.certPem.replaceAll("\n", "\r\n")}\n\n`), {
      ok: true,
      rootPem: pem(root.certPem),
    });
  });

  it("refuses what is not one PEM certificate, a private key, a non-CA and a CA that is not self-signed", () => {
    const hint = "the PEM of one self-signed CA certificate, or empty";
    for (const text of ["not pem", `${root.certPem}\n${other.certPem}`, `${root.certPem}\n${root.keyPem}`]) {
      assert.deepEqual(parseRootCaOption(text), { ok: false, must: hint }, text.slice(0, 40));
    }
    const broken = root.certPem.replace(/\n[A-Za-z0-9+/]{10}/, "\nAAAAAAAAAA");
    assert.deepEqual(parseRootCaOption(broken), { ok: false, must: hint });
    assert.deepEqual(parseRootCaOption(leaf), {
      ok: false,
      must: 'a CA certificate, and "CN=aws-iam-authenticator" is not a CA',
    });
    assert.deepEqual(parseRootCaOption(inter.certPem), {
      ok: false,
      must: 'a self-signed root CA, and "CN=Vault intermediate CA" is issued by "CN=Vault root CA"',
    });
  });

  it("a bad value blocks with the option named; a good one reaches the config", () => {
    const parsed = parseCharmConfig({ ...CONFIG, "root-ca-certificate": inter.certPem });
    assert.deepEqual(parsed, {
      ok: false,
      invalid: [
        'root-ca-certificate must be a self-signed root CA, and "CN=Vault intermediate CA" is issued by "CN=Vault root CA"',
      ],
    });
    const good = parseCharmConfig({ ...CONFIG, "root-ca-certificate": root.certPem });
    assert.ok(good.ok);
    assert.equal(good.config.rootCaCertificate, pem(root.certPem));
    const unset = parseCharmConfig(CONFIG);
    assert.ok(unset.ok);
    assert.equal(unset.config.rootCaCertificate, undefined);
  });

  it("the DER reader agrees with node:crypto on issuer, subject and CN (forge RSA and openssl EC certificates)", () => {
    const { caPem, leafPem } = makeTestCerts();
    for (const p of [root.certPem, inter.certPem, leaf, caPem, leafPem]) {
      const names = certificateNames(p)!;
      const x = new X509Certificate(p);
      assert.equal(selfIssued(names), x.checkIssued(x), x.subject);
      assert.equal(names.subjectCn, /CN=(.*)/.exec(x.subject)?.[1]);
    }
    assert.equal(certificateNames("-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----"), undefined);
  });
});

describe("host trust above the provider's CA", () => {
  const anchor = pem(inter.certPem);

  it("a self-signed anchor is enough: no root added, no note, even with one configured", () => {
    assert.deepEqual(hostTrust(pem(root.certPem), undefined, "vault"), { trustedCa: pem(root.certPem) });
    assert.deepEqual(hostTrust(pem(root.certPem), pem(other.certPem), "vault"), {
      trustedCa: pem(root.certPem),
    });
  });

  it("an intermediate without a root: the anchor alone, and the note says what to set", () => {
    assert.deepEqual(hostTrust(anchor, undefined, "vault"), {
      trustedCa: anchor,
      note: `${CANNOT}: vault sent no root CA above "Vault intermediate CA"; set root-ca-certificate`,
    });
  });

  it("the root that signed it goes in after the anchor", () => {
    assert.deepEqual(hostTrust(anchor, pem(root.certPem), "vault"), {
      trustedCa: `${anchor}${pem(root.certPem)}`,
    });
  });

  it("a root that did not sign it stays out, and the note names the mismatch", () => {
    assert.deepEqual(hostTrust(anchor, pem(other.certPem), "vault"), {
      trustedCa: anchor,
      note: `${CANNOT}: root-ca-certificate is "CN=Other root", not "CN=Vault root CA", the issuer of "Vault intermediate CA"`,
    });
    assert.deepEqual(hostTrust(anchor, pem(impostor.certPem), "vault"), {
      trustedCa: anchor,
      note: `${CANNOT}: root-ca-certificate "CN=Vault root CA" did not sign "Vault intermediate CA" (another key)`,
    });
  });
});
