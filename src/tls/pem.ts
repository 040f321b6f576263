/** PEM block extraction. easyrsa publishes `openssl ca` output: a text dump before the PEM block. */
const BLOCK = /-----BEGIN ([A-Z0-9 ]+)-----[\s\S]*?-----END \1-----/g;

/** Every PEM block with the given label (default CERTIFICATE), normalised to LF, in order. */
export function pemBlocks(text: string, label = "CERTIFICATE"): string[] {
  const out: string[] = [];
  for (const m of text.replace(/\r\n/g, "\n").matchAll(BLOCK)) {
    if (m[1] === label) out.push(m[0]);
  }
  return out;
}

/** Does the text contain any private key block (PKCS#1, PKCS#8, EC, encrypted)? */
export function containsPrivateKey(text: string): boolean {
  return /-----BEGIN [A-Z ]*PRIVATE KEY-----/.test(text);
}
