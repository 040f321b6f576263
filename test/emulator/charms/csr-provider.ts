/** Stand-in for a CSR-protocol provider (tls-certificates v1 on the wire, charmlibs/v4 library):
 * self-signed-certificates (`ca` = root, chain = [leaf, root]) or the Canonical vault charm ≥ 1.15
 * on `vault-pki` (`ca` = its intermediate, chain = [leaf, intermediate, root], PKI role policy:
 * IP SANs and names outside the allowed domains are refused with `request_errors`).
 * The leader reads `certificate_signing_requests` from the requirer unit and app databags, signs
 * each CSR's public key with the CN and SANs the CSR asks for, and keeps `certificates` in its app
 * databag; entries whose CSR is no longer requested are withdrawn. */
import { isIP } from "node:net";
import { csrId } from "../../../src/tls/keys.ts";
import type { Databag, RelationView, RelationWrites, RemoteCharm } from "../juju/remote-charm.ts";
import {
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
  /** Vault: pki_allowed_domains (bare names; subdomains not allowed). "localhost" is always allowed. */
  readonly allowedDomains?: readonly string[];
  readonly validityDays?: number;
}

interface Entry {
  readonly csr: string;
  readonly certificate: string;
  readonly ca: string;
  readonly chain: string[];
  revoked?: boolean;
}

interface RequestError {
  readonly csr: string;
  readonly error: { code: number; name: string; message: string; reason: string; provider: string };
}

export class CsrProviderCharm implements RemoteCharm {
  readonly charm: string;
  readonly misbehave = new Set<Misbehaviour>();
  private readonly options: CsrProviderOptions;
  private root!: KeyPair;
  private issuer!: KeyPair;
  private entries: Entry[] = [];
  private errors: RequestError[] = [];
  /** Revoked entries are published once before they are re-issued (next configure pass). */
  private publishRevokedOnce = false;

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

  get caPem(): string {
    return this.issuer.certPem;
  }

  private answer(csr: string, now: Date): void {
    const id = csrId(csr);
    const current = this.entries.find((e) => csrId(e.csr) === id);
    if ((current !== undefined && current.revoked !== true) || this.errors.some((e) => csrId(e.csr) === id))
      return;
    const asked = readCsrRequest(csr);
    if (!asked.valid) return;
    const refusal = this.policyError(asked.commonName, asked.sans);
    if (refusal !== undefined) {
      this.errors.push({ csr, error: refusal });
      return;
    }
    const window = this.misbehave.has("expired")
      ? expiredWindow(now)
      : windowFrom(now, this.options.validityDays ?? 90);
    const subjectKeyPem = this.misbehave.has("wrong-key") ? newKeyPem() : csr;
    const sans = sansFor(asked.sans, this.misbehave);
    const certificate = signLeaf({
      ca: this.issuer,
      subjectKeyPem,
      commonName: asked.commonName,
      sans,
      window,
    });
    const chain =
      this.options.flavour === "vault"
        ? [certificate, this.issuer.certPem, this.root.certPem]
        : [certificate, this.root.certPem];
    this.entries = [
      ...this.entries.filter((e) => csrId(e.csr) !== id),
      { csr, certificate, ca: this.issuer.certPem, chain },
    ];
  }

  /** Vault's PKI role: codes and messages as the vault charm maps them. */
  private policyError(cn: string, sans: string[]): RequestError["error"] | undefined {
    if (this.options.flavour !== "vault") return undefined;
    const provider = "vault-pki";
    const ips = sans.filter((s) => isIP(s) !== 0);
    if (ips.length > 0 && this.options.allowIpSans !== true) {
      return {
        code: 101,
        name: "IP_NOT_ALLOWED",
        message: "Vault PKI role rejected the IP Subject Alternative Name.",
        reason: `IP Subject Alternative Names are not allowed in this role: ${ips.join(", ")}`,
        provider,
      };
    }
    const allowed = new Set(["localhost", ...(this.options.allowedDomains ?? [])]);
    const names = [cn, ...sans.filter((s) => !ips.includes(s))];
    const bad = names.find((n) => !allowed.has(n));
    if (bad !== undefined && this.options.allowAnyName !== true) {
      return {
        code: 102,
        name: "DOMAIN_NOT_ALLOWED",
        message: "Vault PKI role rejected the requested DNS names.",
        reason: `common name ${bad} not allowed by this role`,
        provider,
      };
    }
    return undefined;
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
    );
    this.issuer =
      this.options.flavour === "vault" ? makeCa("Vault intermediate CA", window, this.root) : this.root;
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
