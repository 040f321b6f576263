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
import { median } from "./median.ts";

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
  /** `node -e 0`, each run just before one of the hook's, so that a busy moment weighs on both. */
  readonly nodeMs: readonly number[];
  readonly rssMiBMax: number;
  readonly calls: number;
}

export function replay(entry: string, fixture: string, runs: number, env = process.env): Replayed {
  const times: number[] = [];
  const nodeTimes: number[] = [];
  let rss = 0;
  let calls = 0;
  for (let i = 0; i < runs; i++) {
    let started = performance.now();
    spawnSync(process.execPath, ["-e", "0"], { env });
    nodeTimes.push(performance.now() - started);
    started = performance.now();
    const child = spawnSync(process.execPath, [entry, fixture], { encoding: "utf8", env });
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
  return { msMedian: median(times), nodeMs: nodeTimes, rssMiBMax: rss, calls };
}

/** This machine sets NODE_EXTRA_CA_CERTS (a 220 KB bundle every Node process parses at start-up, about half
 * of `node -e 0` here). A hook never has it: Juju gives the hook process a fixed list of variables
 * (juju/juju worker/uniter/runner/context/context.go HookContext.HookVars, plus OSDependentEnvVars: PATH
 * and the like). The environment without it, when set. */
export function withoutExtraCa(): NodeJS.ProcessEnv | undefined {
  if (process.env["NODE_EXTRA_CA_CERTS"] === undefined) return undefined;
  const { NODE_EXTRA_CA_CERTS: _parsedAtStartUp, ...env } = process.env;
  return env;
}

export interface CharmOnlyRow {
  readonly hook: string;
  readonly role: string;
  readonly run: Replayed;
  /** The same without NODE_EXTRA_CA_CERTS, when it is set. */
  readonly bare?: Replayed;
}

/** Records one hook on `state` and replays it `runs` times (again without NODE_EXTRA_CA_CERTS when set). */
export async function charmOnly(
  entry: string,
  state: ModelState,
  spec: HookSpec,
  name: string,
  runs: number,
): Promise<CharmOnlyRow> {
  const fixture = fixturePath(name);
  await record(state, spec, fixture);
  const run = replay(entry, fixture, runs);
  const bareEnv = withoutExtraCa();
  const role = state.applications["aws-iam"]!.leader === spec.unit ? "leader" : "non-leader";
  return { hook: spec.hookName, role, run, ...(bareEnv && { bare: replay(entry, fixture, runs, bareEnv) }) };
}

/** The charm-only lines: each hook's median against the median of every `node -e 0` run alternately with
 * all of them (ten baseline runs per row swing with a busy moment; the pooled ones hardly do). */
export function charmOnlyLines(rows: readonly CharmOnlyRow[]): string[] {
  const node = median(rows.flatMap((row) => row.run.nodeMs));
  const bareNode = median(rows.flatMap((row) => row.bare?.nodeMs ?? []));
  const against = (r: Replayed, base: number) =>
    `charm_ms_median=${r.msMedian.toFixed(0)} ratio_vs_node=${(r.msMedian / base).toFixed(2)} node_ms_median=${base.toFixed(0)}`;
  return rows.map(
    ({ hook, role, run, bare }) =>
      `charm-only ${hook} ${against(run, node)} tool_calls=${run.calls} rss_mib_max=${run.rssMiBMax.toFixed(1)}` +
      (bare !== undefined ? ` without_NODE_EXTRA_CA_CERTS: ${against(bare, bareNode)}` : "") +
      ` (${role})`,
  );
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
  const rows: CharmOnlyRow[] = [];
  for (const [i, [unit, hook, spec]] of cycle.entries()) {
    rows.push(await charmOnly(entry, d.state, { unit, hookName: hook, ...spec }, `quick-${i}`, runs));
  }
  for (const line of charmOnlyLines(rows)) console.log(line);
}

if (import.meta.url === `file://${process.argv[1]}`) await main();
