// The leader's half of the unit's last hooks: delete every Kubernetes object the application owns.
import type { CharmDeps } from "../deps.ts";
import { describeRef } from "../k8s/client.ts";
import type { CrdOutcome } from "../k8s/delete-owned.ts";
import { KubeError, KubeUnavailable, KubeUnreachable } from "../k8s/errors.ts";
import { PRUNE_KINDS } from "../k8s/known-resources.ts";
import { labelSelector } from "../k8s/label-selector.ts";
import { maintenance, type Status, waiting } from "../plan/status.ts";
import { redact } from "../util/redact.ts";
import { CRD_NAME, ownedLabels, sharedLabels } from "../workload/manifests/index.ts";
import { credentialsProblem } from "../workload/status.ts";

export interface TeardownWorkloadInput {
  readonly appName: string;
  /** The admin kubeconfig's text (undefined: absent) and its machine path, for messages. */
  readonly kubeconfig: string | undefined;
  readonly kubeconfigPath: string;
  /** Also delete the shared IAMIdentityMapping CRD (and every mapping) when no other deployment uses it. */
  readonly removeCrd: boolean;
}

export interface TeardownWorkloadOutcome {
  readonly status: Status;
  /** What was deleted, e.g. "DaemonSet kube-system/aws-iam-authenticator". */
  readonly deleted: readonly string[];
  /** Undefined when the cluster could not be reached. */
  readonly crd: CrdOutcome | undefined;
}

/** The kinds an operator deletes by hand, dependents first (PRUNE_KINDS lists them in apply order). */
const CLEANUP_KINDS = [...new Set(PRUNE_KINDS.map((owned) => owned.kind.toLowerCase()))].reverse().join(",");

function manualCleanup(appName: string): string {
  return `remove them by hand: kubectl delete ${CLEANUP_KINDS} -A -l ${labelSelector(ownedLabels(appName))}`;
}

const CRD_WORDS: Readonly<Record<CrdOutcome, string>> = {
  kept: "kept the IAMIdentityMapping CRD and its mappings",
  deleted: "deleted the IAMIdentityMapping CRD",
  absent: "the IAMIdentityMapping CRD was already gone",
  "in-use": "kept the IAMIdentityMapping CRD: another deployment still serves mappings from it",
};

/**
 * Leader, when the application goes away: deletes every object it owns (dependents first). Requests: one
 * LIST per owned kind and one DELETE per object (plus a LIST and a DELETE with removeCrd). Never throws for
 * Kubernetes trouble: the status says what was left and how to remove it.
 */
export async function teardownWorkload(
  input: TeardownWorkloadInput,
  deps: CharmDeps,
): Promise<TeardownWorkloadOutcome> {
  // The Kubernetes adapter (and with it client-node) loads only in a teardown that talks to the cluster.
  const k8s = await import("../k8s/index.ts");
  const client = k8s.connectText(input.kubeconfig, input.kubeconfigPath, deps.kubeClient);
  const left = (why: string): TeardownWorkloadOutcome => ({
    status: waiting(`authenticator objects left in the cluster (${why}); ${manualCleanup(input.appName)}`),
    deleted: [],
    crd: undefined,
  });
  if (client instanceof KubeUnavailable) {
    const outcome = left(credentialsProblem(client, input.kubeconfigPath, input.kubeconfigPath));
    await deps.log.warning(outcome.status.message);
    return outcome;
  }
  try {
    const result = await k8s.teardown({
      client,
      ownedLabels: ownedLabels(input.appName),
      kinds: PRUNE_KINDS,
      ...(input.removeCrd && { removeCrd: { name: CRD_NAME, sharedLabels: sharedLabels() } }),
    });
    const deleted = result.deleted.map(describeRef);
    if (deleted.length > 0) await deps.log.info(`authenticator: deleted ${deleted.join(", ")}`);
    return {
      status: maintenance(`removed ${deleted.length} authenticator objects; ${CRD_WORDS[result.crd]}`),
      deleted,
      crd: result.crd,
    };
  } catch (error) {
    if (!(error instanceof KubeError)) throw error;
    const why =
      error instanceof KubeUnreachable
        ? `Kubernetes API unreachable (${error.detail})`
        : `Kubernetes API refused: ${redact(error.message)}`;
    const outcome = left(why);
    await deps.log.warning(`${outcome.status.message}: ${redact(error.message)}`);
    return outcome;
  }
}
