import { generatePrivateKeyPem } from "./certificates/keys.ts";
import { commitJuju, commitLocal, commitSecret } from "./commit/commit.ts";
import { invalidatePublished, type Published, readPublished } from "./commit/status.ts";
import { type CharmDeps, DEFAULT_ROLLOUT_POLL_MS, DEFAULT_ROLLOUT_WAIT_MS } from "./deps.ts";
import { ContextError, type HookContext, parseHookContext } from "./juju/context.ts";
import { HookTools } from "./juju/hook-tools.ts";
import { Logger } from "./juju/logger.ts";
import type { ToolRunner } from "./juju/runner.ts";
import type { KindRef, KubeClient } from "./k8s/client.ts";
import { KubeError } from "./k8s/errors.ts";
import { PRUNE_KINDS } from "./k8s/known-resources.ts";
import type { ClientOptions } from "./k8s/node-client.ts";
import { realSleep } from "./k8s/retry.ts";
import { DiskFiles, type MachineFiles } from "./machine/files.ts";
import { machineNames } from "./machine/names.ts";
import { PATHS } from "./machine/paths.ts";
import { clusterClient, watchCluster } from "./observe/cluster.ts";
import type { ClusterView, Decision } from "./observe/cluster-view.ts";
import type { RelationIds } from "./observe/juju.ts";
import { type FullObservation, observeBase, observeNeeds, readFiles } from "./observe/needs.ts";
import type { BaseObservation, Need } from "./observe/observe.ts";
import { decidePlan, planFiles, planNeeds } from "./plan/decide.ts";
import { mergePlans, type Plan } from "./plan/plan.ts";
import { isTeardown } from "./teardown/is-teardown.ts";
import { nodeCrypto } from "./util/lazy-module.ts";
import { redact } from "./util/redact.ts";
import type { MachineIdentity } from "./workload/node-identity.ts";

export interface CharmOptions {
  readonly env: Readonly<Record<string, string | undefined>>;
  readonly runner: ToolRunner;
  /** "/" on a real machine; a temp dir in tests. Unused when `files` is given. */
  readonly rootDir: string;
  /** Bound on a hook's wait for the pod on this node. @default DEFAULT_ROLLOUT_WAIT_MS */
  readonly rolloutWaitMs?: number;
  /** Between rollout polls. @default DEFAULT_ROLLOUT_POLL_MS */
  readonly rolloutPollMs?: number;
  /** The clock. @default the system clock (tests move it on to see what a later hook does) */
  readonly now?: () => Date;
  // Seams: tests and the bench swap the machine, the clocks, the client timing and key making.
  /** The machine's files. @default the files under rootDir */
  readonly files?: MachineFiles;
  /** Waits between rollout polls. @default setTimeout */
  readonly sleep?: (ms: number) => Promise<void>;
  /** Kubernetes client timeouts and retries. @default the client's production values */
  readonly kubeClient?: ClientOptions;
  /** A new private key (PEM). @default an RSA-2048 key made on the unit */
  readonly generateKey?: () => string;
}

/** Runs one hook or action and returns the exit code Juju should see: 0 when the
 * charm did what it could (expected problems are statuses), 1 for unexpected
 * failures so Juju retries the hook. */
export async function runCharm(options: CharmOptions): Promise<number> {
  let context: HookContext;
  try {
    context = parseHookContext(options.env);
  } catch (error) {
    if (!(error instanceof ContextError)) throw error;
    process.stderr.write(`aws-iam: ${error.message}\n`);
    return 2;
  }
  const tools = new HookTools(options.runner);
  const files = options.files ?? new DiskFiles(options.rootDir);
  const sleep = options.sleep ?? realSleep;
  const deps: CharmDeps = {
    tools,
    log: new Logger(tools),
    files,
    now: options.now ?? (() => new Date()),
    randomBytes: (size) => nodeCrypto().randomBytes(size),
    machineNames: () => machineNames(files),
    rolloutWaitMs: options.rolloutWaitMs ?? DEFAULT_ROLLOUT_WAIT_MS,
    rolloutPollMs: options.rolloutPollMs ?? DEFAULT_ROLLOUT_POLL_MS,
    sleep,
    // The client's retry back-off waits on the same clock as the rollout polls.
    kubeClient: { sleep, ...options.kubeClient },
    generateKey: options.generateKey ?? generatePrivateKeyPem,
  };
  try {
    await dispatch(context, deps);
    return 0;
  } catch (error) {
    await deps.log.error(`${context.dispatchPath} failed: ${describe(error)}`);
    return 1;
  }
}

