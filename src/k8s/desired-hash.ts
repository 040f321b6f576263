// Content hashes: one over everything desired (the caller remembers it), one per object (kept on the object,
// so a reconcile can tell which objects changed from a LIST alone and write only those).
import type { KubernetesObject } from "@kubernetes/client-node";
import { nodeCrypto } from "../util/lazy-module.ts";
import { canonicalJson } from "../workload/manifests/index.ts";

/** sha256 of the object as we last applied it, without this annotation itself. */
export const APPLIED_HASH_ANNOTATION = "charm-aws-iam/applied-hash";

function sha256(text: string): string {
  return nodeCrypto().createHash("sha256").update(text).digest("hex");
}

/** sha256 (hex) of the canonical JSON of every desired object, in order. */
export function desiredHash(objects: readonly KubernetesObject[]): string {
  return sha256(canonicalJson(objects));
}

export function objectHash(object: KubernetesObject): string {
  return sha256(canonicalJson(object));
}

/** A copy of `object` carrying its own hash. */
export function withAppliedHash(object: KubernetesObject): KubernetesObject {
  const metadata = object.metadata ?? {};
  return {
    ...object,
    metadata: {
      ...metadata,
      annotations: { ...metadata.annotations, [APPLIED_HASH_ANNOTATION]: objectHash(object) },
    },
  };
}

/** True when the live object still carries the hash of `desired`. */
export function isUpToDate(live: KubernetesObject | undefined, desired: KubernetesObject): boolean {
  return live?.metadata?.annotations?.[APPLIED_HASH_ANNOTATION] === objectHash(desired);
}
