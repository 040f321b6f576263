/** What a hook with nothing new needs from its current CSR (the CN, the SANs, the public key), read from
 * the DER with a few lines instead of node-forge, so that idle hooks never load forge. Only used to
 * confirm a match: anything this reader does not know (IPv6 SANs, non-ASCII names, odd encodings) gives
 * undefined and the caller asks forge (keys.ts). Layout: RFC 2986 section 4 (CertificationRequestInfo),
 * RFC 5280 section 4.1.2.4 (Name) and 4.2.1.6 (subjectAltName), PKCS#9 extensionRequest. */
import { nodeCrypto } from "../util/lazy-module.ts";

export interface Tlv {
  readonly tag: number;
  /** The whole element (tag, length, value). */
  readonly raw: Buffer;
  readonly value: Buffer;
}

/** The DER elements one after the other in `data`; undefined when it is not DER. */
export function elements(data: Buffer): Tlv[] | undefined {
  const out: Tlv[] = [];
  let at = 0;
  while (at < data.length) {
    if (at + 2 > data.length) return undefined;
    const tag = data[at]!;
    let length = data[at + 1]!;
    let head = 2;
    if (length & 0x80) {
      const bytes = length & 0x7f;
      if (bytes === 0 || bytes > 3 || at + 2 + bytes > data.length) return undefined;
      length = 0;
      for (let i = 0; i < bytes; i++) length = length * 256 + data[at + 2 + i]!;
      head += bytes;
    }
    const end = at + head + length;
    if (end > data.length) return undefined;
    out.push({ tag, raw: data.subarray(at, end), value: data.subarray(at + head, end) });
    at = end;
  }
  return out;
}

export const oid = (dotted: string): Buffer => {
  const [a = 0, b = 0, ...rest] = dotted.split(".").map(Number);
  const bytes = [40 * a + b];
  for (const n of rest) {
    const part = [n & 0x7f];
    for (let v = n >>> 7; v > 0; v >>>= 7) part.unshift((v & 0x7f) | 0x80);
    bytes.push(...part);
  }
  return Buffer.from(bytes);
};
export const COMMON_NAME = oid("2.5.4.3");
const EXTENSION_REQUEST = oid("1.2.840.113549.1.9.14");
const SUBJECT_ALT_NAME = oid("2.5.29.17");
export const OID = 0x06;
export const SEQUENCE = 0x30;
export const SET = 0x31;
/** UTF8String, PrintableString, IA5String. */
export const STRING_TAGS = new Set([0x0c, 0x13, 0x16]);
const DNS_NAME = 0x82;
const IP_ADDRESS = 0x87;
export const ascii = (bytes: Buffer): string | undefined =>
  bytes.every((b) => b >= 0x20 && b < 0x7f) ? bytes.toString("latin1") : undefined;

export interface CsrFacts {
  readonly commonName: string;
  /** As in the CSR, unsorted. */
  readonly sans: readonly string[];
  /** The SubjectPublicKeyInfo, DER. */
  readonly spki: Buffer;
}

/** The CN, SANs and public key of a PEM CSR, or undefined when this reader cannot say for sure. */
export function csrFacts(csrPem: string): CsrFacts | undefined {
  const body = csrPem.replace(/-----(BEGIN|END) [A-Z ]+-----/g, "").replace(/\s+/g, "");
  const request = elements(Buffer.from(body, "base64"))?.[0];
  if (request?.tag !== SEQUENCE) return undefined;
  const info = elements(request.value)?.[0];
  const parts = info?.tag === SEQUENCE ? elements(info.value) : undefined;
  const [, subject, spki, attributes] = parts ?? [];
  if (subject?.tag !== SEQUENCE || spki?.tag !== SEQUENCE) return undefined;
  const commonNames: string[] = [];
  for (const rdn of elements(subject.value) ?? []) {
    if (rdn.tag !== SET) return undefined;
    for (const pair of elements(rdn.value) ?? []) {
      const [type, value] = elements(pair.value) ?? [];
      if (type?.tag !== OID || value === undefined) return undefined;
      if (!type.value.equals(COMMON_NAME)) continue;
      const text = STRING_TAGS.has(value.tag) ? ascii(value.value) : undefined;
      if (text === undefined) return undefined;
      commonNames.push(text);
    }
  }
  if (commonNames.length > 1) return undefined;
  const sans: string[] = [];
  if (attributes !== undefined) {
    if (attributes.tag !== 0xa0) return undefined;
    for (const attribute of elements(attributes.value) ?? []) {
      const [type, values] = elements(attribute.value) ?? [];
      if (type?.tag !== OID || values?.tag !== SET || !type.value.equals(EXTENSION_REQUEST)) continue;
      for (const extensions of elements(values.value) ?? []) {
        for (const extension of elements(extensions.value) ?? []) {
          const fields = elements(extension.value) ?? [];
          if (fields[0]?.tag !== OID || !fields[0].value.equals(SUBJECT_ALT_NAME)) continue;
          const names = elements(fields[fields.length - 1]!.value)?.[0];
          if (names?.tag !== SEQUENCE) return undefined;
          for (const name of elements(names.value) ?? []) {
            if (name.tag === DNS_NAME) {
              const text = ascii(name.value);
              if (text === undefined) return undefined;
              sans.push(text);
            } else if (name.tag === IP_ADDRESS && name.value.length === 4) {
              sans.push([...name.value].join("."));
            } else return undefined;
          }
        }
      }
    }
  }
  return { commonName: commonNames[0] ?? "", sans, spki: Buffer.from(spki.raw) };
}

