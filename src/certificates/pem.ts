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

/** PEM blocks as one file, every block ending in a newline. The server reads cert.pem with Go's
 * tls.LoadX509KeyPair, which finds the next block only after a line break: two blocks glued as
 * `-----END CERTIFICATE----------BEGIN` lose everything after the first. */
export function pemFile(blocks: readonly string[]): string {
  return blocks.map((block) => `${block.replace(/\r\n/g, "\n").trim()}\n`).join("");
}

/** What the server serves as cert.pem: the leaf, then the intermediates up to (not including) the
 * trust anchor the webhook kubeconfig names, so a client holding only that anchor builds the path. */
export function servedChainPem(material: {
  readonly certPem: string;
  readonly intermediatePems: readonly string[];
}): string {
  return pemFile([material.certPem, ...material.intermediatePems]);
}
