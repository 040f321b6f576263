/** The emulator core: run one hook tool against the model, and open/commit hooks.
 * Pure over ModelState (mutates it in place); both the in-process runner and the
 * PATH executables go through here. */
import { performance } from "node:perf_hooks";
import type { ActionRun, ActiveHook, HookTarget, ModelState, StatusEntry } from "./model-state.ts";
import { ToolContext } from "./tool-context.ts";
import { runError, ToolError } from "./tool-error.ts";
import { TOOLS } from "./tools/index.ts";

export interface ToolOutcome {
  stdout: string;
  stderr: string;
  exitCode: number;
}

/** Exit code a shell gives for a missing command. */
export const COMMAND_NOT_FOUND = 127;

export function runTool(state: ModelState, tool: string, args: readonly string[], stdin = ""): ToolOutcome {
  const started = performance.now();
  let outcome: ToolOutcome;
  const handler = Object.hasOwn(TOOLS, tool) ? TOOLS[tool] : undefined;
  if (!handler) {
    outcome = {
      stdout: "",
      stderr: `sh: 1: ${tool}: not found (command not found)\n`,
      exitCode: COMMAND_NOT_FOUND,
    };
  } else {
    try {
      // A tool whose API call fails returns the error from Run (juju/juju worker/uniter/runner/jujuc
      // goal-state.go GoalStateCommand.Run returns what context.go HookContext.GoalState, and so
      // api/agent/uniter State.GoalState's FacadeCall, gave it); juju/cmd cmd.go Main writes a Run error
      // as `ERROR <error>` and exits 1.
      const failure = state.failingTools?.[tool];
      if (failure !== undefined) throw runError(failure);
      const stdout = handler(new ToolContext(state), args, stdin);
      outcome = { stdout, stderr: "", exitCode: 0 };
    } catch (err) {
      if (!(err instanceof ToolError)) throw err;
      outcome = { stdout: "", stderr: `ERROR ${err.message}\n`, exitCode: err.exitCode };
    }
  }
  const durationMs = performance.now() - started;
  state.hook?.calls.push({
    tool,
    args: [...args],
    ...(stdin ? { stdin } : {}),
    exitCode: outcome.exitCode,
    stderr: outcome.stderr,
    durationMs,
  });
  state.toolStats[tool] ??= { count: 0, totalMs: 0 };
  const stats = state.toolStats[tool];
  stats.count += 1;
  stats.totalMs += durationMs;
  return outcome;
}

export interface HookSpec extends HookTarget {
  action?: { name: string; params: Record<string, unknown> };
}

export function beginHook(state: ModelState, spec: HookSpec): ActiveHook {
  if (state.hook) throw new Error(`a hook is already running on ${state.hook.unit}`);
  const { action, ...rest } = spec;
  const hook: ActiveHook = { ...rest, pending: { unitData: {}, appData: {} }, calls: [] };
  if (action) {
    const run: ActionRun = {
      name: action.name,
      id: String(state.nextActionId++),
      params: structuredClone(action.params),
      results: {},
      logs: [],
    };
    hook.action = run;
    hook.hookName = "";
  }
  state.hook = hook;
  return hook;
}

/** What a finished hook changed, so the deployment can deliver follow-up events. */
export interface CommitSummary {
  committed: boolean;
  /** Relation ids whose unit bag (of the hook's unit) changed. */
  unitDataChanged: number[];
  /** Relation ids whose app bag changed. */
  appDataChanged: number[];
  /** Secrets that got a new revision. */
  newRevisions: string[];
  leaderSettingsChanged: boolean;
  hook: ActiveHook;
}

/** Exit 0 (or an action that called action-fail) commits the buffered changes;
 * anything else drops them and, for hooks, puts the unit into error. */
export function finishHook(state: ModelState, exitCode: number): CommitSummary {
  const hook = state.hook;
  if (!hook) throw new Error("no hook is running");
  state.hook = undefined;
  const unit = state.units[hook.unit]!;
  const summary: CommitSummary = {
    committed: exitCode === 0,
    unitDataChanged: [],
    appDataChanged: [],
    newRevisions: [],
    leaderSettingsChanged: hook.leaderSettingsChanged === true,
    hook,
  };
  if (exitCode !== 0) {
    if (!hook.action) {
      const entry: StatusEntry = {
        status: "error",
        message: `hook failed: "${hook.hookName}"`,
        since: now(),
      };
      unit.status = entry;
      unit.statusHistory.push(entry);
    } else {
      hook.action.failed ??= `exit status ${exitCode}`;
    }
    return summary;
  }
  const p = hook.pending;
  for (const [id, bag] of Object.entries(p.unitData)) {
    const rel = state.relations.find((r) => r.id === Number(id))!;
    if (JSON.stringify(rel.unitData[hook.unit] ?? {}) !== JSON.stringify(bag)) {
      rel.unitData[hook.unit] = bag;
      summary.unitDataChanged.push(rel.id);
    }
  }
  for (const [id, bag] of Object.entries(p.appData)) {
    const rel = state.relations.find((r) => r.id === Number(id))!;
    if (JSON.stringify(rel.appData[unit.app] ?? {}) !== JSON.stringify(bag)) {
      rel.appData[unit.app] = bag;
      summary.appDataChanged.push(rel.id);
    }
  }
  if (p.charmState) unit.charmState = p.charmState;
  if (p.openedPorts) unit.openedPorts = p.openedPorts;
  if (p.secrets) {
    for (const s of p.secrets) {
      const before = state.secrets.find((x) => x.id === s.id);
      const latest = Math.max(0, ...s.revisions.map((r) => r.revision));
      const prev = before ? Math.max(0, ...before.revisions.map((r) => r.revision)) : latest;
      if (latest > prev) summary.newRevisions.push(s.id);
    }
    state.secrets = p.secrets;
  }
  return summary;
}

export function now(): string {
  return new Date().toISOString();
}
