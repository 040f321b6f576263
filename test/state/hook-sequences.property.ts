/** The hook-sequence property (run by test/state/hook-sequences.test.ts, in worker threads): whatever
 * order operators, Juju and the Kubernetes API deliver events in, across three units, the deployment
 * stays sound after every step: no hook fails, no private key leaves the unit, nothing shared goes while
 * a unit remains, the live units agree on the cluster ID and the certificate, and once settled one more
 * round of hooks writes nothing (a fixed point).
 *
 * Two worlds, each forked per sequence from one settled state (test/support/hook.ts forkInMemory: the
 * machines in memory, the stand-ins copied):
 * - without a Kubernetes API (most sequences): the units wait for the control plane's credentials, so a
 *   hook costs the charm's Juju and certificate work alone;
 * - with the Kubernetes API emulator (one sequence drawn from the seed first, then about one in
 *   `apiEvery` by weight): the units deploy and
 *   serve, and API faults (5xx, dropped connections, answers slower than the client's per-attempt
 *   timeout) are among the events. The emulator is one live HTTPS server; each such sequence starts from
 *   its snapshot of the cluster taken when the world settled (KubeApiEmulator.restore), so every world
 *   is the same cluster at the same moment as its Juju state. */
import assert from "node:assert/strict";
import { parentPort, workerData } from "node:worker_threads";
import fc from "fast-check";
import { unitTlsRecordPath } from "../../src/machine/paths.ts";
import type { CsrProviderCharm } from "../emulator/charms/csr-provider.ts";
import { KeyRing } from "../emulator/charms/tls-forge-ca.ts";
import type { Deployment } from "../emulator/juju/deployment.ts";
import { type KubeApiEmulator, startKubeApiEmulator } from "../emulator/k8s/index.ts";
import { peerAppBag, statusOf, withProvider } from "../support/certificates.ts";
import { clusterDeployment } from "../support/cluster.ts";
import {
  forkInMemory,
  JUJU_WRITE,
  type MemoryFork,
  peerAppOf,
  relationIdOf,
  type State,
  settled,
} from "../support/hook.ts";
import { csrProvider } from "../support/providers.ts";

const SS = "self-signed-certificates";

type Fault = "503" | "500" | "reset" | "timeout";

type Event =
  | { kind: "config"; port: number; ttl: string }
  | { kind: "bad-config" }
  | { kind: "update-status" }
  | { kind: "unit-update-status"; unit: number }
  | { kind: "leader"; unit: number }
  | { kind: "upgrade" }
  | { kind: "rotate-ca" }
  | { kind: "revoke" }
  | { kind: "remove-unit"; unit: number }
  | { kind: "certificates-departs" }
  | { kind: "certificates-rejoins" }
  /** The API answers the next `times` requests with this fault, then update-status. */
  | { kind: "api-fault"; fault: Fault; times: number };

const jujuEvents: fc.Arbitrary<Event>[] = [
  fc.record({
    kind: fc.constant("config" as const),
    port: fc.constantFrom(21362, 21400),
    ttl: fc.constantFrom("", "1m0s"),
  }),
  fc.constant({ kind: "bad-config" as const }),
  fc.constant({ kind: "update-status" as const }),
  fc.record({ kind: fc.constant("unit-update-status" as const), unit: fc.integer({ min: 0, max: 2 }) }),
  fc.record({ kind: fc.constant("leader" as const), unit: fc.integer({ min: 0, max: 2 }) }),
  fc.constant({ kind: "upgrade" as const }),
  fc.constant({ kind: "rotate-ca" as const }),
  fc.constant({ kind: "revoke" as const }),
  fc.record({ kind: fc.constant("remove-unit" as const), unit: fc.integer({ min: 0, max: 2 }) }),
  fc.constant({ kind: "certificates-departs" as const }),
  fc.constant({ kind: "certificates-rejoins" as const }),
];
const apiFault: fc.Arbitrary<Event> = fc.record({
  kind: fc.constant("api-fault" as const),
  fault: fc.constantFrom<Fault>("503", "500", "reset", "timeout"),
  times: fc.integer({ min: 1, max: 4 }),
});

interface Sequence {
  readonly api: boolean;
  readonly events: readonly Event[];
}

const jujuSequences = (steps: number): fc.Arbitrary<Sequence> =>
  fc.record({
    api: fc.constant(false),
    events: fc.array(fc.oneof(...jujuEvents), { minLength: steps, maxLength: steps }),
  });

const apiSequences = (steps: number): fc.Arbitrary<Sequence> =>
  fc.record({
    api: fc.constant(true),
    // Faults as likely as any other event, three times over: most steps then meet one.
    events: fc.array(fc.oneof(...jujuEvents, apiFault, apiFault, apiFault), {
      minLength: steps,
      maxLength: steps,
    }),
  });

