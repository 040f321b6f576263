// The leader's view: every selected node and the state of the authenticator on it, in three GETs.

import { type NodeWorkload, nodeWorkload } from "../workload/node-status.ts";
import type { KubeClient } from "./client.ts";

export interface ClusterWorkloadInput {
  readonly client: KubeClient;
  readonly namespace: string;
  readonly daemonSetName: string;
  /** Label selector of our pods (selectorLabels). */
  readonly selector: string;
  /** Label selector of the nodes that should run the server (from the DaemonSet's nodeSelector). */
  readonly nodeSelector: string;
  readonly image: string;
}

/** One NodeWorkload per matching node, sorted by node name. */
export async function clusterWorkload(input: ClusterWorkloadInput): Promise<NodeWorkload[]> {
  const nodes = await input.client.listNodes(input.nodeSelector);
  const pods = await input.client.listPods(input.namespace, input.selector);
  const daemonSet = await input.client.daemonSetStatus(input.namespace, input.daemonSetName);
  return nodes
    .map((node) => node.metadata?.name ?? "")
    .filter((name) => name !== "")
    .sort()
    .map((name) =>
      nodeWorkload({
        node: name,
        pods: pods.filter((pod) => pod.spec?.nodeName === name),
        daemonSet,
        image: input.image,
      }),
    );
}
