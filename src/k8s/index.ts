// What the reconcile needs from Kubernetes. Loading this module loads @kubernetes/client-node: import it
// dynamically, and only in hooks that talk to the cluster (type-only imports elsewhere).

export {
  type NodeState,
  type NodeWorkload,
  type NodeWorkloadInput,
  nodeWorkload,
  summariseNodes,
  type WaitForNodeInput,
  waitForNodeReady,
  waitingMessage,
} from "../workload/node-status.ts";
export { type ApplyInput, type ApplyResult, applyDesired } from "./apply.ts";
export type { DaemonSetState, KindRef, KubeClient, ObjectRef } from "./client.ts";
export { describeRef } from "./client.ts";
export { ADMIN_KUBECONFIG, connect, connectText, type KubeConnection, loadKubeconfig } from "./connect.ts";
export { type CrdOutcome, type TeardownInput, type TeardownResult, teardown } from "./delete-owned.ts";
export { APPLIED_HASH_ANNOTATION, desiredHash } from "./desired-hash.ts";
export {
  KubeError,
  KubeNotReady,
  KubeRejected,
  KubeUnavailable,
  KubeUnreachable,
  type UnavailableReason,
} from "./errors.ts";
export { labelSelector } from "./label-selector.ts";
export { type ClientOptions, NodeKubeClient } from "./node-client.ts";
