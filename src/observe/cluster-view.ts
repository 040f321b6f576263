import type { KubernetesObject, V1Node, V1Pod } from "@kubernetes/client-node";
import type { DaemonSetState, ObjectRef } from "../k8s/client.ts";
import type { KubeError } from "../k8s/errors.ts";
import type { Plan } from "../plan/plan.ts";

/** What to look at in the cluster after the apply, and until when (observe/cluster.ts polls it). */
export interface ClusterWatch {
  /** The leader looks at every selected node; the others at their own only. */
  readonly wholeCluster: boolean;
  readonly node: string;
  readonly namespace: string;
  readonly daemonSet: string;
  readonly podSelector: string;
  readonly nodeSelector: string;
  /** Bound on polling; 0 looks once. */
  readonly waitMs: number;
  /** Pure: true once polling again cannot change the answer (own node ready or failed, or a problem no
   * wait fixes). */
  readonly settled: (view: ClusterView) => boolean;
  /** Objects to GET once the view is settled (the reactive charm's leftovers), when wanted. */
  readonly lookUp?: (view: ClusterView) => readonly ObjectRef[];
}

/** The cluster as the last poll saw it, or why it could not be seen. */
export type ClusterView =
  | {
      readonly kind: "seen";
      /** Selected node names (leader, or a non-leader that needed them). */
      readonly nodes?: readonly string[];
      readonly pods: readonly V1Pod[];
      readonly daemonSet: DaemonSetState | undefined;
      /** The selected nodes as listed, for matching this machine's node. */
      readonly nodeObjects?: readonly V1Node[];
      /** Results of `lookUp`: undefined = not found. */
      readonly lookedUp?: ReadonlyMap<string, KubernetesObject | undefined>;
    }
  | { readonly kind: "failed"; readonly error: KubeError };

/** What the commit of the first plan reports back (the leader's apply). */
export interface LocalCommitReport {
  /** Set when the apply succeeded: store it in the peer bag. */
  readonly appliedHash?: string;
  /** Set when the apply failed: decide() turns it into a status. */
  readonly applyError?: KubeError;
}

/** A feature decision that needs the cluster as it is after this hook's apply. */
export interface AfterCluster {
  readonly watch: ClusterWatch;
  readonly decide: (view: ClusterView, report: LocalCommitReport) => Plan;
}

/** What decidePlan returns. */
export interface Decision {
  readonly plan: Plan;
  readonly afterCluster?: AfterCluster;
}
