/** The workload feature's statuses, from what the cluster showed (pure): one place for each wording. */
import type { DaemonSetState } from "../k8s/client.ts";
import { KubeError, KubeRejected, KubeUnavailable, KubeUnreachable } from "../k8s/errors.ts";
import { labelSelector } from "../k8s/label-selector.ts";
import { active, blocked, maintenance, type Status, waiting } from "../plan/status.ts";
import { redact } from "../util/redact.ts";
import { DEFAULT_NAMESPACE, DEFAULT_NODE_SELECTOR, objectNames, selectorLabels } from "./manifests/index.ts";
import { type NodeWorkload, summariseNodes } from "./node-status.ts";

/** Server-side apply field manager: one per application, so managedFields say which deployment owns what. */
export function fieldManagerFor(appName: string): string {
  return `juju-${appName}`;
}

/** What identifies the authenticator in the cluster for one application. */
export interface Target {
  readonly namespace: string;
  readonly daemonSet: string;
  readonly podSelector: string;
  readonly nodeSelector: Readonly<Record<string, string>>;
  readonly image: string;
}

export function targetOf(appName: string, image: string): Target {
  return {
    namespace: DEFAULT_NAMESPACE,
    daemonSet: objectNames(appName).daemonSet,
    podSelector: labelSelector(selectorLabels(appName)),
    nodeSelector: DEFAULT_NODE_SELECTOR,
    image,
  };
}

/** Why the authenticator cannot run on `node` whatever we wait for, or undefined. */
export function schedulingProblem(
  target: Target,
  node: string,
  nodes: readonly string[],
  daemonSet: DaemonSetState | undefined,
): Status | undefined {
  const label = labelSelector(target.nodeSelector);
  const where = `DaemonSet ${target.namespace}/${target.daemonSet}`;
  if (nodes.length === 0) {
    return blocked(
      `no schedulable control-plane node for the authenticator: no node is labelled ${label}; ` +
        `label the control-plane nodes: kubectl label node <name> ${label}`,
    );
  }
  // A status the controller has not caught up with says nothing yet.
  if (daemonSet && daemonSet.observedGeneration >= daemonSet.generation && daemonSet.desired === 0) {
    return blocked(
      `no schedulable control-plane node for the authenticator: ${where} schedules no pod on the ` +
        `${nodes.length} node(s) labelled ${label}; remove the taints it does not tolerate ` +
        "(kubectl describe node <name>)",
    );
  }
  if (!nodes.includes(node)) {
    return blocked(
      `${node} is not a control-plane node the authenticator runs on (labelled ${label}: ${nodes.join(", ")}); ` +
        `label it: kubectl label node ${node} ${label}`,
    );
  }
  return undefined;
}

/** This unit's status from its own node's workload. */
export function unitStatus(own: NodeWorkload, daemonSet: DaemonSetState | undefined, target: Target): Status {
  switch (own.state) {
    case "ready":
      return active(own.message);
    case "failed":
      return blocked(own.message);
    case "progressing":
      if (!daemonSet) {
        return waiting(
          `waiting for the leader to deploy the authenticator (no DaemonSet ${target.namespace}/${target.daemonSet} yet)`,
        );
      }
      return maintenance(own.message);
  }
}

/** The leader's application status: the node count; blocked when a node needs someone to act. */
export function appStatus(all: readonly NodeWorkload[]): Status {
  const summary = summariseNodes(all);
  if (all.some((workload) => workload.state === "failed")) return blocked(summary);
  if (all.length > 0 && all.every((workload) => workload.state === "ready")) return active(summary);
  return maintenance(summary);
}

const RETRY = "retrying on the next hook";

/** Why the admin kubeconfig cannot be used, naming the machine path (never the file's content). */
export function credentialsProblem(error: KubeUnavailable, machinePath: string, resolved: string): string {
  if (error.reason === "missing-kubeconfig") {
    return `no Kubernetes credentials at ${machinePath} yet (the control plane writes them)`;
  }
  const prefix = `kubeconfig ${resolved} `;
  const why = error.message.startsWith(prefix) ? error.message.slice(prefix.length) : error.reason;
  return `no usable Kubernetes credentials at ${machinePath}: it ${why}`;
}

function credentialsStatus(error: KubeUnavailable, machinePath: string, resolved: string): Status {
  const problem = credentialsProblem(error, machinePath, resolved);
  return waiting(error.reason === "missing-kubeconfig" ? problem : `${problem}; ${RETRY}`);
}

/** The status for an expected Kubernetes failure; undefined for anything else (a bug: let it throw). */
export function kubeFailureStatus(error: unknown): Status | undefined {
  if (error instanceof KubeUnreachable)
    return waiting(`Kubernetes API unreachable (${error.detail}); ${RETRY}`);
  if (error instanceof KubeRejected) {
    const message = redact(error.message);
    return error.retryable ? waiting(`${message}; ${RETRY}`) : blocked(`Kubernetes API refused: ${message}`);
  }
  // KubeNotReady (the CRD not Established in time) and anything else the adapter reports.
  if (error instanceof KubeError) return waiting(`${redact(error.message)}; ${RETRY}`);
  return undefined;
}

/** The status for unusable credentials (the adapter names the resolved path in `error.path`). */
export function credentialsWaiting(error: unknown, machinePath: string): Status | undefined {
  return error instanceof KubeUnavailable ? credentialsStatus(error, machinePath, error.path) : undefined;
}

/** The workload version shown by `juju status`: the image tag (or digest). */
export function imageVersion(image: string): string {
  const digest = image.split("@")[1];
  if (digest) return digest.slice(0, 19);
  const lastPart = image.split("/").pop() ?? image;
  return lastPart.includes(":") ? lastPart.split(":").pop()! : "latest";
}
