// Checks and normalises a PEM bundle that a kubeconfig will trust as `certificate-authority-data`.
import type { X509Certificate } from "node:crypto";
import { nodeCrypto } from "../util/lazy-module.ts";

const PEM_BLOCK = /-----BEGIN CERTIFICATE-----\r?\n[\s\S]*?-----END CERTIFICATE-----/g;

/** The certificates re-joined in a canonical form (one block per cert, "\n" endings), so that the same CA
 * always renders the same bytes and rewrites happen only on real change. Text only: checkCaPem parses.
 * Throws RangeError when there is no certificate at all. */
export function canonicalCaPem(pem: string, what: string): string {
  const blocks = pem.match(PEM_BLOCK) ?? [];
  if (blocks.length === 0) throw new RangeError(`${what} contains no PEM certificate`);
  return `${blocks.map((b) => b.replaceAll("\r\n", "\n")).join("\n")}\n`;
}

/** Throws RangeError unless every certificate parses and is a CA: trusting the leaf (what the old charm
 * did) breaks on every re-issue. */
export function checkCaPem(pem: string, what: string): void {
  (pem.match(PEM_BLOCK) ?? []).forEach((block, i) => {
    let cert: X509Certificate;
    try {
      cert = new (nodeCrypto().X509Certificate)(block);
    } catch (error) {
      throw new RangeError(`${what}: certificate ${i + 1} does not parse`, { cause: error });
    }
    if (!cert.ca) {
      throw new RangeError(
        `${what}: certificate ${i + 1} (${cert.subject.replaceAll("\n", ", ")}) is not a CA; pass the issuing CA, not the server certificate`,
      );
    }
  });
}

/** canonicalCaPem, checked (checkCaPem). */
export function normaliseCaPem(pem: string, what: string): string {
  const canonical = canonicalCaPem(pem, what);
  checkCaPem(canonical, what);
  return canonical;
}
