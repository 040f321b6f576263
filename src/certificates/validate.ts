/** Checks a candidate before anything uses it (Node's X509Certificate: forge cannot load EC CAs). */
import type { X509Certificate } from "node:crypto";
import { nodeCrypto } from "../util/lazy-module.ts";
import type { CertificateRequest } from "./request.ts";
import { normalizeSans, splitSans } from "./request.ts";
import type { Candidate, Protocol } from "./response.ts";

/** Providers do not backdate; allow a little clock skew between machines. */
export const CLOCK_SKEW_MS = 5 * 60 * 1000;
const MAX_DEPTH = 8;

export type Problem =
  | "unparseable"
  | "is-ca"
  | "key-mismatch"
  | "missing-san"
  | "not-yet-valid"
  | "expired"
  | "no-chain"
  | "ca-expired"
  | "revoked";

export interface ValidCertificate {
  readonly requestName: string;
  readonly protocol: Protocol;
  readonly app: string;
  readonly source: string;
  readonly certPem: string;
  /** The CA certificates served with the leaf (cert.pem): the path above it up to, not including, a
   * self-signed anchor; an anchor that is not self-signed is served too, so that a client holding the
   * root above it still builds the path. */
  readonly intermediatePems: readonly string[];
  /** The trust anchor handed downstream (webhook kubeconfig `certificate-authority-data`, host trust
   * store): the top of the verified path, so the self-signed root whenever the provider sent it, even
   * when its `ca` is an intermediate (the reactive vault in intermediate mode). Why the root and not
   * the issuing intermediate: Go (kube-apiserver, client-go) accepts any certificate in its pool as an
   * anchor, but OpenSSL stops only at a self-signed certificate unless X509_V_FLAG_PARTIAL_CHAIN is
   * set, and Python before 3.13 does not set it. CK's auth-webhook forwarder verifies with Python's
   * default OpenSSL context (the system trust store update-ca-certificates builds), so an intermediate
   * installed as the host's anchor leaves it "unable to get issuer certificate" and falling back to no
   * verification. When the provider sends no root, the intermediate is the anchor: vault ≥ 1.15 on
   * vault-pki imports only its intermediate and answers ca = intermediate, chain = [leaf,
   * intermediate] (canonical/vault-k8s-operator vault_managers.py PKIManager._configure_external_ca,
   * vault_client.py sign_pki_certificate_signing_request). Go still verifies; for CK's auth-webhook the
   * operator supplies the root (root-ca-certificate, src/control-plane/root-ca.ts). */
  readonly caPem: string;
  /** Legacy: the provider's key. CSR protocol: undefined, our own key is used. Never log it. */
  readonly providerKeyPem?: string;
  readonly notBefore: string;
  readonly notAfter: string;
  readonly fingerprint256: string;
  /** CSR protocol: what it was validated from, so that a later hook handed exactly the same answer for the
   * same request and key need not parse and verify it again (see `known` below). */
  readonly validatedFrom?: ValidatedFrom;
}

/** The provider's answer as published (its `ca` and `chain`), the SANs it was checked for, and the earliest
 * expiry of the CAs on its path. */
export interface ValidatedFrom {
  readonly ca?: string;
  readonly chain: readonly string[];
  readonly sans: readonly string[];
  readonly caNotAfter: string;
}

export type Verdict =
  | { readonly ok: true; readonly certificate: ValidCertificate }
  | {
      readonly ok: false;
      readonly problem: Problem;
      readonly message: string;
      readonly fingerprint256?: string;
    };

export interface ValidateInput {
  readonly candidate: Candidate;
  readonly request: CertificateRequest;
  /** Our private key (CSR protocol). Legacy candidates carry the provider's. */
  readonly ourKeyPem?: string;
  readonly now: Date;
  /** A certificate validated earlier with this same key (the caller vouches for that: the key and the
   * certificate are kept together). When the candidate is exactly what it was validated from, only time
   * and revocation can have changed, and only those are checked: no parse, no signature, no node:crypto. */
  readonly known?: ValidCertificate;
}

