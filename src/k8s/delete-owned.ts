// Removal: the leader deletes everything this application owns, dependents before what they use.
// The shared CRD (and with it every user's IAMIdentityMapping) goes only when asked and unused.

import { type KindRef, type KubeClient, type ObjectRef, refOf } from "./client.ts";
import { inDeletionOrder } from "./deletion-order.ts";
import { labelSelector } from "./label-selector.ts";

export interface TeardownInput {
  readonly client: KubeClient;
  /** ownedLabels(appName). */
  readonly ownedLabels: Readonly<Record<string, string>>;
  /** Kinds searched for what we own (the workload's prunable kinds). */
  readonly kinds: readonly KindRef[];
  /** Delete this shared CRD too (and so every mapping in the cluster), unless a DaemonSet with the
   * shared labels (another application's servers) still reads it. Absent: keep it. */
  readonly removeCrd?: { readonly name: string; readonly sharedLabels: Readonly<Record<string, string>> };
}

export type CrdOutcome = "kept" | "deleted" | "absent" | "in-use";

export interface TeardownResult {
  readonly deleted: readonly ObjectRef[];
  /** in-use: removeCrd was set but another deployment's DaemonSet still serves mappings from it. */
  readonly crd: CrdOutcome;
}

/** Idempotent: a second run (or objects already gone, 404) deletes nothing and does not fail. */
export async function teardown(input: TeardownInput): Promise<TeardownResult> {
  const { client } = input;
  const owned = await client.listOwned(labelSelector(input.ownedLabels), input.kinds);
  const deleted: ObjectRef[] = [];
  for (const object of inDeletionOrder(owned)) {
    if (await client.delete(refOf(object))) deleted.push(refOf(object));
  }
  if (input.removeCrd === undefined) return { deleted, crd: "kept" };

  // Another application's servers still read mappings from the CRD: deleting it would lock their users out.
  const others = await client.listOwned(labelSelector(input.removeCrd.sharedLabels), [
    { apiVersion: "apps/v1", kind: "DaemonSet" },
  ]);
  if (others.length > 0) return { deleted, crd: "in-use" };
  const crd: ObjectRef = {
    apiVersion: "apiextensions.k8s.io/v1",
    kind: "CustomResourceDefinition",
    name: input.removeCrd.name,
  };
  if (!(await client.delete(crd))) return { deleted, crd: "absent" };
  return { deleted: [...deleted, crd], crd: "deleted" };
}
