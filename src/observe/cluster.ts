// The cluster as it is after this hook's apply: polled until the workload feature's pure settled(view)
// says waiting longer cannot change the answer, or the hook's bound runs out. Only GETs and LISTs.
import type { KubernetesObject } from "@kubernetes/client-node";
import type { KubeClient } from "../k8s/client.ts";
import { refKey } from "../k8s/client.ts";
import { KubeError } from "../k8s/errors.ts";
import type { ClientOptions } from "../k8s/node-client.ts";
import type { ClusterView, ClusterWatch } from "./cluster-view.ts";

export interface WatchClock {
  readonly now: () => Date;
  readonly sleep: (ms: number) => Promise<void>;
  readonly pollMs: number;
}

/**
 * Requests per look (steady state): the leader LISTs the selected nodes and the pods and GETs the
 * DaemonSet; another unit GETs the DaemonSet and LISTs the pods on its node, plus the selected nodes
 * when that alone does not settle it. `watch.node === ""` (this unit's node not found yet): one LIST of
 * every node goes in the view (nodeObjects, to match this machine against) and the pods are listed
 * everywhere. Kubernetes trouble ends the watch as a "failed" view, never a throw.
 */
export async function watchCluster(
  watch: ClusterWatch,
  client: KubeClient,
  clock: WatchClock,
): Promise<ClusterView> {
  try {
    const deadline = clock.now().getTime() + watch.waitMs;
    // Bounded by the clock and by the number of rounds, so a fake sleep cannot make it spin.
    const rounds = Math.ceil(Math.max(0, watch.waitMs) / Math.max(1, clock.pollMs));
    let view = await look(watch, client);
    for (let round = 0; !watch.settled(view); round++) {
      if (round >= rounds || clock.now().getTime() + clock.pollMs > deadline) break;
      await clock.sleep(clock.pollMs);
      view = await look(watch, client);
    }
    const refs = watch.lookUp?.(view) ?? [];
    if (refs.length === 0 || view.kind !== "seen") return view;
    const lookedUp = new Map<string, KubernetesObject | undefined>();
    for (const ref of refs) lookedUp.set(refKey(ref), await client.read(ref));
    return { ...view, lookedUp };
  } catch (error) {
    if (error instanceof KubeError) return { kind: "failed", error };
    throw error;
  }
}

async function look(watch: ClusterWatch, client: KubeClient): Promise<ClusterView> {
  const known = watch.node !== "";
  const nodeObjects = known ? undefined : await client.listNodes();
  if (watch.wholeCluster) {
    const nodes = await selectedNodes(watch, client);
    const pods = await client.listPods(watch.namespace, watch.podSelector);
    const daemonSet = await client.daemonSetStatus(watch.namespace, watch.daemonSet);
    return { kind: "seen", nodes, pods, daemonSet, ...(nodeObjects && { nodeObjects }) };
  }
  const daemonSet = await client.daemonSetStatus(watch.namespace, watch.daemonSet);
  const pods = known
    ? await client.podsOnNode(watch.node, watch.namespace, watch.podSelector)
    : await client.listPods(watch.namespace, watch.podSelector);
  const view: ClusterView = { kind: "seen", pods, daemonSet, ...(nodeObjects && { nodeObjects }) };
  // The selected nodes only when the pods alone leave it open (a scheduling problem shows there).
  if (watch.settled(view)) return view;
  return { ...view, nodes: await selectedNodes(watch, client) };
}

async function selectedNodes(watch: ClusterWatch, client: KubeClient): Promise<string[]> {
  return (await client.listNodes(watch.nodeSelector))
    .map((node) => node.metadata?.name ?? "")
    .filter((name) => name !== "")
    .sort();
}

/** The hook's one Kubernetes client, from the kubeconfig text the hook observed, made on first use
 * (loading client-node is most of a hook's start-up: hooks without a cluster step never pay it). */
export function clusterClient(
  kubeconfig: string | undefined,
  path: string,
  options: ClientOptions = {},
): () => Promise<KubeClient | KubeError> {
  let client: Promise<KubeClient | KubeError> | undefined;
  return () => {
    client ??= import("../k8s/connect.ts").then(({ connectText }) => connectText(kubeconfig, path, options));
    return client;
  };
}
