/** Stand-in for a CSR-protocol provider (tls-certificates v1 on the wire, charmlibs/v4 library):
 * self-signed-certificates (`ca` = root, chain = [leaf, root]) or the Canonical vault charm ≥ 1.15
 * on `vault-pki` (`ca` = its intermediate, chain = [leaf, intermediate]: no root, see `answer`; PKI
 * role policy: IP SANs and names outside the allowed domains are refused with `request_errors`).
 * The leader reads `certificate_signing_requests` from the requirer unit and app databags, signs
 * each CSR's public key with the CN and SANs the CSR asks for, and keeps `certificates` in its app
 * databag; entries whose CSR is no longer requested are withdrawn. */
import { isIP } from "node:net";
import type { Databag, RelationView, RelationWrites, RemoteCharm } from "../juju/remote-charm.ts";
import {
  csrId,
  expiredWindow,
  type KeyPair,
  makeCa,
  newKeyPem,
  readCsrRequest,
  signLeaf,
  windowFrom,
} from "./tls-forge-ca.ts";
import { MALFORMED_JSON, type Misbehaviour, sansFor } from "./tls-misbehaviour.ts";

export interface CsrProviderOptions {
  readonly flavour?: "self-signed" | "vault";
  /** Vault: pki_allow_ip_sans (default false, as the charm). */
  readonly allowIpSans?: boolean;
  /** Vault: pki_allow_any_name (default false). */
  readonly allowAnyName?: boolean;
  /** Vault: pki_allowed_domains (bare names allowed, as pki_allow_bare_domains defaults to true).
   * "localhost" is always allowed (the role's allow_localhost default). */
  readonly allowedDomains?: readonly string[];
  /** Vault: pki_allow_subdomains (default false). */
  readonly allowSubdomains?: boolean;
  readonly validityDays?: number;
  /** Vault: false for the vault machine charm before charmlibs' request_errors existed: a refusal is
   * only logged, and the requirer never hears anything. */
  readonly reportsErrors?: boolean;
}

interface Entry {
  readonly csr: string;
  readonly certificate: string;
  readonly ca: string;
  readonly chain: string[];
  revoked?: boolean;
}

/** One `request_errors` element as charmlibs serialises it (_RequestError: csr + CertificateError
 * {code, name, message, reason?, provider?, endpoint?}; dumped with exclude_defaults, so unset
 * optional fields are absent): canonical/charmlibs interfaces/tls-certificates
 * _tls_certificates.py. */
interface RequestError {
  readonly csr: string;
  readonly error: { code: number; name: string; message: string; reason: string; provider: string };
}

/** The vault charm's CertificateError for one of vault's refusals (vault_managers.py:
 * _CERTIFICATE_ERROR_MESSAGES, _VAULT_PROVIDER_NAME = "vault-pki"). */
function vaultError(code: 101 | 102 | 999, reason: string): RequestError["error"] {
  const named = {
    101: ["IP_NOT_ALLOWED", "Vault PKI role rejected the IP Subject Alternative Name."],
    102: ["DOMAIN_NOT_ALLOWED", "Vault PKI role rejected the requested DNS names."],
    999: ["OTHER", "Vault PKI role rejected the certificate request."],
  } as const;
  const [name, message] = named[code];
  return { code, name, message, reason, provider: "vault-pki" };
}

export class CsrProviderCharm implements RemoteCharm {
  readonly charm: string;
  readonly misbehave = new Set<Misbehaviour>();
  private options: CsrProviderOptions;
  /** What the charm logged (refusals), newest last. */
  readonly logs: string[] = [];
  private root!: KeyPair;
  private issuer!: KeyPair;
  private entries: Entry[] = [];
  private errors: RequestError[] = [];
  /** Revoked entries are published once before they are re-issued (next configure pass). */
  private publishRevokedOnce = false;
  /** Where new private keys (CA keys, the "wrong-key" misbehaviour's) come from. */
  private newKey: () => string = () => newKeyPem("pkcs8");

  constructor(options: CsrProviderOptions = {}) {
    this.options = options;
    this.charm = options.flavour === "vault" ? "vault" : "self-signed-certificates";
    this.newCa();
  }

