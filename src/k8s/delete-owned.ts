// Removal: the leader deletes everything this application owns, dependents before what they use.
// The shared CRD (and with it every user's IAMIdentityMapping) goes only when asked and unused.

import { CRD_NAME, OWNED_KINDS, sharedLabels } from "../workload/manifests/index.ts";
import { type KindRef, type KubeClient, type ObjectRef, refOf } from "./client.ts";
import { inDeletionOrder } from "./deletion-order.ts";
import { labelSelector } from "./label-selector.ts";

export interface TeardownInput {
  readonly client: KubeClient;
  /** ownedLabels(appName). */
  readonly ownedLabels: Readonly<Record<string, string>>;
  /** Delete the IAMIdentityMapping CRD, and so every mapping in the cluster. @default false */
  readonly removeCrd?: boolean;
  /** @default OWNED_KINDS with prune: true */
  readonly kinds?: readonly KindRef[];
}

export type CrdOutcome = "kept" | "deleted" | "absent" | "in-use";

export interface TeardownResult {
  readonly deleted: readonly ObjectRef[];
  /** in-use: removeCrd was set but another deployment's DaemonSet still serves mappings from it. */
  readonly crd: CrdOutcome;
}

const CRD_REF: ObjectRef = {
  apiVersion: "apiextensions.k8s.io/v1",
  kind: "CustomResourceDefinition",
  name: CRD_NAME,
};

/** Idempotent: a second run (or objects already gone, 404) deletes nothing and does not fail. */
export async function teardown(input: TeardownInput): Promise<TeardownResult> {
  const { client } = input;
  const kinds = input.kinds ?? OWNED_KINDS.filter((kind) => kind.prune);
  const owned = await client.listOwned(labelSelector(input.ownedLabels), kinds);
  const deleted: ObjectRef[] = [];
  for (const object of inDeletionOrder(owned)) {
    if (await client.delete(refOf(object))) deleted.push(refOf(object));
  }
  if (!input.removeCrd) return { deleted, crd: "kept" };

  // Another application's servers still read mappings from the CRD: deleting it would lock their users out.
  const others = await client.listOwned(labelSelector(sharedLabels()), [
    { apiVersion: "apps/v1", kind: "DaemonSet" },
  ]);
  if (others.length > 0) return { deleted, crd: "in-use" };
  if (!(await client.delete(CRD_REF))) return { deleted, crd: "absent" };
  return { deleted: [...deleted, CRD_REF], crd: "deleted" };
}