const sequencesOf = (steps: number, apiEvery: number): fc.Arbitrary<Sequence> =>
  fc.oneof(
    { weight: Math.max(apiEvery - 1, 0), arbitrary: jujuSequences(steps) },
    { weight: 1, arbitrary: apiSequences(steps) },
  );

const NO_KUBE =
  "waiting: no Kubernetes credentials at /root/.kube/config yet (the control plane writes them)";
const SERVING = /^active: authenticator ready on /;

/** The client's per-attempt timeout while faults are about (production: 5 s), and how long a "timeout"
 * fault holds an answer back (longer, so the client gives up on it). A request slowed by a loaded machine
 * only adds a "waiting" step mid-sequence; the final rounds run with the production timeout. */
const FAULT_CLIENT_TIMEOUT_MS = 300;
const FAULT_DELAY_MS = 600;
const ROLLOUT_WAIT_MS = 5000;

const live = (d: Deployment) => d.liveUnits("aws-iam");

interface World {
  certificates: number | undefined;
  configValid: boolean;
  readonly kube: KubeApiEmulator | undefined;
}

/** One step: what the operator, Juju or the API does, with the hooks Juju queues for it (settled). */
async function apply(d: Deployment, event: Event, world: World) {
  const provider = d.standInCharms[SS] as CsrProviderCharm;
  switch (event.kind) {
    case "config":
      world.configValid = true;
      return d.configure("aws-iam", { port: event.port, "token-webhook-cache-ttl": event.ttl });
    case "bad-config":
      world.configValid = false;
      return d.configure("aws-iam", { port: 21363 });
    case "update-status":
      return d.updateStatus("aws-iam");
    case "unit-update-status":
      return [await d.runHook(live(d)[event.unit % live(d).length]!, "update-status")];
    case "leader":
      return d.setLeader(live(d)[event.unit % live(d).length]!);
    case "upgrade":
      return d.upgrade("aws-iam");
    case "rotate-ca":
      if (world.certificates === undefined) return [];
      provider.rotateCa();
      return d.pokeStandIn(SS, world.certificates);
    case "revoke":
      if (world.certificates === undefined) return [];
      provider.revokeAll();
      return d.pokeStandIn(SS, world.certificates);
    case "remove-unit": {
      // Keep two units, so "while another unit remains" always has one.
      const units = live(d);
      if (units.length <= 2) return [];
      const leaving = units[event.unit % units.length]!;
      return d.removeUnit(d.state.units[leaving]!.principal ?? leaving);
    }
    case "certificates-departs": {
      if (world.certificates === undefined) return [];
      const steps = await d.removeRelation(world.certificates);
      world.certificates = undefined;
      return steps;
    }
    case "certificates-rejoins": {
      if (world.certificates !== undefined) return [];
      world.certificates = await d.integrate("aws-iam:certificates", `${SS}:certificates`);
      return d.settle();
    }
    case "api-fault": {
      const rule =
        event.fault === "reset"
          ? { reset: true }
          : event.fault === "timeout"
            ? { delayMs: FAULT_DELAY_MS }
            : { status: Number(event.fault), message: "injected" };
      world.kube?.faults.add({ ...rule, times: event.times });
      return d.updateStatus("aws-iam");
    }
  }
}

/** The certificate fingerprint a unit recorded on its machine (src/machine/paths.ts unitTlsRecordPath). */
async function recordedBy(fork: MemoryFork, unit: string): Promise<string | undefined> {
  const text = await fork.filesOf(unit).read(unitTlsRecordPath(unit));
  return text === undefined ? undefined : (JSON.parse(text) as { fingerprint: string }).fingerprint;
}

/** Everything the deployment shows outside the units' machines and secrets (statuses and their history,
 * logs, our relation data, leader settings), and what the hooks since log entry `from` printed. */
function shownTexts(d: Deployment, from: number): string[] {
  const out: string[] = [];
  for (const unit of Object.values(d.state.units)) {
    out.push(...unit.logs.map((l) => l.message), ...unit.statusHistory.map((s) => s.message));
    out.push(unit.status.message);
  }
  for (const app of Object.values(d.state.applications)) {
    out.push(...app.statusHistory.map((s) => s.message), app.status.message);
    out.push(...Object.values(app.leaderSettings));
  }
  for (const rel of d.state.relations) {
    for (const [unit, bag] of Object.entries(rel.unitData)) {
      if (unit.startsWith("aws-iam/")) out.push(...Object.values(bag));
    }
    out.push(...Object.values(rel.appData["aws-iam"] ?? {}));
  }
  for (const step of d.log.slice(from)) {
    if (step.result !== undefined) out.push(step.result.stderr, step.result.stdout);
  }
  return out;
}

