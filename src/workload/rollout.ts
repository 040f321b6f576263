// The workload step of the reconcile: the leader applies the authenticator's objects, every unit waits
// (bounded) for the server on its own control-plane node and reports how it is doing there.
// Kubernetes trouble is a status, never a throw: the hook exits 0 and update-status tries again.
import type { CharmConfig } from "../config/charm-config.ts";
import type { CharmDeps } from "../deps.ts";
import { IRSA_OWNED_KINDS } from "../irsa/webhook.ts";
import type { DaemonSetState, KubeClient } from "../k8s/client.ts";
import type { CrdOutcome } from "../k8s/delete-owned.ts";
import { KubeError, KubeUnavailable, KubeUnreachable } from "../k8s/errors.ts";
import { labelSelector } from "../k8s/label-selector.ts";
import type { ClientOptions } from "../k8s/node-client.ts";
import type { Sleep } from "../k8s/retry.ts";
import { blocked, maintenance, type WorkloadStatus, waiting } from "../plan/status.ts";
import { redact } from "../util/redact.ts";
import {
  buildAuthenticatorObjects,
  CRD_NAME,
  InvalidSpecError,
  OWNED_KINDS,
  ownedLabels,
  sharedLabels,
} from "./manifests/index.ts";

/** What the adapters delete and prune: the workload's kinds (they know no manifest). */
// With the IRSA kinds, so the teardown deletes the webhook objects too.
const PRUNE_KINDS = [...OWNED_KINDS, ...IRSA_OWNED_KINDS].filter((kind) => kind.prune);

import { type MachineIdentity, matchNode } from "./node-identity.ts";
import type { NodeWorkload } from "./node-status.ts";
import {
  appStatus,
  credentialsProblem,
  credentialsStatus,
  fieldManagerFor,
  kubeFailureStatus,
  schedulingProblem,
  type Target,
  targetOf,
  unitStatus,
} from "./status.ts";

type K8s = typeof import("../k8s/index.ts");

/** Loads the Kubernetes adapter (and with it client-node) only when a hook talks to the cluster. */
const loadK8s = (): Promise<K8s> => import("../k8s/index.ts");

export interface WorkloadTls {
  readonly certPem: string;
  readonly keyPem: string;
  /** Not served by the authenticator (the control plane trusts it through the host CA store). */
  readonly caPem: string;
}

export interface WorkloadInput {
  readonly leader: boolean;
  readonly appName: string;
  readonly config: CharmConfig;
  /** The resolved cluster ID (config cluster-id, or the one the charm derived). */
  readonly clusterId: string;
  /** The leader's certificate for the Secret; non-leaders never build or write objects. */
  readonly tls: WorkloadTls | undefined;
  /** How to find this unit's Kubernetes node. */
  readonly node: NodeLookup;
  /** Machine path of the admin kubeconfig (PATHS.adminKubeconfig), resolved through deps.files. */
  readonly kubeconfigPath: string;
  /** The appliedHash the leader stored after the last successful apply. */
  readonly previousHash: string | undefined;
  /** Bound on waiting for this node's server to become ready. */
  readonly waitMs: number;
}

/** This unit's node: the one a previous hook found (and saw serve), else found now from the machine. */
export interface NodeLookup {
  readonly known: string | undefined;
  /** Read only when the node must be found (network-get and host names). */
  readonly machine: () => Promise<MachineIdentity>;
}

export interface WorkloadOutcome {
  readonly unit: WorkloadStatus;
  /** The node this unit found itself on, once the cluster answered. */
  readonly node?: string;
  /** Leader only: `<n>/<m> control-plane nodes ready` once the cluster answered, else the same as unit. */
  readonly app?: WorkloadStatus;
  /** Leader only, after a successful apply: store it (peer app bag) and pass it back as previousHash. */
  readonly appliedHash?: string;
}

/** Seams for tests; production uses the defaults. */
export interface WorkloadOptions {
  /** Between polls, and the client's retry backoff unless `client.sleep` is set. @default real timers */
  readonly sleep?: Sleep;
  /** @default 2000 */
  readonly pollMs?: number;
  /** Per-attempt timeout and retries of every request. @default 5 s per attempt, 2 retries */
  readonly client?: ClientOptions;
}

