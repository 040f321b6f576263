/** The workload feature, pure: the leader wants the authenticator's objects applied; every unit then
 * looks (bounded) at the server on its own control-plane node, and a pure decision maps what the
 * cluster showed to statuses, the applied hash, the legacy webhook_status and the reactive leftovers. */
import type { KubernetesObject, V1Pod } from "@kubernetes/client-node";
import type { CharmConfig } from "../config/charm-config.ts";
import type { DaemonSetState } from "../k8s/client.ts";
import type { KubeError } from "../k8s/errors.ts";
import { labelSelector } from "../k8s/label-selector.ts";
import { PATHS } from "../machine/paths.ts";
import { decideLeftovers, reactiveLookUps } from "../migration/decide.ts";
import type { AfterCluster, ClusterView, ClusterWatch, LocalCommitReport } from "../observe/cluster-view.ts";
import type { Observed } from "../observe/observe.ts";
import { mergePlans, type Plan, unitAndApp } from "../plan/plan.ts";
import { blocked, type Status, waiting } from "../plan/status.ts";
import { redact } from "../util/redact.ts";
import {
  buildAuthenticatorObjects,
  checkAuthenticatorSpec,
  InvalidSpecError,
  ownedLabels,
} from "./manifests/index.ts";
import type { AuthenticatorSpec } from "./manifests/spec.ts";
import { type MachineIdentity, matchNode } from "./node-identity.ts";
import { type NodeWorkload, nodeWorkload } from "./node-status.ts";
import {
  appStatus,
  credentialsWaiting,
  fieldManagerFor,
  kubeFailureStatus,
  schedulingProblem,
  targetOf,
  unitStatus,
} from "./status.ts";

export interface WorkloadDecisionInput {
  readonly config: CharmConfig;
  /** partition, reserved prefixes and the config's mappings (mappings/decide.ts), for the server's ConfigMap. */
  readonly mappings?: Pick<AuthenticatorSpec, "partition" | "mappings" | "reservedUsernamePrefixes">;
  readonly clusterId: string;
  /** Leader only, and only when it applies (not held back by the legacy gate). */
  readonly served: { readonly certPem: string; readonly keyPem: string } | undefined;
  /** The leader applies; a leader held back by `gate` only looks at its own node. */
  readonly gate: Status | undefined;
  /** The node a previous hook found and saw serve (unit cache); undefined: match it from the cluster. */
  readonly knownNode: string | undefined;
  /** What this machine knows about itself, for matching its node; needed only without knownNode. */
  readonly machine: MachineIdentity | undefined;
  /** Bound on the wait for this node's pod (a held-back leader looks once). */
  readonly rolloutWaitMs: number;
  /** Added to the plan made after the cluster view (the legacy unit databag with webhook_status). */
  readonly afterView?: (nodeReady: boolean) => Plan;
}

type Look =
  | { readonly kind: "failed"; readonly error: KubeError }
  | { readonly kind: "unmatched"; readonly status: Status }
  | {
      readonly kind: "seen";
      readonly node: string;
      readonly own: NodeWorkload;
      /** Why it cannot run on this node whatever we wait for. */
      readonly problem: Status | undefined;
      /** Leader that applies: `<n>/<m> control-plane nodes ready`. */
      readonly app: Status | undefined;
      readonly daemonSet: DaemonSetState | undefined;
      readonly lookedUp: ReadonlyMap<string, KubernetesObject | undefined> | undefined;
    };

export interface WorkloadDecision {
  readonly plan: Plan;
  readonly afterCluster?: AfterCluster;
}

