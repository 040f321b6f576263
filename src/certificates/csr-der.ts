/** What a hook with nothing new needs from its current CSR (the CN, the SANs, the public key), read from
 * the DER with a few lines instead of node-forge, so that idle hooks never load forge. Only used to
 * confirm a match: anything this reader does not know (IPv6 SANs, non-ASCII names, odd encodings) gives
 * undefined and the caller asks forge (keys.ts). Layout: RFC 2986 section 4 (CertificationRequestInfo),
 * RFC 5280 section 4.1.2.4 (Name) and 4.2.1.6 (subjectAltName), PKCS#9 extensionRequest. */
import { createPublicKey } from "node:crypto";

interface Tlv {
  readonly tag: number;
  /** The whole element (tag, length, value). */
  readonly raw: Buffer;
  readonly value: Buffer;
}

/** The DER elements one after the other in `data`; undefined when it is not DER. */
function elements(data: Buffer): Tlv[] | undefined {
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

const oid = (dotted: string): Buffer => {
  const [a = 0, b = 0, ...rest] = dotted.split(".").map(Number);
  const bytes = [40 * a + b];
  for (const n of rest) {
    const part = [n & 0x7f];
    for (let v = n >>> 7; v > 0; v >>>= 7) part.unshift((v & 0x7f) | 0x80);
    bytes.push(...part);
  }
  return Buffer.from(bytes);
};
const COMMON_NAME = oid("2.5.4.3");
const EXTENSION_REQUEST = oid("1.2.840.113549.1.9.14");
const SUBJECT_ALT_NAME = oid("2.5.29.17");
const OID = 0x06;
const SEQUENCE = 0x30;
const SET = 0x31;
/** UTF8String, PrintableString, IA5String. */
const STRING_TAGS = new Set([0x0c, 0x13, 0x16]);
const DNS_NAME = 0x82;
const IP_ADDRESS = 0x87;
const ascii = (bytes: Buffer): string | undefined =>
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

/** The SubjectPublicKeyInfo (DER) of a private key's public half. An RSA key (the charm's own, PKCS#8 or
 * PKCS#1) is read with the reader above, since Node's createPublicKey costs about a millisecond a call
 * (OpenSSL 3's decoder chain); anything else is Node's to read. */
export function publicKeyDer(keyPem: string): Buffer {
  return rsaPublicKeyDer(keyPem) ?? createPublicKey(keyPem).export({ type: "spki", format: "der" });
}

const RSA_ENCRYPTION = oid("1.2.840.113549.1.1.1");
const INTEGER = 0x02;
const OCTET_STRING = 0x04;
const NULL_DER = Buffer.from([0x05, 0x00]);

/** The SPKI of an RSA private key PEM, as Node exports it (RFC 3279 section 2.3.1: AlgorithmIdentifier
 * rsaEncryption with NULL parameters, then RSAPublicKey { modulus, publicExponent } in a BIT STRING), or
 * undefined unless the PEM is one well-formed key: PKCS#8 PrivateKeyInfo (RFC 5208 section 5) holding,
 * or PKCS#1 alone being, RSAPrivateKey { version 0, n, e, d, p, q, dP, dQ, qInv } (RFC 8017 A.1.2). */
function rsaPublicKeyDer(keyPem: string): Buffer | undefined {
  const armour =
    /^-----BEGIN (RSA )?PRIVATE KEY-----\n([A-Za-z0-9+/=\n]+)-----END (RSA )?PRIVATE KEY-----\n?$/.exec(
      keyPem.replace(/\r\n/g, "\n").trim().concat("\n"),
    );
  if (armour === null || armour[1] !== armour[3]) return undefined;
  const top = elements(Buffer.from(armour[2]!.replace(/\n/g, ""), "base64"));
  if (top?.length !== 1 || top[0]!.tag !== SEQUENCE) return undefined;
  let rsaKey = top[0]!;
  if (armour[1] === undefined) {
    const [version, algorithm, key, ...rest] = elements(rsaKey.value) ?? [];
    if (!isZero(version) || algorithm?.tag !== SEQUENCE || key?.tag !== OCTET_STRING) return undefined;
    if (rest.some((e) => e.tag !== 0xa0 && e.tag !== 0x81)) return undefined; // attributes, publicKey
    const [type, parameters, ...more] = elements(algorithm.value) ?? [];
    if (type?.tag !== OID || !type.value.equals(RSA_ENCRYPTION) || more.length > 0) return undefined;
    if (parameters !== undefined && !parameters.raw.equals(NULL_DER)) return undefined;
    const inner = elements(key.value);
    if (inner?.length !== 1 || inner[0]!.tag !== SEQUENCE) return undefined;
    rsaKey = inner[0]!;
  }
  const numbers = elements(rsaKey.value);
  if (numbers?.length !== 9 || !numbers.every(isPositiveInteger) || !isZero(numbers[0])) return undefined;
  const publicKey = der(SEQUENCE, Buffer.concat([numbers[1]!.raw, numbers[2]!.raw]));
  const algorithm = der(SEQUENCE, Buffer.concat([der(OID, RSA_ENCRYPTION), NULL_DER]));
  return der(SEQUENCE, Buffer.concat([algorithm, der(0x03, Buffer.concat([Buffer.from([0]), publicKey]))]));
}

/** A DER INTEGER in minimal form (X.690 section 8.3.2), not negative. */
function isPositiveInteger(e: Tlv): boolean {
  const v = e.value;
  if (e.tag !== INTEGER || v.length === 0 || (v[0]! & 0x80) !== 0) return false;
  return v.length === 1 || v[0] !== 0 || (v[1]! & 0x80) !== 0;
}

function isZero(e: Tlv | undefined): boolean {
  return e?.tag === INTEGER && e.value.length === 1 && e.value[0] === 0;
}

/** One DER element (definite length, X.690 section 8.1.3). */
function der(tag: number, value: Buffer): Buffer {
  const n = value.length;
  const length = n < 0x80 ? [n] : n < 0x100 ? [0x81, n] : n < 0x10000 ? [0x82, n >> 8, n & 0xff] : undefined;
  if (length === undefined) throw new RangeError("DER element too long");
  return Buffer.concat([Buffer.from([tag, ...length]), value]);
}