async function dispatch(context: HookContext, deps: CharmDeps): Promise<void> {
  const previous = await readPublished(deps.files, context.unitName);
  // The machine files only once it is known to be a reconcile: actions and teardown read their own.
  const { base: juju, relationIds } = await observeBase(context, deps, previous.relationIds);
  if (context.kind === "action") {
    // Actions (and js-yaml, which only the client kubeconfig action needs) load only when run.
    const { runAction } = await import("./actions/actions.ts");
    await runAction(context, juju.juju, deps);
    return;
  }
  if (isTeardown(context, juju.juju)) {
    // The unit's last hooks only: their code loads then.
    const { teardownUnit } = await import("./teardown/decide.ts");
    await teardownUnit(context, juju.juju, deps);
    return;
  }
  const base = { ...juju, files: await readFiles(deps.files, planFiles(context.unitName)) };
  await reconcileHook(base, deps, { previous, relationIds }, productionFeatures(deps));
}

/** The features as production runs them: plan/decide.ts, with this unit's randomness and rollout bound. */
function productionFeatures(deps: CharmDeps): Features {
  // One key and one name per hook, however often the decision is made.
  const fresh = {
    privateKey: once(deps.generateKey),
    uuid: once(() => nodeCrypto().randomUUID()),
    randomBytes: deps.randomBytes,
  };
  return {
    needs: planNeeds,
    decide: (observed) =>
      decidePlan(observed, {
        fresh,
        ...(observed.knownNode !== undefined && { knownNode: observed.knownNode }),
        ...(observed.machine !== undefined && { machine: observed.machine }),
        rolloutWaitMs: deps.rolloutWaitMs,
      }),
    // The IRSA kinds always, so switching IRSA off prunes every webhook object.
    pruneKinds: PRUNE_KINDS,
    // leader-get only in the hook where the leader fixes the cluster ID for good (a refresh from the
    // reactive charm finds its ID there, and its key to forget): the hooks before, held back by an
    // earlier gate (the certificate), never get that far.
    lateNeeds: [{ kind: "leader-settings", wanted: (plan) => plan.peerApp?.clusterId !== undefined }],
  };
}

function once<T>(make: () => T): () => T {
  let made: { value: T } | undefined;
  return () => {
    made ??= { value: make() };
    return made.value;
  };
}

/** What the one-plan pipeline needs from the features (plan/decide.ts and the feature folders). */
interface Features {
  /** The reads that cost hook-tool calls, asked for by what the base shows. */
  readonly needs: (base: BaseObservation) => readonly Need[];
  /** Pure: the plan, and what to decide once the cluster has been watched. */
  readonly decide: (observed: FullObservation) => Decision;
  /** Kinds the apply searches for leftovers (the workload's owned kinds). */
  readonly pruneKinds: readonly KindRef[];
  /** Needs read only when a first decision, made without them, shows this hook uses them: the
   * decision is pure, so it is made again with them. */
  readonly lateNeeds?: readonly { readonly kind: Need["kind"]; readonly wanted: (plan: Plan) => boolean }[];
}

/**
 * One hook as observe → decide → commit: the needs the base shows, one pure decision, the local commit
 * (files, trust store, the leader's apply), the cluster watched after that apply and decided on, then
 * every Juju write and the status, once.
 */