export function decideWorkload(observed: Observed, input: WorkloadDecisionInput): WorkloadDecision {
  const { juju } = observed;
  const appName = observed.context.appName;
  const applying = juju.leader && input.gate === undefined;
  const withGate = (plan: Plan): Plan =>
    input.gate === undefined ? plan : { ...plan, ...unitAndApp(input.gate) };

  const credentials = observed.files[PATHS.adminKubeconfig] !== undefined;
  let kubernetes: Plan["kubernetes"];
  if (applying) {
    if (input.served === undefined) throw new Error("the leader decides the workload with its certificate");
    const spec = {
      appName,
      image: input.config.image,
      port: input.config.port,
      clusterId: input.clusterId,
      backendModes: input.config.backendModes,
      ...input.mappings,
      tls: input.served,
    };
    try {
      if (credentials) {
        kubernetes = {
          objects: buildAuthenticatorObjects(spec),
          fieldManager: fieldManagerFor(appName),
          ownedLabels: ownedLabels(appName),
          previousHash: observed.peerApp.appliedHash,
        };
      } else {
        // Nothing to apply to yet: still say what is wrong with the spec, without building the rest.
        checkAuthenticatorSpec(spec);
      }
    } catch (error) {
      if (!(error instanceof InvalidSpecError)) throw error;
      return {
        plan: withGate({ ...unitAndApp(blocked(redact(error.message))), ...input.afterView?.(false) }),
      };
    }
  }
  // Without credentials there is nothing to talk to: say so without loading the client.
  if (!credentials) {
    const status = waiting(
      `no Kubernetes credentials at ${PATHS.adminKubeconfig} yet (the control plane writes them)`,
    );
    return { plan: withGate({ ...unitAndApp(status), ...input.afterView?.(false) }) };
  }

  const target = targetOf(appName, input.config.image);
  const knownNode = input.knownNode;
  const ownNode = (view: Extract<ClusterView, { kind: "seen" }>): string | Status => {
    if (knownNode !== undefined) return knownNode;
    const match = matchNode(view.nodeObjects ?? [], input.machine ?? { address: undefined, names: [] });
    return match.node ?? blocked(match.problem);
  };
  const podsOn = (pods: readonly V1Pod[], node: string) => pods.filter((pod) => pod.spec?.nodeName === node);

  /** What the view says about this unit's node (and, for the leader, every node). */
  const look = (view: ClusterView): Look => {
    if (view.kind === "failed") return { kind: "failed", error: view.error };
    const node = ownNode(view);
    if (typeof node !== "string") return { kind: "unmatched", status: node };
    const own = nodeWorkload({
      node,
      pods: podsOn(view.pods, node),
      daemonSet: view.daemonSet,
      image: target.image,
    });
    // A non-leader with nothing deployed yet just waits (the leader's apply wakes it): no problem to name.
    const problem =
      own.state === "progressing" && (view.daemonSet || applying) && view.nodes !== undefined
        ? schedulingProblem(target, node, view.nodes, view.daemonSet)
        : undefined;
    const all = applying
      ? appStatus(
          (view.nodes ?? []).map((name) =>
            nodeWorkload({
              node: name,
              pods: podsOn(view.pods, name),
              daemonSet: view.daemonSet,
              image: target.image,
            }),
          ),
        )
      : undefined;
    return { kind: "seen", node, own, problem, app: all, daemonSet: view.daemonSet, lookedUp: view.lookedUp };
  };
  const allReady = (seen: Look): boolean =>
    seen.kind === "seen" && seen.own.state === "ready" && seen.app?.name === "active";

  const watch: ClusterWatch = {
    wholeCluster: applying,
    node: knownNode ?? "",
    namespace: target.namespace,
    daemonSet: target.daemonSet,
    podSelector: target.podSelector,
    nodeSelector: labelSelector(target.nodeSelector),
    waitMs: applying || !juju.leader ? input.rolloutWaitMs : 0,
    settled: (view) => {
      const seen = look(view);
      if (seen.kind !== "seen") return true;
      if (seen.own.state !== "progressing" || seen.problem !== undefined) return true;
      return !seen.daemonSet && !applying;
    },
    // Once ours serves every control-plane node, the reactive charm's objects can go: once per
    // application (the peer key), so idle hooks make no extra requests.
    ...(applying &&
    juju.peers !== undefined &&
    !juju.peers.breaking &&
    !observed.peerApp.reactiveObjectsRemoved
      ? { lookUp: (view: ClusterView) => (allReady(look(view)) ? reactiveLookUps(appName) : []) }
      : {}),
  };

  const decide = (view: ClusterView, report: LocalCommitReport): Plan => {
    const hash: Plan =
      report.appliedHash !== undefined ? { peerApp: { appliedHash: report.appliedHash } } : {};
    const failure = report.applyError ?? (view.kind === "failed" ? view.error : undefined);
    if (failure !== undefined) {
      const credentials = credentialsWaiting(failure, PATHS.adminKubeconfig);
      const status = credentials ?? kubeFailureStatus(failure) ?? waiting(redact(failure.message));
      const warning = credentials?.message ?? `authenticator: ${redact(failure.message)}`;
      const logs = { logs: [{ level: "WARNING" as const, message: warning }] };
      return withGate(mergePlans([hash, unitAndApp(status), logs, input.afterView?.(false) ?? {}]));
    }
    const seen = look(view);
    if (seen.kind === "failed") throw new Error("a failed view is handled above");
    if (seen.kind === "unmatched")
      return withGate(mergePlans([hash, unitAndApp(seen.status), input.afterView?.(false) ?? {}]));
    const nodeReady = seen.own.state === "ready";
    const afterView = input.afterView?.(nodeReady) ?? {};
    // Cached for later hooks only once ours serves there (so the cache names the right node), whatever
    // else the unit's status says: a blocked or waiting feature must not make every hook search again.
    const node: Plan = nodeReady ? { node: seen.node } : {};
    if (input.gate !== undefined) return withGate(mergePlans([hash, afterView, node]));
    if (seen.problem !== undefined) return mergePlans([hash, unitAndApp(seen.problem), afterView, node]);
    const unit = unitStatus(seen.own, seen.daemonSet, target);
    const statuses: Plan = { unitStatus: [unit], ...(juju.leader ? { appStatus: [seen.app ?? unit] } : {}) };
    const leftovers =
      watch.lookUp !== undefined && seen.lookedUp !== undefined && allReady(seen)
        ? decideLeftovers(appName, seen.lookedUp)
        : {};
    return mergePlans([hash, statuses, afterView, leftovers, node]);
  };

  return { plan: kubernetes !== undefined ? { kubernetes } : {}, afterCluster: { watch, decide } };
}
