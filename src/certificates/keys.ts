/** Key pair and PKCS#10 CSR for the CSR protocol, made on the unit with node-forge.
 * Cost: forge delegates RSA key generation to Node's native generateKeyPairSync when it can (tens
 * to a few hundred ms); its pure-JS fallback takes seconds. Either way, generate once per request
 * and let the caller persist the key (Juju secret); CSRs are cheap and may be remade. */
import type forge from "node-forge";
import { nodeCrypto, nodeForge } from "../util/lazy-module.ts";
import { csrFacts, publicKeyDer } from "./csr-der.ts";
import { type CertificateRequest, normalizeSans, splitSans, tidyPem } from "./request.ts";

// node-forge is most of the charm's code by size and only CSR work needs it (src/util/lazy-module.ts).
const pki = (): typeof forge.pki => nodeForge().pki;
const asn1 = (): typeof forge.asn1 => nodeForge().asn1;
const md = (): typeof forge.md => nodeForge().md;
export const RSA_BITS = 2048;

/** A new RSA-2048 private key as PKCS#8 PEM (LF line endings). Never log the result. */
export function generatePrivateKeyPem(): string {
  const { privateKey } = pki().rsa.generateKeyPair({ bits: RSA_BITS, e: 0x10001 });
  const info = pki().wrapRsaPrivateKey(pki().privateKeyToAsn1(privateKey));
  return tidyPem(pki().privateKeyInfoToPem(info));
}

/** A CSR for the request, signed with SHA-256 (forge's default would be SHA-1). The subject carries
 * the CN and a random x500UniqueIdentifier, as the Python library does, so that a renewal CSR with
 * the same key is never byte-identical to the previous one. */
export function createCsrPem(
  request: CertificateRequest,
  keyPem: string,
  uniqueId: string = nodeCrypto().randomUUID(),
): string {
  const privateKey = pki().privateKeyFromPem(keyPem);
  if (privateKey.n.bitLength() < RSA_BITS) throw new Error(`RSA key must have at least ${RSA_BITS} bits`);
  const csr = pki().createCertificationRequest();
  csr.publicKey = pki().setRsaPublicKey(privateKey.n, privateKey.e);
  // forge uses valueTagClass as the string's ASN.1 *type* (default PrintableString); @types/node-forge
  // mislabels it as a tag class, hence the cast. UTF8String matches what pyca/cryptography emits.
  const utf8 = asn1().Type.UTF8 as unknown as forge.asn1.Class;
  csr.setSubject([
    { name: "commonName", value: request.commonName, valueTagClass: utf8 },
    { type: "2.5.4.45", value: uniqueId, valueTagClass: utf8 },
  ]);
  const { dns, ips } = splitSans(request.sans);
  const altNames = [...dns.map((value) => ({ type: 2, value })), ...ips.map((ip) => ({ type: 7, ip }))];
  csr.setAttributes([
    {
      name: "extensionRequest",
      extensions: [
        { name: "subjectAltName", altNames },
        // Copied into the leaf by self-signed-certificates; ignored by the others.
        { name: "extKeyUsage", serverAuth: true },
      ],
    },
  ]);
  csr.sign(nativeSigner(keyPem), md().sha256.create());
  return tidyPem(pki().certificationRequestToPem(csr));
}

/** A stand-in for forge's private key in `csr.sign(key, md)`, which calls only `key.sign(md)`: the same
 * RSASSA-PKCS1-v1_5 signature (forge rsa.js key.sign: DigestInfo, then block type 1 padding, then the
 * private-key operation), made by Node's native RSA (OpenSSL RSA_private_encrypt with PKCS#1 padding)
 * instead of forge's pure-JS big integers, tens of times slower. PKCS#1 v1.5 signing is deterministic, so
 * the bytes are forge's own. */
function nativeSigner(keyPem: string): forge.pki.rsa.PrivateKey {
  const { constants, createPrivateKey, privateEncrypt } = nodeCrypto();
  const key = createPrivateKey(keyPem);
  const sign = (digest: forge.md.MessageDigest): string =>
    privateEncrypt({ key, padding: constants.RSA_PKCS1_PADDING }, digestInfoDer(digest)).toString("binary");
  // forge types its private key as the whole RSA key object; csr.sign uses nothing but sign().
  return { sign } as unknown as forge.pki.rsa.PrivateKey;
}

