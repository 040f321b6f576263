/** The issuer and subject of a PEM certificate, read from its DER with the CSR reader's few lines, so that
 * every hook can tell whether the CA in use is self-issued and name it without loading node:crypto.
 * Layout: RFC 5280 section 4.1 (TBSCertificate: [0] version, serialNumber, signature, issuer, validity,
 * subject) and 4.1.2.4 (Name). Undefined when this reader cannot say; callers then ask node:crypto. */
import { ascii, COMMON_NAME, elements, OID, SEQUENCE, SET, STRING_TAGS } from "./csr-der.ts";

export interface CertificateNames {
  /** The issuer Name, DER: compared byte for byte, as vault's chain builder does with RawIssuer. */
  readonly issuer: Buffer;
  readonly subject: Buffer;
  /** The subject's CN when it is plain ASCII. */
  readonly subjectCn: string | undefined;
}

export function certificateNames(pem: string): CertificateNames | undefined {
  const body = /-----BEGIN CERTIFICATE-----([\s\S]*?)-----END CERTIFICATE-----/.exec(pem)?.[1];
  if (body === undefined) return undefined;
  const certificate = elements(Buffer.from(body.replace(/\s+/g, ""), "base64"))?.[0];
  if (certificate?.tag !== SEQUENCE) return undefined;
  const tbs = elements(certificate.value)?.[0];
  const fields = tbs?.tag === SEQUENCE ? elements(tbs.value) : undefined;
  if (fields === undefined) return undefined;
  const [, , issuer, , subject] = fields[0]?.tag === 0xa0 ? fields.slice(1) : fields;
  if (issuer?.tag !== SEQUENCE || subject?.tag !== SEQUENCE) return undefined;
  return {
    issuer: Buffer.from(issuer.raw),
    subject: Buffer.from(subject.raw),
    subjectCn: commonName(subject.value),
  };
}

/** Issuer and subject are the same name: where OpenSSL (and so Python) stops building a path. */
export function selfIssued(names: CertificateNames): boolean {
  return names.issuer.equals(names.subject);
}

function commonName(name: Buffer): string | undefined {
  for (const rdn of elements(name) ?? []) {
    if (rdn.tag !== SET) return undefined;
    for (const pair of elements(rdn.value) ?? []) {
      const [type, value] = elements(pair.value) ?? [];
      if (type?.tag === OID && type.value.equals(COMMON_NAME) && value !== undefined)
        return STRING_TAGS.has(value.tag) ? ascii(value.value) : undefined;
    }
  }
  return undefined;
}
