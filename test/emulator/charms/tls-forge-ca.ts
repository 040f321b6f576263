/** A tiny CA for the provider stand-ins (vault, self-signed-certificates): node-forge signing with
 * SHA-256, explicit validity windows (so a stand-in can hand out an expired certificate). */
import {
  constants,
  createPrivateKey,
  generateKeyPair,
  generateKeyPairSync,
  type KeyObject,
  privateEncrypt,
  randomBytes,
} from "node:crypto";
import { isIP } from "node:net";
import forge from "node-forge";
import { takeRunKey } from "../run-keys.ts";

const { pki, md } = forge;
const DAY_MS = 24 * 60 * 60 * 1000;

export interface KeyPair {
  readonly certPem: string;
  readonly keyPem: string;
}

export type KeyFormat = "pkcs1" | "pkcs8";

/** Keys made ahead on libuv's thread pool, so RSA key generation leaves the stand-ins' critical path.
 * Each key is handed out once and then dropped: no two callers in a process ever share a key (the
 * "wrong-key" misbehaviours rely on a key nobody else holds). */
const POOL_SIZE = 4;
const ready: KeyObject[] = [];
let making = 0;

function refill(): void {
  while (ready.length + making < POOL_SIZE) {
    making++;
    generateKeyPair("rsa", { modulusLength: 2048 }, (error, _publicKey, privateKey) => {
      making--;
      if (error === null) ready.push(privateKey);
    });
  }
}

/** A fresh RSA-2048 key (Node's native generator: forge's pure-JS one takes seconds): one of the test
 * run's keys (../run-keys.ts) while they last, then from the pool when one is ready, else made now. */
export function newKeyPem(format: KeyFormat = "pkcs8"): string {
  let privateKey = takeRunKey();
  if (privateKey === undefined) {
    privateKey = ready.shift() ?? generateKeyPairSync("rsa", { modulusLength: 2048 }).privateKey;
    refill();
  }
  return privateKey.export({ type: format, format: "pem" }).toString().trim();
}

/** Keys for worlds that all fork from one state (the hook-sequence property's sequences): each world
 * draws from its own supply, whose n-th key is the ring's n-th key, made on first need. Within a world
 * every key is one nobody else there holds, as a freshly generated key would be (the ring's keys are
 * all made after the state it forks from, so none is already in it); worlds never meet, so reusing a
 * key across them is invisible to every party. The cost is the most keys any one world needs, not the
 * sum over worlds. */
export class KeyRing {
  private readonly keys: string[] = [];

  supply(): () => string {
    let next = 0;
    return () => {
      if (next === this.keys.length) this.keys.push(newKeyPem("pkcs8"));
      return this.keys[next++]!;
    };
  }
}

/** Which request a CSR is: its DER bytes (the PEM body without armour and whitespace). Providers
 * compare requests with the charm library's CertificateSigningRequest.__eq__, `self.raw == other.raw`,
 * where raw is the parsed CSR written out again as PEM (public_bytes(PEM), stripped)
 * (canonical/tls-certificates-interface lib/charms/tls_certificates_interface/v4/tls_certificates.py
 * CertificateSigningRequest.__eq__, raw, __str__): two PEMs of the same DER are one request, whatever
 * their line breaks. Kept here so the stand-ins need nothing from the charm. */
export function csrId(csrPem: string): string {
  return csrPem.replace(/-----(BEGIN|END) [A-Z ]+-----/g, "").replace(/\s+/g, "");
}

export interface Window {
  readonly notBefore: Date;
  readonly notAfter: Date;
}

export function windowFrom(now: Date, days: number): Window {
  return { notBefore: new Date(now.getTime() - 60_000), notAfter: new Date(now.getTime() + days * DAY_MS) };
}

/** Already expired: ended a day ago. */
export function expiredWindow(now: Date): Window {
  return { notBefore: new Date(now.getTime() - 30 * DAY_MS), notAfter: new Date(now.getTime() - DAY_MS) };
}

/** A CA certificate: self-signed when `issuer` is absent, else an intermediate signed by it; its key is
 * `keyPem` (PKCS#8), a new one when absent. */
export function makeCa(
  commonName: string,
  window: Window,
  issuer?: KeyPair,
  keyPem: string = newKeyPem("pkcs8"),
): KeyPair {
  const key = pki.privateKeyFromPem(keyPem);
  const cert = pki.createCertificate();
  cert.publicKey = pki.setRsaPublicKey(key.n, key.e);
  setBasics(cert, window);
  cert.setSubject([{ name: "commonName", value: commonName }]);
  cert.setIssuer(
    issuer ? pki.certificateFromPem(issuer.certPem).subject.attributes : cert.subject.attributes,
  );
  cert.setExtensions([
    { name: "basicConstraints", cA: true, critical: true },
    { name: "keyUsage", keyCertSign: true, cRLSign: true, critical: true },
    { name: "subjectKeyIdentifier" },
  ]);
  cert.sign(nativeSigner(issuer ? issuer.keyPem : keyPem), md.sha256.create());
  return { certPem: lf(pki.certificateToPem(cert)), keyPem };
}

export interface LeafSpec {
  readonly ca: KeyPair;
  /** Public half to certify: a PEM public key, a private key PEM (its public half), or a CSR PEM. */
  readonly subjectKeyPem: string;
  readonly commonName: string;
  readonly sans: readonly string[];
  readonly window: Window;
}