  async onRelationEvent(view: RelationView): Promise<RelationWrites> {
    const now = new Date();
    const wanted = requestedCsrs(view);
    const ids = new Set(wanted.map(csrId));
    this.entries = this.entries.filter((e) => ids.has(csrId(e.csr)));
    this.errors = this.errors.filter((e) => ids.has(csrId(e.csr)));
    if (this.publishRevokedOnce) {
      this.publishRevokedOnce = false;
    } else {
      for (const csr of wanted) this.answer(csr, now);
    }
    return { appData: this.databag() };
  }

  /** Regenerate the CA; like self-signed-certificates, revoke every certificate issued so far. */
  rotateCa(): void {
    this.newCa();
    this.revokeAll();
  }

  /** Mark every entry `revoked: true`; the next event publishes that, the one after re-issues. */
  revokeAll(): void {
    for (const e of this.entries) e.revoked = true;
    this.publishRevokedOnce = true;
  }

  /** From now on, new keys come from `supply` (tls-forge-ca.ts KeyRing). */
  useKeys(supply: () => string): void {
    this.newKey = supply;
  }

  get caPem(): string {
    return this.issuer.certPem;
  }

  /** The root above `caPem` (vault: the CA that signed its intermediate, which it never sends; what an
   * operator gives aws-iam as root-ca-certificate). */
  get rootPem(): string {
    return this.root.certPem;
  }

  /** `juju config vault pki_…`: the role changes; like the vault charm, whose sync() signs every
   * outstanding request (one without a certificate, refused or not) on each event
   * (vault_managers.py PKIManager.sync, charmlibs get_outstanding_certificate_requests), the next
   * event re-evaluates the refused requests. */
  reconfigure(policy: Pick<CsrProviderOptions, "allowIpSans" | "allowAnyName" | "allowedDomains">): void {
    this.options = { ...this.options, ...policy };
  }

  private answer(csr: string, now: Date): void {
    const id = csrId(csr);
    const current = this.entries.find((e) => csrId(e.csr) === id);
    if (current !== undefined && current.revoked !== true) return;
    const asked = readCsrRequest(csr);
    if (!asked.valid) return;
    const refusal = this.policyError(asked.commonName, asked.sans);
    this.errors = this.errors.filter((e) => csrId(e.csr) !== id);
    if (refusal !== undefined) {
      // vault_managers.py _generate_pki_certificate_for_requirer: logger.warning, then (only where
      // the library has request errors) set_request_error; the old vault-operator only logs.
      this.logs.push(`Failed to sign certificate request: ${refusal.reason}`);
      if (this.options.reportsErrors !== false) this.errors.push({ csr, error: refusal });
      return;
    }
    const window = this.misbehave.has("expired")
      ? expiredWindow(now)
      : windowFrom(now, this.options.validityDays ?? 90);
    const subjectKeyPem = this.misbehave.has("wrong-key") ? this.newKey() : csr;
    const sans = sansFor(asked.sans, this.misbehave);
    const certificate = signLeaf({
      ca: this.issuer,
      subjectKeyPem,
      commonName: asked.commonName,
      sans,
      window,
    });
    // Vault imports only its intermediate: canonical/vault-k8s-operator vault-package/vault
    // vault_managers.py PKIManager._configure_external_ca → vault_client.py
    // import_ca_certificate_and_key(certificate=str(certificate_from_provider.certificate), ...), a
    // pem_bundle of that one certificate and its key. It answers with ca = issuing_ca and chain =
    // [leaf] + ca_chain (vault_client.py sign_pki_certificate_signing_request; vault_managers.py
    // _generate_pki_certificate_for_requirer). Vault's ca_chain is the issuer's CAChain
    // (hashicorp/vault builtin/logical/pki path_issue_sign.go signIssueApiResponse, newCaChainOutput),
    // built from the issuers the mount knows (chain_util.go rebuildIssuersChains: an issuer whose
    // RawIssuer matches no known subject gets CAChain = [itself]), so the root never appears.
    const chain =
      this.options.flavour === "vault"
        ? [certificate, this.issuer.certPem]
        : [certificate, this.root.certPem];
    this.entries = [
      ...this.entries.filter((e) => csrId(e.csr) !== id),
      { csr, certificate, ca: this.issuer.certPem, chain },
    ];
  }