async function reconcileHook(
  base: BaseObservation,
  deps: CharmDeps,
  cache: { readonly previous: Published; readonly relationIds: RelationIds },
  features: Features,
): Promise<void> {
  const { context } = base;
  const needs = features.needs(base);
  const late = features.lateNeeds ?? [];
  const isLate = (need: Need) => late.some((rule) => rule.kind === need.kind);
  // The hook's one Kubernetes client: IRSA's discovery reads, the apply and the watch share its connection.
  const kube = clusterClient(base.files[PATHS.adminKubeconfig], PATHS.adminKubeconfig, deps.kubeClient);
  let observed: FullObservation = {
    ...(await observeNeeds(
      base,
      needs.filter((need) => !isLate(need)),
      deps.tools,
      kube,
    )),
    ...(cache.previous.node !== undefined && { knownNode: cache.previous.node }),
  };
  // If this hook dies half-way (Juju shows an error), the next one sets every status again.
  await invalidatePublished(deps.files, context.unitName);
  let decision = features.decide(observed);
  const wanted = needs.filter((need) =>
    late.some((rule) => rule.kind === need.kind && rule.wanted(decision.plan)),
  );
  if (wanted.length > 0) {
    const more = await observeNeeds(base, wanted, deps.tools, kube);
    observed = {
      ...observed,
      ...(more.leaderSettings !== undefined && { leaderSettings: more.leaderSettings }),
    };
    decision = features.decide(observed);
  }
  // This machine's identity (a network-get) only when the cluster must be searched for its node.
  if (decision.afterCluster?.watch.node === "") {
    observed = { ...observed, machine: await machineIdentity(base, deps) };
    decision = features.decide(observed);
  }
  const secret = await commitSecret(decision.plan, observed, deps);
  if (secret.kind === "refused") {
    await commitJuju(secret.plan, observed, deps, {
      previous: cache.previous,
      relationIds: cache.relationIds,
    });
    return;
  }
  const report = await commitLocal(decision.plan, observed, deps, { pruneKinds: features.pruneKinds, kube });
  let plan = decision.plan;
  if (decision.afterCluster !== undefined) {
    const { watch, decide } = decision.afterCluster;
    const client = await kube();
    const view: ClusterView =
      client instanceof KubeError
        ? { kind: "failed", error: client }
        : await watchCluster(watch, client, {
            now: deps.now,
            sleep: deps.sleep,
            pollMs: deps.rolloutPollMs,
          });
    plan = mergePlans([plan, await deleteAfterWatch(decide(view, report), observed, deps, kube)]);
  }
  await commitJuju(plan, observed, deps, {
    previous: cache.previous,
    relationIds: cache.relationIds,
    secretIds: secret.peerApp,
    ...(plan.node !== undefined && { node: plan.node }),
  });
}

/** Deletes decided from the view (the reactive charm's leftovers) go now, before the Juju commit; if
 * they fail, the peer-bag mark that says they are gone is not written, so a later hook tries again. */
async function deleteAfterWatch(
  after: Plan,
  observed: FullObservation,
  deps: CharmDeps,
  kube: () => Promise<KubeClient | KubeError>,
): Promise<Plan> {
  if ((after.kubernetesDeletes ?? []).length === 0) return after;
  const deletes: Plan = { kubernetesDeletes: after.kubernetesDeletes ?? [] };
  const report = await commitLocal(deletes, observed, deps, { pruneKinds: [], kube });
  const { kubernetesDeletes: _done, ...rest } = after;
  if (report.applyError === undefined) return rest;
  await deps.log.warning(
    `keeping the reactive charm's objects for a later hook: ${redact(report.applyError.message)}`,
  );
  const { reactiveObjectsRemoved: _notYet, ...peerApp } = rest.peerApp ?? {};
  return { ...rest, peerApp };
}

async function machineIdentity(base: BaseObservation, deps: CharmDeps): Promise<MachineIdentity> {
  const relation = base.juju.controlPlane ?? base.juju.legacyControlPlane;
  return {
    address: relation && (await deps.tools.ingressAddress(relation.endpoint)),
    names: await deps.machineNames(),
  };
}

function describe(error: unknown): string {
  const text = error instanceof Error ? (error.stack ?? error.message) : String(error);
  return redact(text);
}
