// How the authenticator is doing on one node, from what the API server says about its pod; pure.
import type { V1ContainerStatus, V1Pod } from "@kubernetes/client-node";
import type { DaemonSetState } from "../k8s/client.ts";
import { redact } from "../util/redact.ts";

export type NodeState = "ready" | "progressing" | "failed";

export interface NodeWorkload {
  readonly node: string;
  readonly state: NodeState;
  readonly message: string;
}

export interface NodeWorkloadInput {
  readonly node: string;
  /** Our pods scheduled on `node` (any generation). */
  readonly pods: readonly V1Pod[];
  readonly daemonSet: DaemonSetState | undefined;
  /** The image we asked for. */
  readonly image: string;
}

const IMAGE_FAILURES = new Set(["ErrImagePull", "ImagePullBackOff", "InvalidImageName", "ErrImageNeverPull"]);
/** Start-up failures the kubelet keeps retrying without success until someone fixes the cause. */
const CONFIG_FAILURES = new Set(["CreateContainerConfigError", "CreateContainerError", "RunContainerError"]);

function waitingMessage(node: string): string {
  return `waiting for the authenticator on ${node}`;
}

function imageOf(pod: V1Pod, status: V1ContainerStatus, fallback: string): string {
  const containers = [...(pod.spec?.initContainers ?? []), ...(pod.spec?.containers ?? [])];
  return containers.find((c) => c.name === status.name)?.image ?? (status.image || fallback);
}

function failureOf(pod: V1Pod, node: string, image: string): string | undefined {
  const statuses = [...(pod.status?.initContainerStatuses ?? []), ...(pod.status?.containerStatuses ?? [])];
  for (const status of statuses) {
    const reason = status.state?.waiting?.reason ?? "";
    const where = `${status.name} on ${node}`;
    if (IMAGE_FAILURES.has(reason)) return `${where}: ${reason} pulling ${imageOf(pod, status, image)}`;
    if (reason === "CrashLoopBackOff") {
      const exit = status.lastState?.terminated?.exitCode;
      const detail = `restarted ${status.restartCount} times${exit === undefined ? "" : `, last exit code ${exit}`}`;
      return `${where}: CrashLoopBackOff running ${imageOf(pod, status, image)} (${detail})`;
    }
    if (CONFIG_FAILURES.has(reason)) {
      const message = status.state?.waiting?.message;
      return `${where}: ${reason}${message ? `: ${redact(message)}` : ""}`;
    }
  }
  return undefined;
}

function isReady(pod: V1Pod): boolean {
  return (pod.status?.conditions ?? []).some((c) => c.type === "Ready" && c.status === "True");
}

/** Made from the DaemonSet's current template, with the image we want. */
function isCurrent(pod: V1Pod, daemonSet: DaemonSetState, image: string): boolean {
  if (daemonSet.observedGeneration < daemonSet.generation) return false;
  const generation = pod.metadata?.labels?.["pod-template-generation"];
  if (generation !== undefined && generation !== String(daemonSet.generation)) return false;
  return (pod.spec?.containers ?? []).some((c) => c.image === image);
}

/**
 * failed: a container on this node cannot start (image pull, crash loop, bad config) — a human must act.
 * ready: a pod from the current template is Ready (its readiness probe is /healthz over HTTPS: serving).
 * progressing: anything else, e.g. the rollout has not reached this node yet.
 */
export function nodeWorkload({ node, pods, daemonSet, image }: NodeWorkloadInput): NodeWorkload {
  for (const pod of pods) {
    const failure = failureOf(pod, node, image);
    if (failure) return { node, state: "failed", message: failure };
  }
  if (daemonSet && pods.some((pod) => isReady(pod) && isCurrent(pod, daemonSet, image))) {
    return { node, state: "ready", message: `authenticator ready on ${node}` };
  }
  return { node, state: "progressing", message: waitingMessage(node) };
}

/** The leader's application status line. */
export function summariseNodes(workloads: readonly NodeWorkload[]): string {
  const ready = workloads.filter((workload) => workload.state === "ready").length;
  return `${ready}/${workloads.length} control-plane nodes ready`;
}
