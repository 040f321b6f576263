/** The charm's own cost per hook (`charm-only <hook> charm_ms_median=<n> ratio_vs_node=<n>`): each hook is
 * recorded once in process against the emulated model (its hook-tool answers and the machine's files),
 * then replayed RUNS times in a fresh `node` running the bundled charm with those answers in process and
 * the files in memory. No hook-tool process is spawned, so the time is Node's start-up, loading the
 * charm and its work; the ratio compares it with a bare `node -e 0`. */
import { spawnSync } from "node:child_process";
import { mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { join, relative } from "node:path";
import { performance } from "node:perf_hooks";
// @ts-expect-error: a plain ES module script, without types
import { bundleCharm } from "../scripts/charm-bundle.mjs";
import { runCharm } from "../src/charm.ts";
import { HookToolError } from "../src/juju/errors.ts";
import type { ToolRunner } from "../src/juju/runner.ts";
import { beginHook, finishHook, type HookSpec } from "../test/emulator/juju/core.ts";
import { hookEnv } from "../test/emulator/juju/hook-env.ts";
import { InProcessRunner } from "../test/emulator/juju/in-process-runner.ts";
import type { ModelState } from "../test/emulator/juju/model-state.ts";
import { REPO_ROOT } from "../test/emulator/juju/tool-shims.ts";
import { MemoryFiles } from "../test/support/memory-files.ts";

const OUT = join(REPO_ROOT, "build", "bench");

/** Bundles the entry as scripts/build.mjs bundles the charm (scripts/charm-bundle.mjs: split, CommonJS,
 * validator precompiled, lazy libraries beside the chunks). */
export async function buildEntry(): Promise<string> {
  rmSync(OUT, { recursive: true, force: true });
  await bundleCharm({ "charm-only": join(REPO_ROOT, "bench/charm-only-entry.ts") }, OUT);
  return join(OUT, "charm-only.js");
}

function readTree(root: string): [string, { content: string; mode: number }][] {
  const out: [string, { content: string; mode: number }][] = [];
  const walk = (dir: string): void => {
    for (const name of readdirSync(dir)) {
      const path = join(dir, name);
      const stat = statSync(path);
      if (stat.isDirectory()) walk(path);
      else
        out.push([
          `/${relative(root, path)}`,
          { content: readFileSync(path, "utf8"), mode: stat.mode & 0o777 },
        ]);
    }
  };
  walk(root);
  return out;
}

/** Runs the hook once in process on a copy of `state` and records what the charm asked and got. */
export async function record(state: ModelState, spec: HookSpec, file: string): Promise<void> {
  const model = structuredClone(state);
  const files = readTree(model.units[spec.unit]!.machineRoot);
  beginHook(model, spec);
  const env = hookEnv(model, spec, { charmDir: REPO_ROOT, actionId: "1" });
  const inner = new InProcessRunner(model);
  const calls: object[] = [];
  const runner: ToolRunner = {
    async run(tool, args, stdin) {
      try {
        const stdout = await inner.run(tool, args, stdin);
        calls.push({ tool, args, stdout });
        return stdout;
      } catch (error) {
        if (!(error instanceof HookToolError)) throw error;
        calls.push({ tool, args, exitCode: error.exitCode, stderr: error.stderr });
        throw error;
      }
    },
  };
  const code = await runCharm({
    env,
    runner,
    rootDir: "/",
    files: new MemoryFiles(files),
    sleep: async () => {},
  });
  finishHook(model, code);
  if (code !== 0) throw new Error(`${spec.unit} ${spec.hookName} exited ${code} while recording`);
  mkdirSync(OUT, { recursive: true });
  writeFileSync(file, JSON.stringify({ env, calls, files }));
}

export interface Replayed {
  readonly msMedian: number;
  readonly rssMiBMax: number;
  readonly calls: number;
}

export function replay(entry: string, fixture: string, runs: number): Replayed {
  const times: number[] = [];
  let rss = 0;
  let calls = 0;
  for (let i = 0; i < runs; i++) {
    const started = performance.now();
    const child = spawnSync(process.execPath, [entry, fixture], { encoding: "utf8" });
    times.push(performance.now() - started);
    const result = JSON.parse(child.stdout.trim().split("\n").pop() || "{}") as {
      code?: number;
      calls?: number;
      maxRssKiB?: number;
    };
    if (result.code !== 0) throw new Error(`replay of ${fixture} failed: ${child.stderr}`);
    rss = Math.max(rss, (result.maxRssKiB ?? 0) / 1024);
    calls = result.calls ?? 0;
  }
  times.sort((a, b) => a - b);
  const mid = Math.floor(times.length / 2);
  const msMedian = times.length % 2 ? times[mid]! : (times[mid - 1]! + times[mid]!) / 2;
  return { msMedian, rssMiBMax: rss, calls };
}

export const fixturePath = (name: string): string => join(OUT, `${name}.json`);

/** `npx tsx bench/charm-only.ts`: the charm-only lines alone, on an in-process settled deployment. */
async function main(): Promise<void> {
  const { charmDeployment } = await import("../test/support/deployments.ts");
  const { csrProvider } = await import("../test/support/providers.ts");
  const runs = Number(process.env["BENCH_RUNS"] ?? 10);
  const { d, integration } = charmDeployment({
    generation: "current",
    extraApps: [csrProvider({ flavour: "self-signed" })],
  });
  await d.integrate(...integration);
  const certificates = await d.integrate("aws-iam:certificates", "self-signed-certificates:certificates");
  await d.settle();
  await d.updateStatus("aws-iam");
  const entry = await buildEntry();
  const node: number[] = [];
  for (let i = 0; i < runs; i++) {
    const started = performance.now();
    spawnSync(process.execPath, ["-e", "0"]);
    node.push(performance.now() - started);
  }
  node.sort((a, b) => a - b);
  const baseline = node[Math.floor(node.length / 2)]!;
  console.log(`node -e 0 median ${baseline.toFixed(1)} ms`);
  const leader = d.state.applications["aws-iam"]!.leader!;
  const cycle: [string, string, Omit<HookSpec, "unit" | "hookName">][] = [
    [leader, "update-status", {}],
    [leader === "aws-iam/0" ? "aws-iam/1" : "aws-iam/0", "update-status", {}],
    [leader, "config-changed", {}],
    [
      leader,
      "certificates-relation-changed",
      { relationId: certificates, remoteUnit: "self-signed-certificates/0" },
    ],
  ];
  for (const [i, [unit, hook, spec]] of cycle.entries()) {
    const fixture = fixturePath(`quick-${i}`);
    await record(d.state, { unit, hookName: hook, ...spec }, fixture);
    const run = replay(entry, fixture, runs);
    console.log(
      `charm-only ${hook} charm_ms_median=${run.msMedian.toFixed(0)} ratio_vs_node=${(run.msMedian / baseline).toFixed(2)} ` +
        `tool_calls=${run.calls} rss_mib_max=${run.rssMiBMax.toFixed(1)} (${unit === leader ? "leader" : "non-leader"})`,
    );
  }
}

if (import.meta.url === `file://${process.argv[1]}`) await main();