/** The Secret the authenticator's pods mount: the one object in the cluster meant to hold our key. */
const TLS_SECRET = "aws-iam-authenticator-tls";

async function assertSound(
  f: MemoryFork,
  world: World,
  from: { log: number; requests: number },
  clusterId: string,
  context: string,
): Promise<void> {
  const { d } = f;
  const failed = d.log.slice(from.log).filter((s) => s.result !== undefined && s.result.exitCode !== 0);
  assert.deepEqual(
    failed.map((s) => `${s.description}: ${s.result!.stderr}`),
    [],
    context,
  );
  const leaks = shownTexts(d, from.log).filter((text) => text.includes("PRIVATE KEY"));
  assert.deepEqual(leaks, [], `${context}: a private key left the unit`);
  // Shared: the cluster ID and the app's certificate secret stay while any unit remains, and every
  // live unit that holds a certificate holds the one the leader shared.
  const shared = peerAppBag(d);
  assert.equal(shared["generated-cluster-id"], clusterId, `${context}: the cluster ID changed`);
  assert.ok(
    d.state.secrets.some((s) => s.label === "authenticator-tls" && s.ownerApp === "aws-iam"),
    `${context}: the certificate secret is gone`,
  );
  for (const unit of live(d)) {
    const recorded = await recordedBy(f, unit);
    if (recorded !== undefined)
      assert.equal(
        recorded,
        shared["tls-fingerprint"],
        `${context}: ${unit} serves ${recorded}, the leader shared ${shared["tls-fingerprint"]}`,
      );
  }
  const kube = world.kube;
  if (kube === undefined) return;
  // Two units always remain, and nothing in the cluster is any one unit's: no DELETE at all.
  const deletes = kube.counters.entries
    .slice(from.requests)
    .filter((e) => e.method === "DELETE")
    .map((e) => e.path);
  assert.deepEqual(deletes, [], `${context}: something shared was deleted while units remain`);
  const keyHolders = kube
    .objects()
    .filter((o) => JSON.stringify(o).includes("PRIVATE KEY"))
    .map((o) => `${String(o["kind"])}/${String((o["metadata"] as { name?: unknown }).name)}`);
  assert.ok(
    keyHolders.every((name) => name === `Secret/${TLS_SECRET}`),
    `${context}: a private key outside the TLS Secret: ${keyHolders.join(", ")}`,
  );
}

/** Juju writes (and, with an API, Kubernetes writes) of one more round of update-status. */
async function writesOfOneMoreRound(d: Deployment, kube: KubeApiEmulator | undefined): Promise<string[]> {
  const requestsFrom = kube?.counters.total ?? 0;
  const again = await d.updateStatus("aws-iam");
  const jujuWrites = again.flatMap((step) =>
    (step.result?.calls ?? [])
      .filter((call) => JUJU_WRITE.test(call.tool))
      .map((call) => `${call.tool} ${call.args.join(" ")}`),
  );
  const kubeWrites = (kube?.counters.entries.slice(requestsFrom) ?? [])
    .filter((e) => ["POST", "PUT", "PATCH", "DELETE"].includes(e.method))
    .map((e) => `${e.method} ${e.path}`);
  return [...jujuWrites, ...kubeWrites];
}

interface ApiWorld {
  readonly base: State;
  readonly snapshot: ReturnType<KubeApiEmulator["snapshot"]>;
  readonly kube: KubeApiEmulator;
  readonly clusterId: string;
}

function clusterIdOf(base: State): string {
  const id = peerAppOf(base)["generated-cluster-id"];
  assert.ok(id, "the settled state has a cluster ID");
  return id;
}

export interface PropertyOptions {
  readonly runs: number;
  readonly steps: number;
  /** About one sequence in this many has the Kubernetes API in its world (a hook there costs ~10-50x one
   * without: TLS, the client, the emulator's controllers). */
  readonly apiEvery: number;
  readonly seed: number;
}

export interface PropertySummary {
  readonly hooks: number;
  readonly api: number;
  readonly apiHooks: number;
  readonly apiMs: number;
}

