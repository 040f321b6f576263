import { randomBytes } from "node:crypto";
import { runAction } from "./actions/actions.ts";
import { generatePrivateKeyPem } from "./certificates/keys.ts";
import { invalidatePublished, publishOutcome, readPublished } from "./commit/status.ts";
import { type CharmDeps, DEFAULT_ROLLOUT_POLL_MS, DEFAULT_ROLLOUT_WAIT_MS } from "./deps.ts";
import { ContextError, type HookContext, parseHookContext } from "./juju/context.ts";
import { HookTools } from "./juju/hook-tools.ts";
import { Logger } from "./juju/logger.ts";
import type { ToolRunner } from "./juju/runner.ts";
import type { ClientOptions } from "./k8s/node-client.ts";
import { DiskFiles, type MachineFiles } from "./machine/files.ts";
import { machineNames } from "./machine/names.ts";
import { observeJuju } from "./observe/juju.ts";
import { reconcile } from "./plan/decide.ts";
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

const realSleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

function describe(error: unknown): string {
  const text = error instanceof Error ? (error.stack ?? error.message) : String(error);
  return redact(text);
}
