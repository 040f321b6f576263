// Brings the cluster to the desired objects with server-side apply, writing only what changed, then
// prunes what we own but no longer want.
import type { KubernetesObject } from "@kubernetes/client-node";
import { type KindRef, type KubeClient, type ObjectRef, refKey, refOf } from "./client.ts";
import { type PollOptions, waitForCrdEstablished } from "./crd-ready.ts";
import { inDeletionOrder } from "./deletion-order.ts";
import { desiredHash, isUpToDate, withAppliedHash } from "./desired-hash.ts";
import { labelSelector } from "./label-selector.ts";
import { realSleep } from "./retry.ts";

export interface ApplyInput {
  readonly client: KubeClient;
  /** In apply order (CRD first, each object after what it refers to), as buildAuthenticatorObjects gives them. */
  readonly objects: readonly KubernetesObject[];
  readonly fieldManager: string;
  /** The `hash` of the last successful applyDesired, as the caller stored it. */
  readonly previousHash?: string | undefined;
  /** ownedLabels(appName): what marks an object as this application's (and so prunable). */
  readonly ownedLabels: Readonly<Record<string, string>>;
  /** Kinds searched for leftovers (the workload's prunable kinds; never the shared CRD). */
  readonly pruneKinds: readonly KindRef[];
  /** Bound on waiting for a CRD to be Established. @default 10 s, polled every 250 ms */
  readonly crdWait?: Partial<PollOptions>;
}

export interface ApplyResult {
  /** Store it and pass it back as previousHash next time. */
  readonly hash: string;
  /** Objects written: applied plus pruned (a delete that finds nothing already gone is not counted). */
  readonly writes: number;
  readonly applied: readonly ObjectRef[];
  readonly pruned: readonly ObjectRef[];
}

function carries(object: KubernetesObject, labels: Readonly<Record<string, string>>): boolean {
  const own = object.metadata?.labels ?? {};
  return Object.entries(labels).every(([key, value]) => own[key] === value);
}

function uniqueKinds(kinds: readonly KindRef[]): KindRef[] {
  const seen = new Map<string, KindRef>();
  for (const { apiVersion, kind } of kinds) seen.set(`${apiVersion}|${kind}`, { apiVersion, kind });
  return [...seen.values()];
}

/**
 * Reads: one LIST per kind with our labels (plus a GET per desired object without them, i.e. the shared
 * CRD). With an unchanged hash only the desired kinds are listed, to confirm everything still exists.
 * Writes: one server-side apply per object whose live copy lacks its current hash, one DELETE per leftover.
 */
export async function applyDesired(input: ApplyInput): Promise<ApplyResult> {
  const { client, objects, fieldManager, ownedLabels } = input;
  const hash = desiredHash(objects);
  const unchanged = input.previousHash === hash;
  const selector = labelSelector(ownedLabels);

  const owned = objects.filter((object) => carries(object, ownedLabels));
  const shared = objects.filter((object) => !carries(object, ownedLabels));
  // After a change, leftovers may be of any kind we ever made; otherwise the last apply already pruned.
  const kinds = uniqueKinds([...owned.map(refOf), ...(unchanged ? [] : input.pruneKinds)]);
  const live = new Map<string, KubernetesObject>();
  for (const object of await client.listOwned(selector, kinds)) live.set(refKey(refOf(object)), object);
  for (const object of shared) {
    const found = await client.read(refOf(object));
    if (found) live.set(refKey(refOf(object)), found);
  }

  const crdWait: PollOptions = {
    timeoutMs: input.crdWait?.timeoutMs ?? 10_000,
    pollMs: input.crdWait?.pollMs ?? 250,
    sleep: input.crdWait?.sleep ?? realSleep,
  };
  const applied: ObjectRef[] = [];
  for (const object of objects) {
    if (isUpToDate(live.get(refKey(refOf(object))), object)) continue;
    const [result] = await client.apply([withAppliedHash(object)], fieldManager);
    applied.push(refOf(object));
    if (object.kind === "CustomResourceDefinition" && result)
      await waitForCrdEstablished(client, result, crdWait);
  }

  const pruned: ObjectRef[] = [];
  if (!unchanged) {
    const wanted = new Set(objects.map((object) => refKey(refOf(object))));
    const pruneKinds = new Set(input.pruneKinds.map((kind) => `${kind.apiVersion}|${kind.kind}`));
    const leftovers = [...live.values()].filter(
      (object) =>
        carries(object, ownedLabels) &&
        pruneKinds.has(`${object.apiVersion}|${object.kind}`) &&
        !wanted.has(refKey(refOf(object))),
    );
    for (const object of inDeletionOrder(leftovers)) {
      if (await client.delete(refOf(object))) pruned.push(refOf(object));
    }
  }
  return { hash, writes: applied.length + pruned.length, applied, pruned };
}
