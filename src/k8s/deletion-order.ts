// The order to delete our objects in so nothing is ever left pointing at something already gone:
// the pods' owner first, then what they mount, then bindings before the roles they name, then the identity.
import type { KubernetesObject } from "@kubernetes/client-node";

const ORDER = [
  // First, so no API server calls a webhook whose pods are going (failurePolicy Ignore or not).
  "MutatingWebhookConfiguration",
  "DaemonSet",
  "Secret",
  "ConfigMap",
  "ClusterRoleBinding",
  "RoleBinding",
  "ClusterRole",
  "Role",
  "ServiceAccount",
  "CustomResourceDefinition",
];

function rank(kind: string | undefined): number {
  const index = ORDER.indexOf(kind ?? "");
  // Kinds we do not know go just before the CRD, which is always last.
  return index === -1 ? ORDER.length - 1.5 : index;
}

/** A copy of `objects` sorted for deletion (stable within a kind). */
export function inDeletionOrder<T extends Pick<KubernetesObject, "kind">>(objects: readonly T[]): T[] {
  return [...objects].sort((a, b) => rank(a.kind) - rank(b.kind));
}
