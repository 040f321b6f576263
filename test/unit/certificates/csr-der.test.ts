/** The small DER reader that lets idle hooks confirm their CSR without node-forge: it must agree with
 * forge on what it reads (CSRs from the charm and from openssl), and give up on what it does not know. */
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { createPublicKey, generateKeyPairSync } from "node:crypto";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "node:test";
import { csrFacts, publicKeyDer } from "../../../src/certificates/csr-der.ts";
import { createCsrPem, csrMatchesKey, csrMatchesRequest, readCsr } from "../../../src/certificates/keys.ts";
import { normalizeSans } from "../../../src/certificates/request.ts";

const newKey = (): string =>
  generateKeyPairSync("rsa", { modulusLength: 2048 }).privateKey.export({
    type: "pkcs8",
    format: "pem",
  }) as string;
const KEY = newKey();
const OTHER_KEY = newKey();
const REQUEST = {
  name: "authenticator",
  commonName: "aws-iam-authenticator",
  sans: ["localhost", "127.0.0.1"],
};

function opensslCsr(key: string, subject: string, san: string): string {
  const dir = mkdtempSync(join(tmpdir(), "csr-der-"));
  try {
    writeFileSync(join(dir, "key.pem"), key);
    const args = [
      "req",
      "-new",
      "-key",
      join(dir, "key.pem"),
      "-subj",
      subject,
      "-addext",
      `subjectAltName=${san}`,
    ];
    return execFileSync("openssl", args, { encoding: "utf8" });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

test("reads what forge reads from the charm's own CSR and from openssl's", () => {
  const csrs = [
    createCsrPem(REQUEST, KEY),
    opensslCsr(KEY, "/O=x/CN=aws-iam-authenticator", "DNS:Localhost,IP:127.0.0.1,DNS:a.example"),
    opensslCsr(KEY, "/O=x", "DNS:only.example"),
  ];
  for (const csr of csrs) {
    const facts = csrFacts(csr);
    assert.ok(facts, csr);
    const forge = readCsr(csr);
    assert.equal(facts.commonName, forge.commonName);
    assert.deepEqual(normalizeSans(facts.sans), forge.sans);
    assert.ok(facts.spki.equals(publicKeyDer(KEY)));
  }
});

test("gives up (undefined) on what it does not know: IPv6 SANs, non-ASCII names, not DER", () => {
  assert.equal(csrFacts(opensslCsr(KEY, "/CN=a", "IP:::1")), undefined);
  assert.equal(csrFacts(opensslCsr(KEY, "/CN=é", "DNS:a")), undefined);
  assert.equal(
    csrFacts("-----BEGIN CERTIFICATE REQUEST-----\nMIIB\n-----END CERTIFICATE REQUEST-----"),
    undefined,
  );
});

test("csrMatchesKey and csrMatchesRequest still say no when the key or the request changed", () => {
  const csr = createCsrPem(REQUEST, KEY);
  assert.equal(csrMatchesKey(csr, KEY), true);
  assert.equal(csrMatchesKey(csr, OTHER_KEY), false);
  assert.equal(csrMatchesRequest(csr, REQUEST), true);
  assert.equal(csrMatchesRequest(csr, { ...REQUEST, sans: [...REQUEST.sans, "b.example"] }), false);
  assert.equal(csrMatchesRequest(csr, { ...REQUEST, commonName: "other" }), false);
  const ipv6 = createCsrPem({ ...REQUEST, sans: ["::1", "localhost"] }, KEY);
  assert.equal(csrMatchesRequest(ipv6, { ...REQUEST, sans: ["::1", "localhost"] }), true, "forge decides");
});

test("reads an RSA key's public half as Node exports it (PKCS#8 and PKCS#1, CRLF too); other keys go to Node", () => {
  const nodeSpki = (pem: string) => createPublicKey(pem).export({ type: "spki", format: "der" });
  const rsa = generateKeyPairSync("rsa", { modulusLength: 3072, publicExponent: 3 }).privateKey;
  for (const pem of [
    KEY,
    KEY.replace(/\n/g, "\r\n"),
    rsa.export({ type: "pkcs8", format: "pem" }) as string,
    rsa.export({ type: "pkcs1", format: "pem" }) as string,
  ]) {
    assert.ok(publicKeyDer(pem).equals(nodeSpki(pem)));
  }
  assert.ok(!publicKeyDer(KEY).equals(publicKeyDer(OTHER_KEY)));
  const ec = generateKeyPairSync("ec", { namedCurve: "P-256" }).privateKey.export({
    type: "pkcs8",
    format: "pem",
  }) as string;
  assert.ok(publicKeyDer(ec).equals(nodeSpki(ec)));
  assert.throws(() => publicKeyDer("-----BEGIN PRIVATE KEY-----\nMIIB\n-----END PRIVATE KEY-----\n"));
});
