// What discovery would tell client-node about the kinds we touch, so a reconcile spends no requests on it.
import { IRSA_OWNED_KINDS } from "../irsa/webhook.ts";
import { OWNED_KINDS } from "../workload/manifests/index.ts";

export interface KnownResource {
  readonly apiVersion: string;
  readonly kind: string;
  /** The URL segment (plural resource name). */
  readonly plural: string;
  readonly namespaced: boolean;
}

/** Every kind the charm owns whose leftovers a reconcile or teardown deletes (the IRSA kinds always, so
 * switching IRSA off prunes every webhook object). */
export const PRUNE_KINDS = [...OWNED_KINDS, ...IRSA_OWNED_KINDS].filter((kind) => kind.prune);

/** Our own kinds (from their list paths) plus the two we only read. */
export const KNOWN_RESOURCES: readonly KnownResource[] = [
  ...[...OWNED_KINDS, ...IRSA_OWNED_KINDS].map((owned) => ({
    apiVersion: owned.apiVersion,
    kind: owned.kind,
    plural: owned.listPath.split("/").at(-1) ?? "",
    namespaced: owned.namespaced,
  })),
  { apiVersion: "v1", kind: "Pod", plural: "pods", namespaced: true },
  { apiVersion: "v1", kind: "Node", plural: "nodes", namespaced: false },
];