const DEFAULT_POLL_MS = 2000;
const realSleep: Sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Requests (steady state, nothing changed, pods ready):
 *   leader: applyDesired with the stored hash (one LIST per owned kind + GET CRD, no write), then
 *           LIST nodes, LIST pods, GET DaemonSet; each further poll round repeats those three.
 *   others: GET DaemonSet + LIST pods on their node; if not ready yet, one LIST nodes, then two a round.
 * Never throws for Kubernetes trouble (missing kubeconfig, unreachable, rejected): returns the status.
 */
export async function reconcileWorkload(
  input: WorkloadInput,
  deps: CharmDeps,
  options: WorkloadOptions = {},
): Promise<WorkloadOutcome> {
  const withApp = (unit: WorkloadStatus, appliedHash?: string): WorkloadOutcome => ({
    unit,
    ...(input.leader ? { app: unit } : {}),
    ...(appliedHash !== undefined ? { appliedHash } : {}),
  });

  let objects: ReturnType<typeof buildAuthenticatorObjects> = [];
  if (input.leader) {
    if (input.tls === undefined) throw new Error("the leader reconciles the workload with its certificate");
    try {
      objects = buildAuthenticatorObjects({
        appName: input.appName,
        image: input.config.image,
        port: input.config.port,
        clusterId: input.clusterId,
        backendModes: input.config.backendModes,
        tls: { certPem: input.tls.certPem, keyPem: input.tls.keyPem },
      });
    } catch (error) {
      if (error instanceof InvalidSpecError) return withApp(blocked(redact(error.message)));
      throw error;
    }
  }

  // Without credentials there is nothing to talk to: say so without loading the client.
  if ((await deps.files.read(input.kubeconfigPath)) === undefined) {
    return withApp(
      waiting(`no Kubernetes credentials at ${input.kubeconfigPath} yet (the control plane writes them)`),
    );
  }
  const k8s = await loadK8s();
  const sleep = options.sleep ?? realSleep;
  const client = k8s.connect(deps.files.path(input.kubeconfigPath), { sleep, ...options.client });
  if (client instanceof KubeUnavailable) {
    const status = credentialsStatus(client, input.kubeconfigPath, deps.files.path(input.kubeconfigPath));
    await deps.log.warning(status.message);
    return withApp(status);
  }

  let appliedHash: string | undefined;
  try {
    if (input.leader) {
      const result = await k8s.applyDesired({
        client,
        objects,
        fieldManager: fieldManagerFor(input.appName),
        previousHash: input.previousHash,
        ownedLabels: ownedLabels(input.appName),
        pruneKinds: PRUNE_KINDS,
        crdWait: { sleep },
      });
      appliedHash = result.hash;
      if (result.writes > 0) {
        const names = [
          ...result.applied.map(k8s.describeRef),
          ...result.pruned.map((r) => `-${k8s.describeRef(r)}`),
        ];
        await deps.log.info(`authenticator: ${result.writes} Kubernetes writes (${names.join(", ")})`);
      }
    }
    const observed = await observe(k8s, client, input, targetOf(input.appName, input.config.image), {
      sleep,
      pollMs: options.pollMs ?? DEFAULT_POLL_MS,
      now: () => deps.now().getTime(),
    });
    return {
      unit: observed.unit,
      ...(observed.node !== undefined ? { node: observed.node } : {}),
      ...(input.leader ? { app: observed.app ?? observed.unit } : {}),
      ...(appliedHash !== undefined ? { appliedHash } : {}),
    };
  } catch (error) {
    const status = kubeFailureStatus(error);
    if (status === undefined) throw error;
    await deps.log.warning(
      `authenticator: ${redact(error instanceof Error ? error.message : String(error))}`,
    );
    return withApp(status, appliedHash);
  }
}

interface Clock {
  readonly sleep: Sleep;
  readonly pollMs: number;
  readonly now: () => number;
}

/** One look at the cluster: the leader sees every node, the others only their own. */
interface Observation {
  readonly own: NodeWorkload;
  readonly daemonSet: DaemonSetState | undefined;
  /** Selected (control-plane) node names, when listed. */
  readonly nodes?: readonly string[];
  /** Leader: every selected node. */
  readonly all?: readonly NodeWorkload[];
}

