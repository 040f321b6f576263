import type { CharmConfig } from "../config/charm-config.ts";
import type { Databag } from "../juju/hook-tools.ts";
import type { BaseObservation, Need, Observed } from "../observe/observe.ts";
import { PEER_APP_KEYS } from "../plan/peer-databag.ts";
import { type Plan, unitAndApp } from "../plan/plan.ts";
import { waiting } from "../plan/status.ts";
import { generateClusterId, validateClusterId } from "./format.ts";

/** Leader-settings key where the reactive charm-aws-iam kept its cluster ID (`leader_set`). */
const REACTIVE_CLUSTER_ID_KEY = "cluster_id";

export interface ClusterIdPlan {
  /** The cluster ID in force, or undefined while a non-leader waits for the leader's. */
  readonly clusterId: string | undefined;
  /** What the leader must write to the peer app databag (empty when nothing changes). */
  readonly peerWrites: Databag;
  /** Set when the ID in the peer bag is being adopted from the reactive charm's leader settings. */
  readonly adopted?: string;
}

/** True when the leader is about to pick the application's ID for good, so only then is it worth a
 * leader-get to look for the reactive charm's ID (every other hook stays free of that call). */
function needsIdSource(peerAppData: Readonly<Databag> | undefined, leader: boolean): boolean {
  return leader && peerAppData !== undefined && !peerAppData[PEER_APP_KEYS.clusterId];
}

/** Config wins; otherwise the ID in the peer bag; otherwise the leader adopts the one the reactive
 * charm left in leader settings (`juju refresh` from charm-aws-iam: every kubeconfig handed out
 * embeds it) when it is valid, or generates a fresh one — once — and shares it. The shared ID is
 * kept even while config overrides it, so clearing the option brings back the ID every existing
 * kubeconfig was made with. */
export function planClusterId(
  config: CharmConfig,
  peerAppData: Readonly<Databag> | undefined,
  leader: boolean,
  randomBytes: (size: number) => Buffer,
  leaderSettings: Readonly<Databag> = {},
): ClusterIdPlan {
  const generated = peerAppData?.[PEER_APP_KEYS.clusterId] || undefined;
  if (generated === undefined && needsIdSource(peerAppData, leader)) {
    const old = leaderSettings[REACTIVE_CLUSTER_ID_KEY]?.trim();
    const adopted = old && validateClusterId(old) === undefined ? old : undefined;
    const id = adopted ?? generateClusterId(randomBytes);
    return {
      clusterId: config.clusterId ?? id,
      peerWrites: { [PEER_APP_KEYS.clusterId]: id },
      ...(adopted !== undefined ? { adopted } : {}),
    };
  }
  return { clusterId: config.clusterId ?? generated, peerWrites: {} };
}

/** leader-get only while the leader is about to fix the ID for good (see needsIdSource). */
export function clusterIdNeeds(base: BaseObservation): Need[] {
  return needsIdSource(base.juju.peers?.localAppData, base.juju.leader) ? [{ kind: "leader-settings" }] : [];
}

export interface ClusterIdDecision {
  readonly plan: Plan;
  /** The ID in force; undefined while a non-leader waits for the leader's (the plan says so). */
  readonly clusterId?: string;
}

/** The cluster ID feature: which ID is in force, and the leader's peer-bag write when it fixes one. */
export function decideClusterId(
  observed: Observed,
  config: CharmConfig,
  randomBytes: (size: number) => Buffer,
): ClusterIdDecision {
  const { juju } = observed;
  const decided = planClusterId(
    config,
    juju.peers?.localAppData,
    juju.leader,
    randomBytes,
    observed.leaderSettings ?? {},
  );
  const generated = decided.peerWrites[PEER_APP_KEYS.clusterId];
  const plan: Plan = {
    ...(generated !== undefined ? { peerApp: { clusterId: generated } } : {}),
    ...(decided.adopted !== undefined
      ? {
          logs: [
            {
              level: "INFO" as const,
              message: `adopted cluster ID ${decided.adopted} from the reactive aws-iam charm`,
            },
          ],
        }
      : {}),
  };
  if (decided.clusterId === undefined) {
    const status = waiting("waiting for the leader to share the cluster ID");
    return { plan: { ...plan, ...unitAndApp(status) } };
  }
  return { plan, clusterId: decided.clusterId };
}