/** Runs the property; throws fast-check's report (seed, counterexample, error) when it fails. */
export async function runHookSequences(options: PropertyOptions): Promise<PropertySummary> {
  const { runs, steps, apiEvery, seed } = options;
  let kube: KubeApiEmulator | undefined;
  try {
    const jujuBase = await settled("hook-sequences: 3 units, self-signed", async () => ({
      d: (await withProvider(csrProvider({ flavour: "self-signed" }), `${SS}:certificates`)).d,
    }));
    const jujuClusterId = clusterIdOf(jujuBase);
    // Built on the first sequence that needs it.
    let apiWorld: Promise<ApiWorld> | undefined;
    const apiWorldOnce = () => {
      apiWorld ??= (async () => {
        kube = await startKubeApiEmulator({ controlPlaneNodes: 3, workerNodes: 1 });
        const c = await clusterDeployment(kube, { mode: "in-process", rolloutWaitMs: ROLLOUT_WAIT_MS });
        const snapshot = kube.snapshot();
        const base = await settled("hook-sequences: 3 units, Kubernetes API", async () => ({ d: c.d, kube }));
        for (const unit of live(c.d)) assert.match(statusOf(c.d, unit), SERVING, unit);
        return { base, snapshot, kube, clusterId: clusterIdOf(base) };
      })();
      return apiWorld;
    };
    const keys = new KeyRing();
    const count = { hooks: 0, api: 0, apiHooks: 0, apiMs: 0 };
    await fc.assert(
      fc.asyncProperty(sequencesOf(steps, apiEvery), async (sequence) => {
        const sequenceStarted = performance.now();
        const newKey = keys.supply();
        const withApi = sequence.api ? await apiWorldOnce() : undefined;
        const base = withApi?.base ?? jujuBase;
        const clusterId = withApi?.clusterId ?? jujuClusterId;
        withApi?.kube.restore(withApi.snapshot);
        const f = forkInMemory(base, {
          generateKey: newKey,
          ...(sequence.api
            ? { rolloutWaitMs: ROLLOUT_WAIT_MS, kubeClient: { timeoutMs: FAULT_CLIENT_TIMEOUT_MS } }
            : {}),
        });
        const { d } = f;
        (d.standInCharms[SS] as CsrProviderCharm).useKeys(newKey);
        const world: World = {
          certificates: relationIdOf(base, "certificates"),
          configValid: true,
          kube: withApi?.kube,
        };
        try {
          for (const [i, event] of sequence.events.entries()) {
            const from = { log: d.log.length, requests: world.kube?.counters.total ?? 0 };
            await apply(d, event, world);
            await assertSound(f, world, from, clusterId, `step ${i} (${event.kind})`);
          }
          // Faults over, production client timeouts: with an API, two rounds to recover first (as the
          // fault property this one replaces: a fault-slowed apply may need a second look).
          if (world.kube !== undefined) {
            world.kube.faults.clear();
            f.useOptions({ generateKey: newKey, rolloutWaitMs: ROLLOUT_WAIT_MS });
            for (const round of [1, 2]) {
              const from = { log: d.log.length, requests: world.kube.counters.total };
              await d.updateStatus("aws-iam");
              await assertSound(f, world, from, clusterId, `recovery round ${round}`);
            }
          }
          // Settled: the live units agree (on all but the node each serves on), and one more round
          // writes nothing.
          const units = live(d);
          const statuses = new Set(
            units.map((unit) => statusOf(d, unit).replace(/ on control-plane-\d+/, " on <its node>")),
          );
          assert.equal(statuses.size, 1, `units disagree: ${[...statuses].join(" / ")}`);
          if (world.configValid && world.certificates !== undefined) {
            for (const unit of units) {
              const status = statusOf(d, unit);
              if (world.kube === undefined) assert.equal(status, NO_KUBE, `${unit}: ${status}`);
              else assert.match(status, SERVING, `${unit}: ${status}`);
            }
            const fingerprint = peerAppBag(d)["tls-fingerprint"];
            assert.ok(fingerprint, "the leader shared a certificate");
            for (const unit of units) {
              const recorded = await recordedBy(f, unit);
              assert.equal(
                recorded,
                fingerprint,
                `${unit} recorded ${recorded}, the leader shared ${fingerprint}`,
              );
            }
          }
          assert.deepEqual(
            await writesOfOneMoreRound(d, world.kube),
            [],
            "a settled deployment is a fixed point",
          );
        } finally {
          world.kube?.faults.clear();
        }
        const hooks = d.log.filter((s) => s.result !== undefined).length;
        count.hooks += hooks;
        if (sequence.api) {
          count.api++;
          count.apiHooks += hooks;
          count.apiMs += performance.now() - sequenceStarted;
        }
      }),
      {
        numRuns: runs,
        seed,
        endOnFailure: true,
        includeErrorInReport: true,
        // One API-world sequence (drawn from the seed) before the rest, so every run has one.
        examples: [[fc.sample(apiSequences(steps), { seed, numRuns: 1 })[0]!]],
      },
    );
    return count;
  } finally {
    await kube?.close();
  }
}

/** In a worker (test/state/hook-sequences.test.ts): runs with the options in workerData and posts
 * `{ summary }` or `{ failure }` (the report's text). */
export async function runInWorker(): Promise<void> {
  const options = workerData as PropertyOptions;
  try {
    parentPort?.postMessage({ summary: await runHookSequences(options) });
  } catch (error) {
    parentPort?.postMessage({ failure: error instanceof Error ? error.message : String(error) });
  }
}
