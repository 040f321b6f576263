/** Stand-in for the reactive vault charm (openstack/charm-vault, tracks ≤ 1.8) on its
 * `certificates` endpoint: legacy protocol, Vault generates the keys (PKCS#1), every unit publishes
 * `ca` (the root), `chain` (pki/cert/ca_chain), the global client cert and each request's answer
 * (the leader issues, the others copy its cache, so all units carry the same answers here).
 * Root mode (auto-generate-root-ca-cert) or intermediate mode (operator-uploaded root). */
import type { Databag, RelationView, RelationWrites, RemoteCharm } from "../juju/remote-charm.ts";
import { expiredWindow, type KeyPair, makeCa, newKeyPem, signLeaf, windowFrom } from "./tls-forge-ca.ts";
import { readLegacyRequests, requestFingerprint } from "./tls-legacy-requests.ts";
import { MALFORMED_JSON, type Misbehaviour, pythonJson, sansFor } from "./tls-misbehaviour.ts";

/** default-ttl 8759h. */
const TTL_DAYS = 365;

export interface VaultLegacyOptions {
  readonly mode?: "root" | "intermediate";
  /** The root and the issuing CA to start from (from `VaultLegacyCharm.newPki`), so several stand-ins
   * can share one; a fresh pair when not given. rotateCa always makes a new pair. */
  readonly pki?: VaultPki;
}

/** [root, issuer]; the same pair in root mode. */
export type VaultPki = readonly [KeyPair, KeyPair];

interface Issued {
  readonly fingerprint: string;
  readonly cert: string;
  readonly key: string;
}

export class VaultLegacyCharm implements RemoteCharm {
  readonly charm = "vault";
  readonly misbehave = new Set<Misbehaviour>();
  private readonly mode: "root" | "intermediate";
  private root: KeyPair;
  private issuer: KeyPair;
  private client: Issued | undefined;
  private readonly cache = new Map<string, Issued>();

  constructor(options: VaultLegacyOptions = {}) {
    this.mode = options.mode ?? "root";
    [this.root, this.issuer] = options.pki ?? VaultLegacyCharm.newPki(this.mode);
  }

  async onRelationEvent(view: RelationView): Promise<RelationWrites> {
    const now = new Date();
    const out: Databag = { ca: this.root.certPem, chain: this.chain(), ...this.clientCert(now) };
    const processed = new Map<string, Record<string, { cert: string; key: string }>>();
    for (const request of readLegacyRequests(view.remoteUnitData)) {
      const cacheKey = `${request.unitKey}.${request.commonName}`;
      const fingerprint = requestFingerprint(request);
      let issued = this.cache.get(cacheKey);
      if (issued?.fingerprint !== fingerprint) {
        issued = this.issue(fingerprint, request.commonName, sansFor(request.sans, this.misbehave), now);
        this.cache.set(cacheKey, issued);
      }
      if (request.topLevel) {
        out[`${request.unitKey}.server.cert`] = issued.cert;
        out[`${request.unitKey}.server.key`] = issued.key;
      } else {
        const map = processed.get(request.unitKey) ?? {};
        map[request.commonName] = { cert: issued.cert, key: issued.key };
        processed.set(request.unitKey, map);
      }
    }
    for (const [unitKey, map] of processed) {
      out[`${unitKey}.processed_requests`] = this.misbehave.has("malformed-json")
        ? MALFORMED_JSON
        : pythonJson(map);
    }
    return { unitData: Object.fromEntries(view.units.map((u) => [u, out])) };
  }

  /** generate-root-ca (or upload-signed-csr): new CA; with `reissue` (what the charm does) every
   * request gets a new key and certificate on the next event. */
  rotateCa(options: { reissue: boolean } = { reissue: true }): void {
    [this.root, this.issuer] = VaultLegacyCharm.newPki(this.mode);
    if (options.reissue) this.reissueAll();
  }

  /** The reissue-certificates action. */
  reissueAll(): void {
    this.cache.clear();
    this.client = undefined;
  }

  static newPki(mode: "root" | "intermediate"): VaultPki {
    const window = windowFrom(new Date(), 3650);
    const root = makeCa("Vault Root Certificate Authority (charm-pki-local)", window);
    if (mode === "root") return [root, root];
    return [root, makeCa("Vault Intermediate Certificate Authority (charm-pki-local)", window, root)];
  }

  private chain(): string {
    return this.mode === "root" ? this.root.certPem : `${this.issuer.certPem}\n${this.root.certPem}`;
  }

  private clientCert(now: Date): Databag {
    this.client ??= this.issue("client", "client", [], now);
    return { "client.cert": this.client.cert, "client.key": this.client.key };
  }

  private issue(fingerprint: string, commonName: string, sans: string[], now: Date): Issued {
    const key = newKeyPem("pkcs1");
    const window = this.misbehave.has("expired") ? expiredWindow(now) : windowFrom(now, TTL_DAYS);
    const subjectKeyPem = this.misbehave.has("wrong-key") ? newKeyPem("pkcs1") : key;
    const cert = signLeaf({ ca: this.issuer, subjectKeyPem, commonName, sans, window });
    return { fingerprint, cert, key };
  }
}
