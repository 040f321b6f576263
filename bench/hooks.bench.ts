/** `npm run bench`: a no-change cycle of hooks through the real built dispatch in the
 * emulated model, each hook at least RUNS times on a settled three-unit deployment; then
 * update-status on a deployment whose machines talk to the Kubernetes API emulator with
 * everything active (`update-status+api`), with the API requests each reconcile made, and the
 * worst-case time a rolling update takes over its three nodes (computed from the DaemonSet).
 * Emulated hook tools cost more than Juju's, so tool time is measured apart:
 * charm_ms = wall - tool_ms, and the ratio compares charm_ms with a bare `node -e 0`. */
import { spawnSync } from "node:child_process";
import { performance } from "node:perf_hooks";
import type { V1DaemonSet } from "@kubernetes/client-node";
import type { Deployment } from "../test/emulator/juju/deployment.ts";
import type { HookResult } from "../test/emulator/juju/hook-runner.ts";
import { startKubeApiEmulator } from "../test/emulator/k8s/index.ts";
import { clusterDeployment } from "../test/support/cluster.ts";
import { charmDeployment } from "../test/support/deployments.ts";
import { csrProvider } from "../test/support/providers.ts";
import { rolloutEstimate } from "../test/support/rollout.ts";
import { buildEntry, type CharmOnlyRow, charmOnly, charmOnlyLines } from "./charm-only.ts";
import { loadSize } from "./main-chunk.ts";
import { median } from "./median.ts";

const RUNS = Number(process.env["BENCH_RUNS"] ?? 10);

function bareNodeMs(): number {
  const times: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    const started = performance.now();
    spawnSync(process.execPath, ["-e", "0"]);
    times.push(performance.now() - started);
  }
  return median(times);
}

const { d, integration } = charmDeployment({
  generation: "current",
  mode: "dispatch",
  sampleRss: true,
  extraApps: [csrProvider({ flavour: "self-signed" })],
});
const controlPlane = await d.integrate(...integration);
const certificates = await d.integrate("aws-iam:certificates", "self-signed-certificates:certificates");
await d.settle();
const peers = d.state.relations.find((r) => r.endpoints.every((e) => e.endpoint === "aws-iam-peers"))!.id;

const cycle: Array<[string, string, Record<string, unknown>]> = [
  ["aws-iam/0", "update-status", {}],
  ["aws-iam/1", "update-status", {}],
  ["aws-iam/0", "config-changed", {}],
  ["aws-iam/0", "start", {}],
  ["aws-iam/0", "upgrade-charm", {}],
  ["aws-iam/1", "leader-settings-changed", {}],
  [
    "aws-iam/0",
    "juju-info-relation-changed",
    { relationId: controlPlane, remoteUnit: "kubernetes-control-plane/0" },
  ],
  [
    "aws-iam/0",
    "certificates-relation-changed",
    { relationId: certificates, remoteUnit: "self-signed-certificates/0" },
  ],
  ["aws-iam/1", "aws-iam-peers-relation-changed", { relationId: peers, remoteUnit: "aws-iam/0" }],
];

const baseline = bareNodeMs();
console.log(`node -e 0 median ${baseline.toFixed(1)} ms (${RUNS} runs)`);

/** Runs one hook RUNS times and prints its line; returns the results. */
async function measure(
  on: Deployment,
  unit: string,
  hook: string,
  spec: Record<string, unknown>,
  label = hook,
): Promise<HookResult[]> {
  const results: HookResult[] = [];
  for (let i = 0; i < RUNS; i++) {
    const result = await on.runHook(unit, hook, spec);
    if (result.exitCode !== 0) throw new Error(`${unit} ${hook} exited ${result.exitCode}: ${result.stderr}`);
    results.push(result);
  }
  const wall = median(results.map((r) => r.durationMs));
  const tool = median(results.map((r) => r.toolMs));
  const charm = median(results.map((r) => r.durationMs - r.toolMs));
  const calls = Math.max(...results.map((r) => r.calls.length));
  const rss = Math.max(...results.map((r) => r.peakRssMiB ?? 0));
  const role = on.state.applications["aws-iam"]!.leader === unit ? "leader" : "non-leader";
  console.log(
    `hook ${label} wall_ms_median=${wall.toFixed(0)} tool_calls=${calls} tool_ms_median=${tool.toFixed(0)} ` +
      `charm_ms_median=${charm.toFixed(0)} rss_mib_max=${rss.toFixed(1)} ratio_vs_node=${(charm / baseline).toFixed(2)}` +
      ` (${role})`,
  );
  return results;
}

for (const [unit, hook, spec] of cycle) await measure(d, unit, hook, spec);

// The charm alone: each hook of the cycle replayed in a fresh node with its tool answers in process.
const entry = await buildEntry();
const rows: CharmOnlyRow[] = [];
for (const [i, [unit, hook, spec]] of cycle.entries()) {
  rows.push(await charmOnly(entry, d.state, { unit, hookName: hook, ...spec }, `hook-${i}`, RUNS));
}
for (const line of charmOnlyLines(rows)) console.log(line);
const size = loadSize();
console.log(
  `bundle main_chunk_kib=${(size.staticBytes / 1024).toFixed(0)} dynamic_only_kib=${(size.dynamicOnlyBytes / 1024).toFixed(0)}`,
);

// The same hook where the machines have the admin kubeconfig: the reconcile reaches the cluster.
const kube = await startKubeApiEmulator({ controlPlaneNodes: 3 });
const withApi = await clusterDeployment(kube, { mode: "dispatch", sampleRss: true });
try {
  await withApi.d.updateStatus("aws-iam");
  const statuses = Object.values(withApi.statuses());
  if (!statuses.every((status) => status.startsWith("active: "))) {
    throw new Error(`not everything is active: ${statuses.join("; ")}`);
  }
  for (const unit of ["aws-iam/0", "aws-iam/1"]) {
    const from = kube.counters.total;
    const writesFrom = kube.counters.writes;
    await measure(withApi.d, unit, "update-status", {}, "update-status+api");
    const requests = (kube.counters.total - from) / RUNS;
    const writes = (kube.counters.writes - writesFrom) / RUNS;
    console.log(
      `kube update-status+api requests_per_reconcile=${requests} writes_per_reconcile=${writes} (${unit})`,
    );
  }
  // The rollout of a change over the three nodes, from the DaemonSet as applied (computed: the
  // emulator's kubelet does not model termination grace).
  const [ds] = kube.objects("DaemonSet") as V1DaemonSet[];
  const rollout = rolloutEstimate(ds!, 3);
  const { grace, readiness, minReady, maxUnavailable } = rollout.parts;
  console.log(
    `rollout nodes=3 max_unavailable=${maxUnavailable} grace_s=${grace} readiness_s<=${readiness} ` +
      `min_ready_s=${minReady} per_node_s<=${rollout.perBatchSeconds} total_s<=${rollout.totalSeconds}`,
  );
} finally {
  await withApi.dispose();
  await kube.close();
}
