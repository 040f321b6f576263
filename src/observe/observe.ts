import type { ServedDiscovery } from "../irsa/discovery.ts";
import type { HookContext } from "../juju/context.ts";
import type { Databag } from "../juju/hook-tools.ts";
import type { PeerApp } from "../plan/peer-databag.ts";
import type { JujuSnapshot } from "./juju.ts";

/** Read before any decision: the Juju snapshot (only the databags this unit's role uses) and the few
 * machine files a hook may need (local reads, no hook tool). */
export interface BaseObservation {
  readonly context: HookContext;
  readonly juju: JujuSnapshot;
  /** Parsed once from juju.peers.localAppData. */
  readonly peerApp: PeerApp;
  readonly now: Date;
  /** Machine files by machine path (undefined: absent). Never logged: the admin kubeconfig is here. */
  readonly files: Readonly<Record<string, string | undefined>>;
}

/** Reads that cost hook-tool calls, made only when a feature's needs() asks for them. */
export type Need =
  /** The authenticator-tls secret; without an id it is looked up by label. */
  | { readonly kind: "tls-secret"; readonly id: string | undefined }
  | { readonly kind: "leader-settings" }
  /** The API server's two OIDC discovery documents (admin kubeconfig, TLS verified): only with IRSA on. */
  | { readonly kind: "irsa-discovery" };

export interface Observed extends BaseObservation {
  /** The authenticator-tls secret's latest content, when needed and present. */
  readonly tlsSecret?: { readonly id: string; readonly content: Databag };
  readonly leaderSettings?: Databag;
  /** What the API server serves at its discovery paths, when an `irsa-discovery` need asked. */
  readonly irsaDiscovery?: ServedDiscovery;
}
