import { randomBytes } from "node:crypto";
import { generatePrivateKeyPem } from "./certificates/keys.ts";
import { commitJuju, commitLocal } from "./commit/commit.ts";
import { invalidatePublished, type Published, publishOutcome, readPublished } from "./commit/status.ts";
import { type CharmDeps, DEFAULT_ROLLOUT_POLL_MS, DEFAULT_ROLLOUT_WAIT_MS } from "./deps.ts";
import { ContextError, type HookContext, parseHookContext } from "./juju/context.ts";
import { HookTools } from "./juju/hook-tools.ts";
import { Logger } from "./juju/logger.ts";
import type { ToolRunner } from "./juju/runner.ts";
import type { KindRef } from "./k8s/client.ts";
import { KubeError } from "./k8s/errors.ts";
import type { ClientOptions } from "./k8s/node-client.ts";
import { DiskFiles, type MachineFiles } from "./machine/files.ts";
import { machineNames } from "./machine/names.ts";
import { PATHS } from "./machine/paths.ts";
import { clusterClient, watchCluster } from "./observe/cluster.ts";
import type { ClusterView, Decision } from "./observe/cluster-view.ts";
import { observeJuju } from "./observe/juju.ts";
import { type ObservedWithGoal, observeBase, observeNeeds } from "./observe/needs.ts";
import type { BaseObservation, Need } from "./observe/observe.ts";
import { reconcile } from "./plan/decide.ts";
import { mergePlans } from "./plan/plan.ts";
import { isTeardown, teardownUnit } from "./teardown/decide.ts";
import { redact } from "./util/redact.ts";

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
  // Seams frozen for issue 10 (observe/decide/commit); wired by the observe/commit work package.
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
    randomBytes,
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
  const { snapshot, relationIds } = await observeJuju(deps.tools, context, previous.relationIds);
  if (context.kind === "action") {
    // Actions (and js-yaml, which only the client kubeconfig action needs) load only when run.
    const { runAction } = await import("./actions/actions.ts");
    await runAction(context, snapshot, deps);
    return;
  }
  if (isTeardown(context, snapshot)) {
    await teardownUnit(context, snapshot, deps);
    return;
  }
  await invalidatePublished(deps.files, context.unitName);
  const outcome = await reconcile(
    snapshot,
    previous.node === undefined ? deps : { ...deps, knownNode: previous.node },
  );
  await publishOutcome(deps.tools, deps.files, context.unitName, outcome, previous, relationIds);
}

/** What the one-plan pipeline needs from the features (plan/decide.ts and the feature folders). */
export interface Features {
  /** Machine paths the decisions read (local reads, no hook tool). */
  readonly paths: (context: HookContext) => readonly string[];
  /** The reads that cost hook-tool calls, asked for by what the base shows. */
  readonly needs: (base: BaseObservation) => readonly Need[];
  /** Pure: the plan, and what to decide once the cluster has been watched. */
  readonly decide: (observed: ObservedWithGoal) => Decision;
  /** Kinds the apply searches for leftovers (the workload's owned kinds). */
  readonly pruneKinds: readonly KindRef[];
}

/**
 * One hook as observe → decide → commit: the base observation and the needs it shows, one pure
 * decision, the local commit (files, trust store, the leader's apply), the cluster watched after that
 * apply and decided on, then every Juju write and the status, once.
 */
export async function reconcileHook(
  context: HookContext,
  deps: CharmDeps,
  previous: Published,
  features: Features,
): Promise<void> {
  const { base, relationIds } = await observeBase(
    context,
    deps,
    features.paths(context),
    previous.relationIds,
  );
  const observed: ObservedWithGoal = {
    ...(await observeNeeds(base, features.needs(base), deps.tools)),
    ...(previous.node !== undefined && { knownNode: previous.node }),
  };
  // If this hook dies half-way (Juju shows an error), the next one sets every status again.
  await invalidatePublished(deps.files, context.unitName);
  const decision = features.decide(observed);
  const kube = clusterClient(observed.files[PATHS.adminKubeconfig], PATHS.adminKubeconfig, deps.kubeClient);
  const report = await commitLocal(decision.plan, observed, deps, { pruneKinds: features.pruneKinds, kube });
  let plan = decision.plan;
  let node: string | undefined;
  if (decision.afterCluster !== undefined) {
    const { watch, decide } = decision.afterCluster;
    const client = await kube();
    const view: ClusterView =
      client instanceof KubeError
        ? { kind: "failed", error: client }
        : await watchCluster(watch, client, {
            now: deps.now,
            sleep: deps.sleep ?? realSleep,
            pollMs: deps.rolloutPollMs ?? DEFAULT_ROLLOUT_POLL_MS,
          });
    plan = mergePlans([plan, decide(view, report)]);
    if (watch.node !== "") node = watch.node;
  }
  await commitJuju(plan, observed, deps, { previous, relationIds, ...(node !== undefined && { node }) });
}

const realSleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

function describe(error: unknown): string {
  const text = error instanceof Error ? (error.stack ?? error.message) : String(error);
  return redact(text);
}
