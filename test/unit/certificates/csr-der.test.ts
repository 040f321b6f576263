/** The small DER reader that lets idle hooks confirm their CSR without node-forge: it must agree with
 * forge on what it reads (CSRs from the charm and from openssl), and give up on what it does not know. */
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { createPrivateKey, createPublicKey, generateKeyPairSync } from "node:crypto";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "node:test";
import { csrFacts, publicKeyDer, rsaPublicKeyDer } from "../../../src/certificates/csr-der.ts";
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

test("an RSA key's public half is read from its DER as node:crypto exports it (PKCS#8, PKCS#1, openssl's)", () => {
  const opensslKey = (() => {
    const dir = mkdtempSync(join(tmpdir(), "csr-der-key-"));
    try {
      execFileSync("openssl", ["genrsa", "-out", join(dir, "k.pem"), "1024"], { stdio: "pipe" });
      return execFileSync("cat", [join(dir, "k.pem")], { encoding: "utf8" });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  })();
  const small = generateKeyPairSync("rsa", { modulusLength: 512, publicExponent: 3 }).privateKey;
  const keys = [
    KEY,
    OTHER_KEY,
    opensslKey,
    small.export({ type: "pkcs8", format: "pem" }) as string,
    small.export({ type: "pkcs1", format: "pem" }) as string,
    createPrivateKey(KEY).export({ type: "pkcs1", format: "pem" }) as string,
  ];
  for (const pem of keys) {
    const want = createPublicKey(pem).export({ type: "spki", format: "der" });
    assert.deepEqual(rsaPublicKeyDer(pem), want);
    assert.deepEqual(publicKeyDer(pem), want);
  }
  const ec = generateKeyPairSync("ec", { namedCurve: "prime256v1" }).privateKey.export({
    type: "pkcs8",
    format: "pem",
  }) as string;
  assert.equal(rsaPublicKeyDer(ec), undefined, "not RSA: left to node:crypto");
  assert.deepEqual(publicKeyDer(ec), createPublicKey(ec).export({ type: "spki", format: "der" }));
  assert.equal(rsaPublicKeyDer("-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----\n"), undefined);
});
