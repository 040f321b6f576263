// The root above the certificate provider's CA, for the host trust store. vault 1.15+ on `vault-pki`
// imports only its intermediate (canonical/vault-k8s-operator vault_managers.py
// PKIManager._configure_external_ca → vault_client.py import_ca_certificate_and_key) and answers with
// ca = that intermediate and chain = [leaf] + vault's ca_chain, which holds no root
// (hashicorp/vault builtin/logical/pki chain_util.go rebuildIssuersChains). Go clients accept the
// intermediate as an anchor; CK's auth-webhook (Python's default OpenSSL context, no partial chain before
// Python 3.13) needs a self-signed root in the host trust store, or it forwards without verification.
import { certificateNames, selfIssued } from "../certificates/cert-names.ts";
import { containsPrivateKey, pemBlocks } from "../certificates/pem.ts";
import { issued, parse } from "../certificates/validate.ts";

export const ROOT_CA_OPTION = "root-ca-certificate";
export const ROOT_CA_HINT = "the PEM of one self-signed CA certificate, or empty";

export type RootCaOption =
  | { readonly ok: true; readonly rootPem: string | undefined }
  /** What the option must be, after "root-ca-certificate must be ". */
  | { readonly ok: false; readonly must: string };

/** The option's value: empty, or one self-signed CA certificate (canonical PEM). Loads node:crypto only
 * when the option is set. */
export function parseRootCaOption(text: string): RootCaOption {
  if (text.trim() === "") return { ok: true, rootPem: undefined };
  const blocks = pemBlocks(text);
  if (blocks.length !== 1 || containsPrivateKey(text)) return { ok: false, must: ROOT_CA_HINT };
  const root = parse(blocks[0]!);
  if (root === undefined) return { ok: false, must: ROOT_CA_HINT };
  if (!root.ca) return { ok: false, must: `a CA certificate, and "${dn(root.subject)}" is not a CA` };
  if (!issued(root, root)) {
    return {
      ok: false,
      must: `a self-signed root CA, and "${dn(root.subject)}" is issued by "${dn(root.issuer)}"`,
    };
  }
  return { ok: true, rootPem: `${blocks[0]!}\n` };
}

export interface HostTrust {
  /** The host trust store's file: the anchor, then the root when it issued the anchor. */
  readonly trustedCa: string;
  /** What keeps CK's auth-webhook from verifying the authenticator, for the active status. */
  readonly note?: string;
}

const CANNOT = "CK's auth-webhook cannot verify the authenticator";

/** The host trust content for `anchorPem` (canonical, one CA: the top of the verified path). A
 * self-issued anchor is enough. An intermediate gets the configured root after it when that root signed
 * it; otherwise the note says what is missing. Without a root configured, no node:crypto. */
export function hostTrust(anchorPem: string, rootPem: string | undefined, provider: string): HostTrust {
  const anchor = certificateNames(anchorPem);
  // Unreadable: webhookFiles checked that it parses as a CA; nothing to say about it here.
  if (anchor === undefined || selfIssued(anchor)) return { trustedCa: anchorPem };
  const anchorName = anchor.subjectCn ?? dn(parse(anchorPem)?.subject ?? "");
  if (rootPem === undefined) {
    return {
      trustedCa: anchorPem,
      note: `${CANNOT}: ${provider} sent no root CA above "${anchorName}"; set ${ROOT_CA_OPTION}`,
    };
  }
  const [a, r] = [parse(anchorPem), parse(rootPem)];
  if (a === undefined || r === undefined) return { trustedCa: anchorPem };
  if (issued(a, r)) return { trustedCa: `${anchorPem}${rootPem}` };
  const [rootName, issuerName] = [dn(r.subject), dn(a.issuer)];
  const mismatch =
    rootName === issuerName
      ? `${ROOT_CA_OPTION} "${rootName}" did not sign "${anchorName}" (another key)`
      : `${ROOT_CA_OPTION} is "${rootName}", not "${issuerName}", the issuer of "${anchorName}"`;
  return { trustedCa: anchorPem, note: `${CANNOT}: ${mismatch}` };
}

/** Node's multi-line distinguished name on one line. */
const dn = (name: string): string => name.replaceAll("\n", ", ");
