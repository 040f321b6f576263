/** Runs one hook or action for one unit, either by calling the charm function in
 * process or by spawning the real `dispatch` with the tool shims on PATH, then commits
 * or rolls back exactly as Juju does. */
import { spawn } from "node:child_process";
import { join } from "node:path";
import { performance } from "node:perf_hooks";
import type { ToolRunner } from "../../../src/juju/runner.ts";
import { assertConsistent, hookProblems } from "./consistency.ts";
import type { CommitSummary, HookSpec } from "./core.ts";
import { beginHook, finishHook } from "./core.ts";
import { hookEnv } from "./hook-env.ts";
import { InProcessRunner } from "./in-process-runner.ts";
import type { EmulatedModel } from "./model-builder.ts";
import { loadModel, MODEL_ENV, saveModel, UNIT_ENV } from "./model-file.ts";
import type { ActionRun, ModelState, ToolCall } from "./model-state.ts";

/** The charm's in-process entry (`runCharm` in src/charm.ts). */
export interface CharmRunOptions {
  env: Record<string, string | undefined>;
  runner: ToolRunner;
  rootDir: string;
}
export type CharmMain = (options: CharmRunOptions) => Promise<number>;

export interface HookResult {
  readonly spec: HookSpec;
  readonly exitCode: number;
  readonly stdout: string;
  readonly stderr: string;
  readonly calls: readonly ToolCall[];
  readonly action?: ActionRun;
  readonly commit: CommitSummary;
  /** Wall time of the hook, and the part of it spent inside hook tools. */
  readonly durationMs: number;
  readonly toolMs: number;
}

export type HookExecutor = (model: EmulatedModel, spec: HookSpec) => Promise<HookResult>;

function result(
  spec: HookSpec,
  commit: CommitSummary,
  exitCode: number,
  out: string,
  err: string,
  ms: number,
): HookResult {
  const calls = commit.hook.calls;
  const r: HookResult = {
    spec,
    exitCode,
    stdout: out,
    stderr: err,
    calls,
    commit,
    durationMs: ms,
    toolMs: calls.reduce((sum, c) => sum + c.durationMs, 0),
    ...(commit.hook.action ? { action: commit.hook.action } : {}),
  };
  return r;
}

/** Calls `charm` with an InProcessRunner; a thrown error counts as exit 1. */
export function inProcess(charm: CharmMain, options: { charmDir: string }): HookExecutor {
  return async (model, spec) => {
    assertConsistent(hookProblems(model.state, model.metas, spec));
    const hook = beginHook(model.state, spec);
    const env = hookEnv(model.state, spec, { charmDir: options.charmDir, actionId: hook.action?.id ?? "1" });
    const started = performance.now();
    let exitCode: number;
    let stderr = "";
    try {
      exitCode = await charm({
        env,
        runner: new InProcessRunner(model.state),
        rootDir: model.state.units[spec.unit]!.machineRoot,
      });
    } catch (err) {
      exitCode = 1;
      stderr = err instanceof Error ? (err.stack ?? err.message) : String(err);
    }
    const ms = performance.now() - started;
    return result(spec, finishHook(model.state, exitCode), exitCode, "", stderr, ms);
  };
}

/** Replaces the contents of `target` with `source`, keeping object identity for callers. */
function replaceState(target: ModelState, source: ModelState): void {
  for (const key of Object.keys(target) as (keyof ModelState)[]) delete target[key];
  Object.assign(target, source);
}

export interface DispatchOptions {
  readonly charmDir: string;
  /** Holds model.json; the shims dir too unless binDir is given. */
  readonly workDir: string;
  readonly binDir: string;
  readonly timeoutMs?: number;
}

/** Spawns `<charmDir>/dispatch` with cwd = charmDir and a Juju-like clean env. */
export function viaDispatch(options: DispatchOptions): HookExecutor {
  const modelPath = join(options.workDir, "model.json");
  return async (model, spec) => {
    assertConsistent(hookProblems(model.state, model.metas, spec));
    const hook = beginHook(model.state, spec);
    saveModel(modelPath, model.state);
    const env = hookEnv(model.state, spec, {
      charmDir: options.charmDir,
      binDir: options.binDir,
      actionId: hook.action?.id ?? "1",
      extra: { [MODEL_ENV]: modelPath, [UNIT_ENV]: spec.unit },
    });
    const started = performance.now();
    const { code, stdout, stderr } = await spawnCollect(join(options.charmDir, "dispatch"), {
      cwd: options.charmDir,
      env,
      timeoutMs: options.timeoutMs ?? 120_000,
    });
    const ms = performance.now() - started;
    replaceState(model.state, loadModel(modelPath));
    return result(spec, finishHook(model.state, code), code, stdout, stderr, ms);
  };
}

export function spawnCollect(
  command: string,
  options: { cwd: string; env: Record<string, string>; timeoutMs: number; args?: string[]; input?: string },
): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolvePromise) => {
    const child = spawn(command, options.args ?? [], {
      cwd: options.cwd,
      env: options.env,
      stdio: ["pipe", "pipe", "pipe"],
      timeout: options.timeoutMs,
    });
    let stdout = "";
    let stderr = "";
    child.stdout.setEncoding("utf8").on("data", (d: string) => {
      stdout += d;
    });
    child.stderr.setEncoding("utf8").on("data", (d: string) => {
      stderr += d;
    });
    child.on("error", (err) => {
      stderr += String(err);
    });
    child.on("close", (code, signal) => {
      resolvePromise({ code: code ?? (signal ? 128 : 1), stdout, stderr });
    });
    child.stdin.end(options.input ?? "");
  });
}
