/** How long a rolling update of the authenticator's DaemonSet takes over `nodes` control-plane nodes,
 * computed from the object as the charm applies it (worst case, image already on the node:
 * imagePullPolicy IfNotPresent). Per batch of maxUnavailable nodes:
 * - the old pod is deleted and, since the server ignores the first SIGTERM
 *   (kubernetes-sigs/aws-iam-authenticator cmd/aws-iam-authenticator/server.go,
 *   signals.SetupSignalHandler; pkg/server/server.go Run keeps serving), lives out
 *   terminationGracePeriodSeconds until kubelet's SIGKILL frees the host port;
 * - the new pod's first readiness probe passes within one periodSeconds (no initial delay);
 * - the DaemonSet controller counts it available only after minReadySeconds, and only then takes
 *   down the next batch (kubernetes/kubernetes pkg/controller/daemon/update.go rollingUpdate). */
import type { V1DaemonSet } from "@kubernetes/client-node";

export interface RolloutEstimate {
  readonly perBatchSeconds: number;
  readonly batches: number;
  readonly totalSeconds: number;
  readonly parts: { grace: number; readiness: number; minReady: number; maxUnavailable: number };
}

export function rolloutEstimate(ds: V1DaemonSet, nodes: number): RolloutEstimate {
  const spec = ds.spec!;
  const pod = spec.template.spec!;
  // Kubernetes' default grace period when the field is unset.
  const grace = pod.terminationGracePeriodSeconds ?? 30;
  const readiness = pod.containers[0]?.readinessProbe?.periodSeconds ?? 10;
  const minReady = spec.minReadySeconds ?? 0;
  const raw = spec.updateStrategy?.rollingUpdate?.maxUnavailable ?? 1;
  // Percentages round up for DaemonSets (intstr.GetScaledValueFromIntOrPercent(..., true)).
  const maxUnavailable =
    typeof raw === "number" ? raw : Math.max(1, Math.ceil((Number.parseInt(raw, 10) / 100) * nodes));
  const perBatchSeconds = grace + readiness + minReady;
  const batches = Math.ceil(nodes / maxUnavailable);
  return {
    perBatchSeconds,
    batches,
    totalSeconds: perBatchSeconds * batches,
    parts: { grace, readiness, minReady, maxUnavailable },
  };
}