export function signLeaf(spec: LeafSpec): string {
  const cert = pki.createCertificate();
  cert.publicKey = publicKeyOf(spec.subjectKeyPem);
  setBasics(cert, spec.window);
  cert.setSubject([{ name: "commonName", value: spec.commonName }]);
  cert.setIssuer(pki.certificateFromPem(spec.ca.certPem).subject.attributes);
  const altNames = spec.sans.map((s) => (isIP(s) ? { type: 7, ip: s } : { type: 2, value: s }));
  cert.setExtensions([
    { name: "basicConstraints", cA: false },
    { name: "keyUsage", digitalSignature: true, keyEncipherment: true },
    { name: "extKeyUsage", serverAuth: true, clientAuth: true },
    ...(altNames.length > 0 ? [{ name: "subjectAltName", altNames }] : []),
  ]);
  cert.sign(nativeSigner(spec.ca.keyPem), md.sha256.create());
  return lf(pki.certificateToPem(cert));
}

/** What vault (≥ 1.15) on vault-pki gives the authenticator, with the CA above it: a root (the CA of the
 * provider vault asks on tls-certificates-pki), the intermediate that provider issued vault and vault
 * imported as its PKI CA (canonical/vault-k8s-operator vault-package/vault/vault_managers.py
 * PKIManager._configure_external_ca → vault_client.py VaultClient.import_ca_certificate_and_key), and a
 * leaf for the authenticator's loopback names signed by that intermediate
 * (PKIManager._generate_pki_certificate_for_requirer → VaultClient.sign_pki_certificate_signing_request),
 * with the leaf's key. */
export interface ServingChain {
  readonly root: KeyPair;
  readonly intermediate: KeyPair;
  readonly leaf: string;
  readonly key: string;
}

export function servingChain(window: Window): ServingChain {
  const root = makeCa("Test Root CA", window);
  const intermediate = makeCa("Test Intermediate CA", window, root);
  const key = newKeyPem();
  const leaf = signLeaf({
    ca: intermediate,
    subjectKeyPem: key,
    commonName: "aws-iam-authenticator",
    sans: ["127.0.0.1", "localhost"],
    window,
  });
  return { root, intermediate, leaf, key };
}

/** CN and SANs a CSR asks for, and whether its signature holds. */
export function readCsrRequest(csrPem: string): { commonName: string; sans: string[]; valid: boolean } {
  const csr = pki.certificationRequestFromPem(csrPem);
  const cn = csr.subject.getField("CN");
  const ext = csr.getAttribute({ name: "extensionRequest" }) as {
    extensions?: { name?: string; altNames?: { type: number; value?: string; ip?: string }[] }[];
  } | null;
  const san = ext?.extensions?.find((e) => e.name === "subjectAltName");
  const sans = (san?.altNames ?? []).map((a) => (a.type === 7 ? (a.ip ?? "") : String(a.value)));
  return { commonName: cn ? String(cn.value) : "", sans, valid: csr.verify() };
}

/** What `cert.sign(key, md)` needs of forge's private key, `key.sign(md)`, done by Node's native RSA: the
 * RSASSA-PKCS1-v1_5 signature forge makes (node-forge lib/rsa.js key.sign: emsaPkcs1v15encode's
 * DigestInfo, block type 1 padding, the private-key operation), byte for byte (the scheme is
 * deterministic), without forge's pure-JS big integers. */
function nativeSigner(keyPem: string): forge.pki.rsa.PrivateKey {
  const key = createPrivateKey(keyPem);
  const sign = (digest: forge.md.MessageDigest): string => {
    const { Class, Type, create, oidToDer, toDer } = forge.asn1;
    const info = create(Class.UNIVERSAL, Type.SEQUENCE, true, [
      create(Class.UNIVERSAL, Type.SEQUENCE, true, [
        create(Class.UNIVERSAL, Type.OID, false, oidToDer(pki.oids[digest.algorithm]!).getBytes()),
        create(Class.UNIVERSAL, Type.NULL, false, ""),
      ]),
      create(Class.UNIVERSAL, Type.OCTETSTRING, false, digest.digest().getBytes()),
    ]);
    const der = Buffer.from(toDer(info).getBytes(), "binary");
    return privateEncrypt({ key, padding: constants.RSA_PKCS1_PADDING }, der).toString("binary");
  };
  // forge types a private key as its whole RSA object; cert.sign calls nothing but sign().
  return { sign } as unknown as forge.pki.rsa.PrivateKey;
}

function publicKeyOf(pem: string): forge.pki.PublicKey {
  if (pem.includes("CERTIFICATE REQUEST")) {
    const key = pki.certificationRequestFromPem(pem).publicKey;
    if (key === null) throw new Error("CSR without a public key");
    return key;
  }
  if (pem.includes("PRIVATE KEY")) {
    const key = pki.privateKeyFromPem(pem);
    return pki.setRsaPublicKey(key.n, key.e);
  }
  return pki.publicKeyFromPem(pem);
}

function setBasics(cert: forge.pki.Certificate, window: Window): void {
  // Positive serial: clear the top bit of the first byte.
  const serial = randomBytes(16);
  serial[0] = serial[0]! & 0x7f;
  cert.serialNumber = serial.toString("hex");
  cert.validity.notBefore = window.notBefore;
  cert.validity.notAfter = window.notAfter;
}

/** forge writes CRLF; providers publish LF. */
function lf(pem: string): string {
  return pem.replace(/\r\n/g, "\n").trim();
}