const RSA_ENCRYPTION = oid("1.2.840.113549.1.1.1");
const INTEGER = 0x02;
const OCTET_STRING = 0x04;

/** A DER element with this tag around `parts`. */
function der(tag: number, ...parts: Buffer[]): Buffer {
  const body = Buffer.concat(parts);
  const n = body.length;
  const length =
    n < 0x80
      ? [n]
      : n < 0x100
        ? [0x81, n]
        : n < 0x10000
          ? [0x82, n >> 8, n & 0xff]
          : [0x83, n >> 16, (n >> 8) & 0xff, n & 0xff];
  return Buffer.concat([Buffer.from([tag, ...length]), body]);
}

/** An RSA private key's public half as SubjectPublicKeyInfo DER, read from the PEM (PKCS#8 "PRIVATE KEY"
 * or PKCS#1 "RSA PRIVATE KEY": RFC 5208 section 5, RFC 8017 appendix A.1.2) without node:crypto; the
 * bytes Node's createPublicKey(key).export({ type: "spki", format: "der" }) gives (RFC 8017 A.1.1, RFC
 * 3279 2.3.1: rsaEncryption with NULL parameters). Undefined for anything else (an EC key, say). */
export function rsaPublicKeyDer(keyPem: string): Buffer | undefined {
  const label = /-----BEGIN ([A-Z ]+)-----/.exec(keyPem)?.[1];
  if (label !== "PRIVATE KEY" && label !== "RSA PRIVATE KEY") return undefined;
  const body = keyPem.replace(/-----(BEGIN|END) [A-Z ]+-----/g, "").replace(/\s+/g, "");
  const outer = elements(Buffer.from(body, "base64"))?.[0];
  if (outer?.tag !== SEQUENCE) return undefined;
  let rsaKey: Tlv | undefined = outer;
  if (label === "PRIVATE KEY") {
    const [version, algorithm, privateKey] = elements(outer.value) ?? [];
    const algorithmId = algorithm?.tag === SEQUENCE ? elements(algorithm.value)?.[0] : undefined;
    if (version?.tag !== INTEGER || algorithmId?.tag !== OID || !algorithmId.value.equals(RSA_ENCRYPTION))
      return undefined;
    if (privateKey?.tag !== OCTET_STRING) return undefined;
    rsaKey = elements(privateKey.value)?.[0];
    if (rsaKey?.tag !== SEQUENCE) return undefined;
  }
  const [, modulus, exponent] = elements(rsaKey.value) ?? [];
  if (modulus?.tag !== INTEGER || exponent?.tag !== INTEGER) return undefined;
  const algorithmIdentifier = der(SEQUENCE, der(OID, RSA_ENCRYPTION), Buffer.from([0x05, 0x00]));
  const publicKey = der(SEQUENCE, modulus.raw, exponent.raw);
  return der(SEQUENCE, algorithmIdentifier, der(0x03, Buffer.from([0x00]), publicKey));
}

/** The SubjectPublicKeyInfo (DER) of a private key's public half: RSA keys are read from their DER (idle
 * hooks then never load node:crypto), other kinds through node:crypto. */
export function publicKeyDer(keyPem: string): Buffer {
  return (
    rsaPublicKeyDer(keyPem) ?? nodeCrypto().createPublicKey(keyPem).export({ type: "spki", format: "der" })
  );
}