export function validateCandidate(input: ValidateInput): Verdict {
  const { candidate: c, request, now } = input;
  const from = `certificate from ${c.app}`;
  const fail = (problem: Problem, message: string, fp?: string): Verdict => ({
    ok: false,
    problem,
    message,
    ...(fp !== undefined ? { fingerprint256: fp } : {}),
  });
  const known = input.known;
  if (known !== undefined && !c.revoked && sameAnswer(known, c, request)) {
    const { notBefore, notAfter, fingerprint256: fp } = known;
    if (Date.parse(notBefore) > now.getTime() + CLOCK_SKEW_MS)
      return fail("not-yet-valid", `${from} is not valid before ${isoDate(notBefore)}`, fp);
    if (now.getTime() >= Date.parse(notAfter))
      return fail("expired", `${from} expired on ${isoDate(notAfter)}`, fp);
    const caNotAfter = known.validatedFrom!.caNotAfter;
    if (now.getTime() >= Date.parse(caNotAfter))
      return fail("ca-expired", `the CA of ${from} expired on ${isoDate(caNotAfter)}`, fp);
    return { ok: true, certificate: known };
  }
  const leaf = parse(c.certPem);
  if (leaf === undefined) return fail("unparseable", `${from} cannot be parsed`);
  const fp = leaf.fingerprint256;
  if (c.revoked) return fail("revoked", `${from} was revoked`, fp);
  if (leaf.ca) return fail("is-ca", `${from} is a CA certificate, not a server certificate`, fp);
  const keyPem = c.protocol === "legacy" ? c.providerKeyPem : input.ourKeyPem;
  if (!keyMatches(leaf, keyPem)) return fail("key-mismatch", `${from} does not match its private key`, fp);
  const missing = missingSans(leaf, request.sans);
  if (missing.length > 0) return fail("missing-san", `${from} lacks SAN ${missing.join(", ")}`, fp);
  if (Date.parse(leaf.validFrom) > now.getTime() + CLOCK_SKEW_MS) {
    return fail("not-yet-valid", `${from} is not valid before ${isoDate(leaf.validFrom)}`, fp);
  }
  if (now.getTime() >= Date.parse(leaf.validTo)) {
    return fail("expired", `${from} expired on ${isoDate(leaf.validTo)}`, fp);
  }
  const path = buildPath(leaf, c);
  if (path === undefined) return fail("no-chain", `${from} does not chain to the CA ${c.app} published`, fp);
  const stale = path.slice(1).find((cert) => now.getTime() >= Date.parse(cert.validTo));
  if (stale !== undefined) {
    return fail("ca-expired", `the CA of ${from} expired on ${isoDate(stale.validTo)}`, fp);
  }
  const anchor = path[path.length - 1]!;
  const served = selfSigned(anchor) ? path.slice(1, -1) : path.slice(1);
  const caNotAfter = new Date(Math.min(...path.slice(1).map((cert) => Date.parse(cert.validTo))));
  return {
    ok: true,
    certificate: {
      requestName: c.requestName,
      protocol: c.protocol,
      app: c.app,
      source: c.source,
      certPem: c.certPem,
      intermediatePems: served.map((x) => x.toString().trim()),
      caPem: anchor.toString().trim(),
      ...(c.providerKeyPem !== undefined ? { providerKeyPem: c.providerKeyPem } : {}),
      notBefore: new Date(leaf.validFrom).toISOString(),
      notAfter: new Date(leaf.validTo).toISOString(),
      fingerprint256: fp,
      ...(c.protocol === "csr"
        ? {
            validatedFrom: {
              ...(c.caPem !== undefined ? { ca: c.caPem } : {}),
              chain: [...c.chainPems],
              sans: normalizeSans(request.sans),
              caNotAfter: caNotAfter.toISOString(),
            },
          }
        : {}),
    },
  };
}

/** The candidate is exactly the answer `known` was validated from, for the same SANs. */
function sameAnswer(known: ValidCertificate, c: Candidate, request: CertificateRequest): boolean {
  const from = known.validatedFrom;
  return (
    from !== undefined &&
    c.protocol === "csr" &&
    known.protocol === "csr" &&
    c.certPem === known.certPem &&
    c.requestName === known.requestName &&
    c.app === known.app &&
    c.source === known.source &&
    c.caPem === from.ca &&
    c.chainPems.length === from.chain.length &&
    c.chainPems.every((pem, i) => pem === from.chain[i]) &&
    normalizeSans(request.sans).join("\n") === from.sans.join("\n")
  );
}

/** The requested SANs the leaf does not cover (extra SANs are fine). */
export function missingSans(leaf: X509Certificate, sans: readonly string[]): string[] {
  const { dns, ips } = splitSans(sans);
  const noIp = ips.filter((ip) => leaf.checkIP(ip) === undefined);
  const noDns = dns.filter((d) => leaf.checkHost(d, { subject: "never" }) === undefined);
  return [...noIp, ...noDns];
}

function keyMatches(leaf: X509Certificate, keyPem: string | undefined): boolean {
  if (keyPem === undefined || keyPem === "") return false;
  try {
    return leaf.checkPrivateKey(nodeCrypto().createPrivateKey(keyPem));
  } catch {
    return false;
  }
}

/** Leaf → … → anchor, in any chain order. The path must pass through the published `ca`; it goes on
 * to a self-signed root when the chain has one. Without a published `ca` (legacy vault in
 * intermediate mode) a self-signed root in the chain is the anchor. */
function buildPath(leaf: X509Certificate, c: Candidate): X509Certificate[] | undefined {
  const ca = c.caPem !== undefined ? parse(c.caPem) : undefined;
  const pool = uniq([...(ca ? [ca] : []), ...c.chainPems.flatMap((p) => parse(p) ?? [])]).filter(
    (x) => x.fingerprint256 !== leaf.fingerprint256,
  );
  const path = [leaf];
  let cur = leaf;
  for (let depth = 0; depth < MAX_DEPTH && !selfSigned(cur); depth++) {
    const issuer = pool.find((x) => x.ca && !path.includes(x) && issued(cur, x));
    if (issuer === undefined) break;
    path.push(issuer);
    cur = issuer;
  }
  if (path.length === 1) return undefined;
  if (ca !== undefined) return path.some((x) => x.fingerprint256 === ca.fingerprint256) ? path : undefined;
  return selfSigned(cur) ? path : undefined;
}

/** `parent` issued `child`: names match and `parent`'s key verifies `child`'s signature. */
export function issued(child: X509Certificate, parent: X509Certificate): boolean {
  try {
    return child.checkIssued(parent) && child.verify(parent.publicKey);
  } catch {
    return false;
  }
}

function selfSigned(x: X509Certificate): boolean {
  return issued(x, x);
}

function uniq(certs: X509Certificate[]): X509Certificate[] {
  const seen = new Set<string>();
  return certs.filter((x) => !seen.has(x.fingerprint256) && seen.add(x.fingerprint256));
}

export function parse(pem: string): X509Certificate | undefined {
  try {
    return new (nodeCrypto().X509Certificate)(pem);
  } catch {
    return undefined;
  }
}

/** "2027-01-31" style date for status messages. */
export function isoDate(date: string | Date): string {
  return new Date(date).toISOString().slice(0, 10);
}
