import type { CharmConfig } from "../config/charm-config.ts";
import { generateClusterId } from "../control-plane/cluster-id.ts";
import type { Databag } from "../juju/hook-tools.ts";

/** Peer app databag key holding the cluster ID the leader generated. */
export const GENERATED_CLUSTER_ID_KEY = "generated-cluster-id";

export interface ClusterIdPlan {
  /** The cluster ID in force, or undefined while a non-leader waits for the leader's. */
  readonly clusterId: string | undefined;
  /** What the leader must write to the peer app databag (empty when nothing changes). */
  readonly peerWrites: Databag;
}

/** Config wins; otherwise the leader generates one ID, once, and shares it. The
 * generated ID is kept even while config overrides it, so clearing the option
 * brings back the ID every existing kubeconfig was made with. */
export function planClusterId(
  config: CharmConfig,
  peerAppData: Readonly<Databag> | undefined,
  leader: boolean,
  randomBytes: (size: number) => Buffer,
): ClusterIdPlan {
  const generated = peerAppData?.[GENERATED_CLUSTER_ID_KEY] || undefined;
  if (generated === undefined && leader && peerAppData !== undefined) {
    const fresh = generateClusterId(randomBytes);
    return { clusterId: config.clusterId ?? fresh, peerWrites: { [GENERATED_CLUSTER_ID_KEY]: fresh } };
  }
  return { clusterId: config.clusterId ?? generated, peerWrites: {} };
}