async function observeOnce(
  k8s: K8s,
  client: KubeClient,
  target: Target,
  node: string,
  wholeCluster: boolean,
): Promise<Observation> {
  if (!wholeCluster) {
    const daemonSet = await client.daemonSetStatus(target.namespace, target.daemonSet);
    const pods = await client.podsOnNode(node, target.namespace, target.podSelector);
    return { own: k8s.nodeWorkload({ node, pods, daemonSet, image: target.image }), daemonSet };
  }
  const nodes = (await client.listNodes(labelSelector(target.nodeSelector)))
    .map((item) => item.metadata?.name ?? "")
    .filter((name) => name !== "")
    .sort();
  const pods = await client.listPods(target.namespace, target.podSelector);
  const daemonSet = await client.daemonSetStatus(target.namespace, target.daemonSet);
  const workloadOn = (name: string): NodeWorkload =>
    k8s.nodeWorkload({
      node: name,
      pods: pods.filter((pod) => pod.spec?.nodeName === name),
      daemonSet,
      image: target.image,
    });
  return { own: workloadOn(node), daemonSet, nodes, all: nodes.map(workloadOn) };
}

async function observe(
  k8s: K8s,
  client: KubeClient,
  input: WorkloadInput,
  target: Target,
  clock: Clock,
): Promise<{ unit: WorkloadStatus; app?: WorkloadStatus; node?: string }> {
  let node = input.node.known;
  if (node === undefined) {
    const match = matchNode(await client.listNodes(), await input.node.machine());
    if (match.node === undefined) {
      const problem = blocked(match.problem);
      return { unit: problem, ...(input.leader ? { app: problem } : {}) };
    }
    node = match.node;
  }
  const deadline = clock.now() + input.waitMs;
  // Bounded by the clock and by the number of rounds, so a fake sleep cannot make it spin.
  const rounds = Math.ceil(Math.max(0, input.waitMs) / Math.max(1, clock.pollMs));
  let seen = await observeOnce(k8s, client, target, node, input.leader);
  let nodes = seen.nodes;
  for (let round = 0; seen.own.state === "progressing"; round++) {
    // Nothing deployed yet: waiting would only hold the machine lock. The leader's apply changes
    // the peer databag, and the peer relation-changed hook that follows looks again.
    if (!seen.daemonSet && !input.leader) break;
    nodes = seen.nodes ?? nodes ?? (await selectedNodes(client, target));
    const problem = schedulingProblem(target, node, nodes, seen.daemonSet);
    if (problem) return { unit: problem, node, ...(input.leader ? { app: problem } : {}) };
    if (round >= rounds || clock.now() + clock.pollMs > deadline) break;
    await clock.sleep(clock.pollMs);
    seen = await observeOnce(k8s, client, target, node, input.leader);
  }
  const unit = unitStatus(seen.own, seen.daemonSet, target);
  return seen.all ? { unit, node, app: appStatus(seen.all) } : { unit, node };
}

async function selectedNodes(client: KubeClient, target: Target): Promise<string[]> {
  return (await client.listNodes(labelSelector(target.nodeSelector))).map(
    (item) => item.metadata?.name ?? "",
  );
}

// --- teardown ----------------------------------------------------------------

export interface TeardownWorkloadInput {
  readonly appName: string;
  /** Machine path of the admin kubeconfig, resolved through deps.files. */
  readonly kubeconfigPath: string;
  /** Also delete the shared IAMIdentityMapping CRD (and every mapping) when no other deployment uses it. */
  readonly removeCrd: boolean;
}

export interface TeardownWorkloadOutcome {
  readonly status: WorkloadStatus;
  /** What was deleted, e.g. "DaemonSet kube-system/aws-iam-authenticator". */
  readonly deleted: readonly string[];
  /** Undefined when the cluster could not be reached. */
  readonly crd: CrdOutcome | undefined;
}

const CLEANUP_KINDS =
  "daemonset,secret,configmap,rolebinding,role,clusterrolebinding,clusterrole,serviceaccount";

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
  options: WorkloadOptions = {},
): Promise<TeardownWorkloadOutcome> {
  const k8s = await loadK8s();
  const resolved = deps.files.path(input.kubeconfigPath);
  const client = k8s.connect(resolved, { sleep: options.sleep ?? realSleep, ...options.client });
  const left = (why: string): TeardownWorkloadOutcome => ({
    status: waiting(`authenticator objects left in the cluster (${why}); ${manualCleanup(input.appName)}`),
    deleted: [],
    crd: undefined,
  });
  if (client instanceof KubeUnavailable) {
    const outcome = left(credentialsProblem(client, input.kubeconfigPath, resolved));
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
    const deleted = result.deleted.map(k8s.describeRef);
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
