/** Runs one hook or action for one unit, either by calling the charm function in
 * process or by spawning the real `dispatch` with the tool shims on PATH, then commits
 * or rolls back exactly as Juju does. */
import { spawn } from "node:child_process";
import { readFileSync } from "node:fs";
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
  /** Peak resident memory of the dispatch process (its own, not its hook tools'), when sampled. */
  readonly peakRssMiB?: number;
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
  /** Sample the dispatch process's peak RSS (VmHWM) while it runs, for benchmarks. */
  readonly sampleRss?: boolean;
  /** Test-only variables added to the hook's environment (Juju never sets them). */
  readonly env?: Readonly<Record<string, string>>;
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
      extra: { ...options.env, [MODEL_ENV]: modelPath, [UNIT_ENV]: spec.unit },
    });
    const started = performance.now();
    const { code, stdout, stderr, peakRssKiB } = await spawnCollect(join(options.charmDir, "dispatch"), {
      cwd: options.charmDir,
      env,
      timeoutMs: options.timeoutMs ?? 120_000,
      sampleRss: options.sampleRss ?? false,
    });
    const ms = performance.now() - started;
    replaceState(model.state, loadModel(modelPath));
    const hookResult = result(spec, finishHook(model.state, code), code, stdout, stderr, ms);
    return peakRssKiB === undefined ? hookResult : { ...hookResult, peakRssMiB: peakRssKiB / 1024 };
  };
}

export function spawnCollect(
  command: string,
  options: {
    cwd: string;
    env: Record<string, string>;
    timeoutMs: number;
    args?: string[];
    input?: string;
    sampleRss?: boolean;
  },
): Promise<{ code: number; stdout: string; stderr: string; peakRssKiB?: number }> {
  return new Promise((resolvePromise) => {
    const child = spawn(command, options.args ?? [], {
      cwd: options.cwd,
      env: options.env,
      stdio: ["pipe", "pipe", "pipe"],
      timeout: options.timeoutMs,
    });
    let stdout = "";
    let stderr = "";
    // dispatch execs node in place, so the pid's VmHWM is the charm's own peak RSS
    // (the hook tools are separate processes and do not count).
    let peakRssKiB: number | undefined;
    const sampler = options.sampleRss
      ? setInterval(() => {
          const kib = readVmHwmKiB(child.pid);
          if (kib !== undefined) peakRssKiB = Math.max(peakRssKiB ?? 0, kib);
        }, 1)
      : undefined;
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
      if (sampler) clearInterval(sampler);
      const exit = { code: code ?? (signal ? 128 : 1), stdout, stderr };
      resolvePromise(peakRssKiB === undefined ? exit : { ...exit, peakRssKiB });
    });
    child.stdin.end(options.input ?? "");
  });
}

function readVmHwmKiB(pid: number | undefined): number | undefined {
  if (pid === undefined) return undefined;
  try {
    const match = /VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, "utf8"));
    return match ? Number(match[1]) : undefined;
  } catch {
    return undefined; // the process has just exited
  }
}