/** DigestInfo ::= SEQUENCE { SEQUENCE { digest OID, NULL }, OCTET STRING digest } in DER, as forge's
 * emsaPkcs1v15encode (rsa.js) builds it. */
function digestInfoDer(digest: forge.md.MessageDigest): Buffer {
  const { Class, Type, create, oidToDer, toDer } = asn1();
  const oid = pki().oids[digest.algorithm];
  if (oid === undefined) throw new Error(`unknown digest algorithm ${digest.algorithm}`);
  const info = create(Class.UNIVERSAL, Type.SEQUENCE, true, [
    create(Class.UNIVERSAL, Type.SEQUENCE, true, [
      create(Class.UNIVERSAL, Type.OID, false, oidToDer(oid).getBytes()),
      create(Class.UNIVERSAL, Type.NULL, false, ""),
    ]),
    create(Class.UNIVERSAL, Type.OCTETSTRING, false, digest.digest().getBytes()),
  ]);
  return Buffer.from(toDer(info).getBytes(), "binary");
}

export interface CsrInfo {
  readonly commonName: string;
  readonly sans: string[];
  readonly signatureValid: boolean;
  /** "sha256WithRSAEncryption" etc. */
  readonly signatureAlgorithm: string;
}

/** Reads back what a CSR asks for (to detect that the request changed and a new CSR is due). */
export function readCsr(csrPem: string): CsrInfo {
  const csr = pki().certificationRequestFromPem(csrPem);
  const cn = csr.subject.getField("CN");
  const ext = csr.getAttribute({ name: "extensionRequest" }) as { extensions?: ForgeExtension[] } | null;
  const san = ext?.extensions?.find((e) => e.name === "subjectAltName");
  const sans = (san?.altNames ?? []).map((a) => (a.type === 7 ? (a.ip ?? "") : String(a.value)));
  return {
    commonName: cn ? String(cn.value) : "",
    sans: normalizeSans(sans),
    signatureValid: csr.verify(),
    signatureAlgorithm: pki().oids[csr.signatureOid ?? ""] ?? String(csr.signatureOid),
  };
}

/** The CSR was made from this key (deterministic: compares the RSA modulus and exponent). */
export function csrMatchesKey(csrPem: string, keyPem: string): boolean {
  // Every leader hook asks this of its current CSR: say yes from the DER, without loading forge; a
  // mismatch, or a CSR the small reader cannot read, is for forge to decide.
  if (csrFacts(csrPem)?.spki.equals(publicKeyDerOrEmpty(keyPem))) return true;
  const pub = pki().certificationRequestFromPem(csrPem).publicKey as forge.pki.rsa.PublicKey | null;
  const key = pki().privateKeyFromPem(keyPem);
  return pub?.n.equals(key.n) === true && pub.e.equals(key.e);
}

/** The CSR still encodes exactly this request (CN and SAN set). */
export function csrMatchesRequest(csrPem: string, request: CertificateRequest): boolean {
  const want = normalizeSans(request.sans);
  // As csrMatchesKey: a match is confirmed from the DER; forge decides the rest.
  const facts = csrFacts(csrPem);
  if (
    facts !== undefined &&
    facts.commonName === request.commonName &&
    normalizeSans(facts.sans).join("\n") === want.join("\n")
  )
    return true;
  const info = readCsr(csrPem);
  return info.commonName === request.commonName && info.sans.join("\n") === want.join("\n");
}

function publicKeyDerOrEmpty(keyPem: string): Buffer {
  try {
    return publicKeyDer(keyPem);
  } catch {
    // Not a key Node reads: forge has the last word (and its error).
    return Buffer.alloc(0);
  }
}

/** Canonical CSR identity: base64 of the DER. Providers may re-serialise (CRLF→LF, strip), so CSRs
 * are compared by this id, never as strings. */
export function csrId(csrPem: string): string {
  return csrPem.replace(/-----(BEGIN|END) [A-Z ]+-----/g, "").replace(/\s+/g, "");
}

interface ForgeExtension {
  name?: string;
  altNames?: { type: number; value?: string; ip?: string }[];
}