  /** Vault's PKI role, in vault's order (hashicorp/vault builtin/logical/pki/issuing/issue_common.go,
   * generateCreationBundle): the common name first ("common name %s not allowed by this role"), then
   * the DNS SANs ("subject alternate name %s not allowed by this role"), and only then the IP SANs
   * ("IP Subject Alternative Names are not allowed in this role, but was provided some via CSR"). The
   * first failure is the only one reported, so an operator meets the IP refusal after fixing the name.
   * Role defaults: allow_localhost true; the charm's pki_allow_bare_domains true,
   * pki_allow_subdomains/pki_allow_any_name/pki_allow_ip_sans false (vault-k8s-operator
   * machine/charmcraft.yaml). Vault's text becomes `reason`; code, name and message are what the vault
   * charm's _map_vault_pki_errors (vault_managers.py) derives from it: "common name" → 102
   * DOMAIN_NOT_ALLOWED, "ip subject alternative name" → 101 IP_NOT_ALLOWED, anything else (including
   * vault's "subject alternate name", which matches none of its patterns) → 999 OTHER. */
  private policyError(cn: string, sans: string[]): RequestError["error"] | undefined {
    if (this.options.flavour !== "vault") return undefined;
    const ips = sans.filter((s) => isIP(s) !== 0);
    const dns = sans.filter((s) => isIP(s) === 0);
    const badName = [cn].find((n) => !this.nameAllowed(n));
    if (badName !== undefined) return vaultError(102, `common name ${badName} not allowed by this role`);
    const badSan = dns.find((n) => !this.nameAllowed(n));
    if (badSan !== undefined)
      return vaultError(999, `subject alternate name ${badSan} not allowed by this role`);
    if (ips.length > 0 && this.options.allowIpSans !== true) {
      return vaultError(
        101,
        "IP Subject Alternative Names are not allowed in this role, but was provided some via CSR",
      );
    }
    return undefined;
  }

  /** validateCommonName/validateNames for a role with allow_localhost and bare domains. */
  private nameAllowed(name: string): boolean {
    if (this.options.allowAnyName === true || name === "localhost") return true;
    const domains = this.options.allowedDomains ?? [];
    return domains.some(
      (d) => name === d || (this.options.allowSubdomains === true && name.endsWith(`.${d}`)),
    );
  }

  private databag(): Databag {
    const certificates = this.entries.map((e) => ({
      ca: e.ca,
      certificate: e.certificate,
      certificate_signing_request: e.csr,
      chain: e.chain,
      ...(e.revoked === true ? { revoked: true } : {}),
    }));
    const bag: Databag = {
      certificates: this.misbehave.has("malformed-json") ? MALFORMED_JSON : JSON.stringify(certificates),
    };
    if (this.options.flavour === "vault")
      bag["request_errors"] = this.errors.length > 0 ? JSON.stringify(this.errors) : "";
    return bag;
  }

  private newCa(): void {
    const window = windowFrom(new Date(), 365);
    this.root = makeCa(
      this.options.flavour === "vault" ? "Vault root CA" : "self-signed-certificates-operator",
      window,
      undefined,
      this.newKey(),
    );
    this.issuer =
      this.options.flavour === "vault"
        ? makeCa("Vault intermediate CA", window, this.root, this.newKey())
        : this.root;
  }
}

/** CSRs from every requirer unit databag and the app databag (v4 providers read both). */
function requestedCsrs(view: RelationView): string[] {
  const bags = [...Object.values(view.remoteUnitData), view.remoteAppData];
  const out = new Map<string, string>();
  for (const bag of bags) {
    let list: unknown;
    try {
      list = JSON.parse(bag["certificate_signing_requests"] || "[]");
    } catch {
      continue; // the library ignores a databag it cannot load
    }
    if (!Array.isArray(list)) continue;
    for (const item of list) {
      const pem =
        typeof item === "object" && item !== null
          ? (item as Record<string, unknown>)["certificate_signing_request"]
          : undefined;
      // pydantic v2 needs `ca`: an element without it invalidates the databag for v4/charmlibs.
      if (typeof pem === "string" && "ca" in (item as object)) out.set(csrId(pem), pem.trim());
    }
  }
  return [...out.values()];
}
