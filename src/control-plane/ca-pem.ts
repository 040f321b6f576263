// Checks and normalises a PEM bundle that a kubeconfig will trust as `certificate-authority-data`.
import { X509Certificate } from "node:crypto";

const PEM_BLOCK = /-----BEGIN CERTIFICATE-----\r?\n[\s\S]*?-----END CERTIFICATE-----/g;

/**
 * Returns the certificates re-joined in a canonical form (one block per cert, "\n" endings), so that the
 * same CA always renders the same bytes and rewrites happen only on real change. Throws RangeError unless
 * every certificate parses and is a CA: trusting the leaf (what the old charm did) breaks on every re-issue.
 */
export function normaliseCaPem(pem: string, what: string): string {
  if (lastAccepted?.pem === pem) return lastAccepted.normalised;
  const normalised = checkAndNormalise(pem, what);
  lastAccepted = { pem, normalised };
  return normalised;
}

/** The last bundle accepted and its canonical form. The answer depends on the text alone, and a process
 * asks about the same CA several times (webhook kubeconfig and trust store, the IRSA webhook; every hook
 * when hooks run in process), while parsing a certificate costs a good part of an idle hook. Refusals are
 * not kept: they are rare and their message names `what`. */
let lastAccepted: { readonly pem: string; readonly normalised: string } | undefined;

function checkAndNormalise(pem: string, what: string): string {
  const blocks = pem.match(PEM_BLOCK) ?? [];
  if (blocks.length === 0) throw new RangeError(`${what} contains no PEM certificate`);
  blocks.forEach((block, i) => {
    let cert: X509Certificate;
    try {
      cert = new X509Certificate(block);
    } catch (error) {
      throw new RangeError(`${what}: certificate ${i + 1} does not parse`, { cause: error });
    }
    if (!cert.ca) {
      throw new RangeError(
        `${what}: certificate ${i + 1} (${cert.subject.replaceAll("\n", ", ")}) is not a CA; pass the issuing CA, not the server certificate`,
      );
    }
  });
  return `${blocks.map((b) => b.replaceAll("\r\n", "\n")).join("\n")}\n`;
}
