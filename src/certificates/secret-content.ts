/** The one encode/decode of what the certificates feature keeps: the application-owned
 * `authenticator-tls` secret (the leader's private key, CSR and the certificate in use) and the
 * unit's record on its machine of the certificate it materialised (never the key). Wire keys are
 * unchanged: deployed units read them. */
import type { Databag } from "../juju/hook-tools.ts";
import { pemBlocks } from "./pem.ts";
import type { ValidatedFrom, ValidCertificate } from "./validate.ts";

/** Label of the application-owned secret holding key, CSR and the certificate in use. */
export const TLS_SECRET_LABEL = "authenticator-tls";
export const TLS_SECRET_DESCRIPTION =
  "aws-iam authenticator: private key, CSR and the server certificate in use";

/** The secret's content as fields. Holds private keys: never log it, never put it in relation data. */
export interface TlsSecret {
  /** Our private key (CSR protocol); made once, kept across leaders. */
  readonly requestKey?: string;
  /** The CSR we publish, and when it was made (ISO): a new CSR restarts the no-answer clock. */
  readonly csr?: string;
  readonly csrCreated?: string;
  /** The certificate in use. */
  readonly certificate?: ValidCertificate;
  /** The key the server serves with `certificate` (ours, or the provider's for a legacy answer). */
  readonly servingKey?: string;
}

const nonEmpty = (value: string | undefined): string | undefined =>
  value === undefined || value === "" ? undefined : value;

export function decodeTlsSecret(content: Readonly<Databag>): TlsSecret {
  const out: { -readonly [K in keyof TlsSecret]: TlsSecret[K] } = {};
  const requestKey = nonEmpty(content["request-key"]);
  const csr = nonEmpty(content["csr"]);
  const csrCreated = nonEmpty(content["csr-created"]);
  if (requestKey !== undefined) out.requestKey = requestKey;
  if (csr !== undefined) out.csr = csr;
  if (csrCreated !== undefined) out.csrCreated = csrCreated;
  const certPem = nonEmpty(content["certificate"]);
  const fingerprint = nonEmpty(content["fingerprint"]);
  if (certPem !== undefined && fingerprint !== undefined) {
    const protocol = content["protocol"] === "csr" ? "csr" : "legacy";
    out.certificate = {
      requestName: content["request"] ?? "",
      protocol,
      app: content["provider"] ?? "",
      source: content["source"] ?? "",
      certPem,
      intermediatePems: pemBlocks(content["chain"] ?? ""),
      caPem: content["ca-certificate"] ?? "",
      ...(protocol === "legacy" ? { providerKeyPem: content["key"] ?? "" } : {}),
      notBefore: content["not-before"] ?? "",
      notAfter: content["expires"] ?? "",
      fingerprint256: fingerprint,
      ...validatedFromOf(content),
    };
    out.servingKey = content["key"] ?? "";
  }
  return out;
}

/** What the certificate was validated from (written by this charm since it skips re-validating); nothing
 * when absent or unreadable, and the certificate is then validated again in full. */
function validatedFromOf(content: Readonly<Databag>): { validatedFrom?: ValidatedFrom } {
  const chain = stringList(content["validated-chain"]);
  const sans = stringList(content["validated-sans"]);
  const caNotAfter = nonEmpty(content["ca-expires"]);
  if (content["protocol"] !== "csr" || chain === undefined || sans === undefined || caNotAfter === undefined)
    return {};
  const ca = nonEmpty(content["validated-ca"]);
  return { validatedFrom: { ...(ca !== undefined ? { ca } : {}), chain, sans, caNotAfter } };
}

function stringList(text: string | undefined): string[] | undefined {
  if (text === undefined) return undefined;
  try {
    const value: unknown = JSON.parse(text);
    return Array.isArray(value) && value.every((item) => typeof item === "string") ? value : undefined;
  } catch {
    return undefined;
  }
}

/** The whole content; empty values are left out (Juju refuses them). */
export function encodeTlsSecret(secret: TlsSecret): Databag {
  const cert = secret.certificate;
  const content: Databag = {
    "request-key": secret.requestKey ?? "",
    csr: secret.csr ?? "",
    "csr-created": secret.csrCreated ?? "",
    ...(cert !== undefined
      ? {
          certificate: cert.certPem,
          chain: cert.intermediatePems.join("\n"),
          "ca-certificate": cert.caPem,
          key: secret.servingKey ?? "",
          protocol: cert.protocol,
          provider: cert.app,
          source: cert.source,
          request: cert.requestName,
          "not-before": cert.notBefore,
          expires: cert.notAfter,
          fingerprint: cert.fingerprint256,
          ...(cert.validatedFrom !== undefined
            ? {
                "validated-ca": cert.validatedFrom.ca ?? "",
                "validated-chain": JSON.stringify(cert.validatedFrom.chain),
                "validated-sans": JSON.stringify(cert.validatedFrom.sans),
                "ca-expires": cert.validatedFrom.caNotAfter,
              }
            : {}),
        }
      : {}),
  };
  return Object.fromEntries(Object.entries(content).filter(([, value]) => value !== ""));
}

/** The key served with a newly installed certificate: ours for the CSR protocol, the provider's for legacy. */
export function servingKeyOf(cert: ValidCertificate, ourKeyPem: string): string {
  return cert.protocol === "legacy" ? (cert.providerKeyPem ?? "") : ourKeyPem;
}

/** Juju accepts and prints secret URIs in several forms; compare the bare id. */
export function bareSecretId(uri: string): string {
  return uri.replace(/^secret:\/*/, "").replace(/^.*\//, "");
}

/** What a unit records on its machine about the certificate it materialised (never the key). */
export interface UnitRecord {
  readonly fingerprint: string;
  readonly notAfter: string;
  readonly protocol: "csr" | "legacy";
  readonly provider: string;
}

export function recordOf(cert: ValidCertificate): UnitRecord {
  return {
    fingerprint: cert.fingerprint256,
    notAfter: cert.notAfter,
    protocol: cert.protocol,
    provider: cert.app,
  };
}

export function encodeUnitRecord(record: UnitRecord): string {
  return `${JSON.stringify(record)}\n`;
}

export function decodeUnitRecord(text: string | undefined): UnitRecord | undefined {
  if (text === undefined) return undefined;
  try {
    const value = JSON.parse(text) as Partial<UnitRecord>;
    if (typeof value.fingerprint !== "string" || typeof value.notAfter !== "string") return undefined;
    return {
      fingerprint: value.fingerprint,
      notAfter: value.notAfter,
      protocol: value.protocol === "csr" ? "csr" : "legacy",
      provider: typeof value.provider === "string" ? value.provider : "",
    };
  } catch {
    return undefined;
  }
}

/** Why Juju refused the secret: key, certificate, chain and CA are each one value; the chain is what grows. */
export function secretTooLargeMessage(
  error: { readonly key: string; readonly bytes: number },
  jujuVersion: string,
): string {
  const what = error.key === "chain" ? "the certificate chain" : `the "${error.key}" value`;
  return (
    `${what} is ${error.bytes} bytes base64-encoded, more than Juju ${jujuVersion} accepts in a secret value ` +
    "(8 KiB before Juju 3.6's 1 MB limit): have the certificates provider issue a shorter chain, or upgrade Juju"
  );
}
