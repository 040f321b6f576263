/** Property: whatever order operators and Juju deliver events in, across three units, the deployment
 * stays sound after every step: no hook fails, no private key leaves the unit, nothing shared goes while
 * a unit remains, the live units agree on the cluster ID and the certificate, and once settled one more
 * round of hooks writes nothing (a fixed point). Every sequence starts from one settled state (taken once,
 * then forked with the machines in memory: test/support/hook.ts forkInMemory). Size: PROPERTY_RUNS
 * sequences of PROPERTY_STEPS events. The Kubernetes API (and so API faults) is not in this world: its
 * emulator is a live server with no cheap copy per sequence; the fault paths run in
 * test/state/workload-deployment.test.ts and test/k8s/failures.test.ts. */
import assert from "node:assert/strict";
import { after, describe, test } from "node:test";
import fc from "fast-check";
import { unitTlsRecordPath } from "../../src/machine/paths.ts";
import type { CsrProviderCharm } from "../emulator/charms/csr-provider.ts";
import { KeyRing } from "../emulator/charms/tls-forge-ca.ts";
import type { Deployment } from "../emulator/juju/deployment.ts";
import { type KubeApiEmulator, startKubeApiEmulator } from "../emulator/k8s/index.ts";
import { peerAppBag, publishedTexts, statusOf, withProvider } from "../support/certificates.ts";
import { clusterDeployment } from "../support/cluster.ts";
import { forkInMemory, type MemoryFork, peerAppOf, relationIdOf, settled } from "../support/hook.ts";
import { csrProvider } from "../support/providers.ts";

// Cost measured on this shared 2-core machine is printed at the end (hooks and ms per hook); the default
// is what fits the suite's 180 s budget; PROPERTY_RUNS / PROPERTY_STEPS for bigger runs.
const RUNS = Number(process.env["PROPERTY_RUNS"] ?? 6);
const STEPS = Number(process.env["PROPERTY_STEPS"] ?? 30);
const SS = "self-signed-certificates";

type Event =
  | { kind: "config"; port: number; ttl: string }
  | { kind: "bad-config" }
  | { kind: "update-status" }
  | { kind: "leader"; unit: number }
  | { kind: "upgrade" }
  | { kind: "rotate-ca" }
  | { kind: "revoke" }
  | { kind: "remove-unit"; unit: number }
  | { kind: "certificates-departs" }
  | { kind: "certificates-rejoins" };

const events: fc.Arbitrary<Event> = fc.oneof(
  fc.record({
    kind: fc.constant("config" as const),
    port: fc.constantFrom(21362, 21400),
    ttl: fc.constantFrom("", "1m0s"),
  }),
  fc.constant({ kind: "bad-config" as const }),
  fc.constant({ kind: "update-status" as const }),
  fc.record({ kind: fc.constant("leader" as const), unit: fc.integer({ min: 0, max: 2 }) }),
  fc.constant({ kind: "upgrade" as const }),
  fc.constant({ kind: "rotate-ca" as const }),
  fc.constant({ kind: "revoke" as const }),
  fc.record({ kind: fc.constant("remove-unit" as const), unit: fc.integer({ min: 0, max: 2 }) }),
  fc.constant({ kind: "certificates-departs" as const }),
  fc.constant({ kind: "certificates-rejoins" as const }),
);

const NO_KUBE =
  "waiting: no Kubernetes credentials at /root/.kube/config yet (the control plane writes them)";

const live = (d: Deployment) => d.liveUnits("aws-iam");

/** One step: what the operator or Juju does, with the hooks Juju queues for it (settled). */
async function apply(d: Deployment, event: Event, world: { certificates: number | undefined }) {
  const provider = d.standInCharms[SS] as CsrProviderCharm;
  switch (event.kind) {
    case "config":
      return d.configure("aws-iam", { port: event.port, "token-webhook-cache-ttl": event.ttl });
    case "bad-config":
      return d.configure("aws-iam", { port: 21363 });
    case "update-status":
      return d.updateStatus("aws-iam");
    case "leader": {
      const unit = live(d)[event.unit % live(d).length]!;
      return d.setLeader(unit);
    }
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
  }
}

/** The certificate fingerprint a unit recorded on its machine (src/machine/paths.ts unitTlsRecordPath). */
async function recordedBy(fork: MemoryFork, unit: string): Promise<string | undefined> {
  const text = await fork.filesOf(unit).read(unitTlsRecordPath(unit));
  return text === undefined ? undefined : (JSON.parse(text) as { fingerprint: string }).fingerprint;
}

function assertSound(d: Deployment, from: number, clusterId: string, context: string): void {
  const failed = d.log.slice(from).filter((s) => s.result !== undefined && s.result.exitCode !== 0);
  assert.deepEqual(
    failed.map((s) => `${s.description}: ${s.result!.stderr}`),
    [],
    context,
  );
  const leaks = publishedTexts(d).filter((text) => text.includes("PRIVATE KEY"));
  assert.deepEqual(leaks, [], `${context}: a private key left the unit`);
  for (const s of Object.values(d.state.applications["aws-iam"]!.leaderSettings)) {
    assert.ok(!s.includes("PRIVATE KEY"), `${context}: a private key in leader settings`);
  }
  // Shared: the cluster ID and the app's certificate secret stay while any unit remains.
  assert.equal(peerAppBag(d)["generated-cluster-id"], clusterId, `${context}: the cluster ID changed`);
  assert.ok(
    d.state.secrets.some((s) => s.label === "authenticator-tls" && s.ownerApp === "aws-iam"),
    `${context}: the certificate secret is gone`,
  );
}

describe("hook sequences", () => {
  test(`${RUNS} sequences of ${STEPS} events over three units stay sound after every step`, async () => {
    const base = await settled("hook-sequences: 3 units, self-signed", async () => ({
      d: (await withProvider(csrProvider({ flavour: "self-signed" }), `${SS}:certificates`)).d,
    }));
    const clusterId = peerAppOf(base)["generated-cluster-id"]!;
    assert.ok(clusterId, "the settled state has a cluster ID");
    let hooks = 0;
    const keys = new KeyRing();
    const started = performance.now();
    await fc.assert(
      fc.asyncProperty(fc.array(events, { minLength: STEPS, maxLength: STEPS }), async (sequence) => {
        const newKey = keys.supply();
        const f = forkInMemory(base, { generateKey: newKey });
        const { d } = f;
        (d.standInCharms[SS] as CsrProviderCharm).useKeys(newKey);
        const world = { certificates: relationIdOf(base, "certificates") as number | undefined };
        let configValid = true;
        for (const [i, event] of sequence.entries()) {
          const from = d.log.length;
          await apply(d, event, world);
          if (event.kind === "config") configValid = true;
          if (event.kind === "bad-config") configValid = false;
          assertSound(d, from, clusterId, `step ${i} (${event.kind})`);
        }
        hooks += d.log.filter((s) => s.result !== undefined).length;
        // Settled: the live units agree, and one more round writes nothing.
        const units = live(d);
        const statuses = new Set(units.map((unit) => statusOf(d, unit)));
        assert.equal(statuses.size, 1, `units disagree: ${[...statuses].join(" / ")}`);
        if (configValid && world.certificates !== undefined) {
          const [status] = statuses;
          assert.equal(status, NO_KUBE);
          const fingerprint = peerAppBag(d)["tls-fingerprint"];
          assert.ok(fingerprint, "the leader shared a certificate");
          for (const unit of units) assert.equal(await recordedBy(f, unit), fingerprint, unit);
        }
        const again = await d.updateStatus("aws-iam");
        const writes = again.flatMap((step) =>
          (step.result?.calls ?? []).filter((call) => /-set$|^secret-(add|set|remove)/.test(call.tool)),
        );
        assert.deepEqual(
          writes.map((call) => `${call.tool} ${call.args.join(" ")}`),
          [],
          "a settled deployment is a fixed point",
        );
      }),
      { numRuns: RUNS, endOnFailure: true },
    );
    const ms = performance.now() - started;
    process.stdout.write(
      `# ${RUNS} sequences × ${STEPS} steps: ${hooks} hooks in ${(ms / 1000).toFixed(1)} s, ${(ms / hooks).toFixed(2)} ms a hook\n`,
    );
  });
});

// The same property with a Kubernetes API and faults in it (5xx, dropped connections, answers slower
// than the client's per-attempt timeout), on a smaller size: the API emulator is one live server, so the
// sequences share its objects (each starts from the settled Juju state; the cluster carries over, as a
// real cluster would across a unit's restarts), and its events leave the Juju model's shape alone
// (no removals: those run in test/state/workload-deployment.test.ts).
const FAULT_RUNS = Number(process.env["PROPERTY_FAULT_RUNS"] ?? 4);
const FAULT_STEPS = Number(process.env["PROPERTY_FAULT_STEPS"] ?? 10);

type FaultEvent =
  | { kind: "update-status" }
  | { kind: "unit-update-status"; unit: number }
  | { kind: "config"; ttl: string }
  | { kind: "leader"; unit: number }
  | { kind: "upgrade" }
  | { kind: "fault"; fault: "503" | "500" | "reset" | "timeout"; times: number };

const faultEvents: fc.Arbitrary<FaultEvent> = fc.oneof(
  fc.constant({ kind: "update-status" as const }),
  fc.record({ kind: fc.constant("unit-update-status" as const), unit: fc.integer({ min: 0, max: 2 }) }),
  fc.record({ kind: fc.constant("config" as const), ttl: fc.constantFrom("", "1m0s", "30s") }),
  fc.record({ kind: fc.constant("leader" as const), unit: fc.integer({ min: 0, max: 2 }) }),
  fc.constant({ kind: "upgrade" as const }),
  fc.record({
    kind: fc.constant("fault" as const),
    fault: fc.constantFrom("503" as const, "500" as const, "reset" as const, "timeout" as const),
    times: fc.integer({ min: 1, max: 4 }),
  }),
);

/** The client's per-attempt timeout while faults are about (production: 5 s), and how long a "timeout"
 * fault holds an answer back (longer, so the client gives up on it). A request slowed by a loaded machine
 * only adds a "waiting" step mid-sequence; the final rounds run with the production timeout. */
const FAULT_CLIENT_TIMEOUT_MS = 300;
const FAULT_DELAY_MS = 600;

describe("hook sequences with a Kubernetes API and its faults", () => {
  let kube: KubeApiEmulator | undefined;
  after(async () => kube?.close());

  test(`${FAULT_RUNS} sequences of ${FAULT_STEPS} events with API faults stay sound and settle`, async () => {
    const base = await settled("hook-sequences: 3 units, Kubernetes API", async () => {
      kube = await startKubeApiEmulator({ controlPlaneNodes: 3, workerNodes: 1 });
      const c = await clusterDeployment(kube, { mode: "in-process", rolloutWaitMs: 5000 });
      return { d: c.d, kube };
    });
    const api = base.kube!;
    const started = performance.now();
    const clusterId = peerAppOf(base)["generated-cluster-id"]!;
    assert.ok(clusterId, "the settled state has a cluster ID");
    let hooks = 0;
    await fc.assert(
      fc.asyncProperty(
        fc.array(faultEvents, { minLength: FAULT_STEPS, maxLength: FAULT_STEPS }),
        async (sequence) => {
          const f = forkInMemory(base, {
            rolloutWaitMs: 5000,
            kubeClient: { timeoutMs: FAULT_CLIENT_TIMEOUT_MS },
          });
          const { d } = f;
          const removers: (() => void)[] = [];
          try {
            for (const [i, event] of sequence.entries()) {
              const from = d.log.length;
              const requestsFrom = api.counters.total;
              const units = live(d);
              switch (event.kind) {
                case "update-status":
                  await d.updateStatus("aws-iam");
                  break;
                case "unit-update-status":
                  await d.runHook(units[event.unit % units.length]!, "update-status");
                  break;
                case "config":
                  await d.configure("aws-iam", { "token-webhook-cache-ttl": event.ttl });
                  break;
                case "leader":
                  await d.setLeader(units[event.unit % units.length]!);
                  break;
                case "upgrade":
                  await d.upgrade("aws-iam");
                  break;
                case "fault": {
                  const rule =
                    event.fault === "reset"
                      ? { reset: true }
                      : event.fault === "timeout"
                        ? { delayMs: FAULT_DELAY_MS }
                        : { status: Number(event.fault), message: "injected" };
                  removers.push(api.faults.add({ ...rule, times: event.times }));
                  await d.updateStatus("aws-iam");
                  break;
                }
              }
              const context = `step ${i} (${event.kind})`;
              assertSound(d, from, clusterId, context);
              const deletes = api.counters.entries
                .slice(requestsFrom)
                .filter((e) => e.method === "DELETE")
                .map((e) => e.path);
              assert.deepEqual(deletes, [], `${context}: nothing is deleted while every unit remains`);
            }
            hooks += d.log.filter((s) => s.result !== undefined).length;
            // Faults over, production client timeouts: one round to recover, then every unit serves and
            // agrees, and one more round writes nothing to Juju or to Kubernetes.
            for (const remove of removers) remove();
            f.useOptions({ rolloutWaitMs: 5000 });
            await d.updateStatus("aws-iam");
            await d.updateStatus("aws-iam");
            for (const unit of live(d))
              assert.match(statusOf(d, unit), /^active: authenticator ready on /, unit);
            const requestsFrom = api.counters.total;
            const again = await d.updateStatus("aws-iam");
            const writes = again.flatMap((step) =>
              (step.result?.calls ?? []).filter((call) => /-set$|^secret-(add|set|remove)/.test(call.tool)),
            );
            assert.deepEqual(
              writes.map((call) => `${call.tool} ${call.args.join(" ")}`),
              [],
              "a settled deployment is a fixed point (Juju)",
            );
            const kubeWrites = api.counters.entries
              .slice(requestsFrom)
              .filter((e) => ["POST", "PUT", "PATCH", "DELETE"].includes(e.method))
              .map((e) => `${e.method} ${e.path}`);
            assert.deepEqual(kubeWrites, [], "a settled deployment is a fixed point (Kubernetes)");
          } finally {
            for (const remove of removers) remove();
          }
        },
      ),
      { numRuns: FAULT_RUNS, endOnFailure: true },
    );
    const ms = performance.now() - started;
    process.stdout.write(
      `# ${FAULT_RUNS} sequences × ${FAULT_STEPS} steps with API faults: ${hooks} hooks in ${(ms / 1000).toFixed(1)} s, ${(ms / hooks).toFixed(1)} ms a hook\n`,
    );
  });
});
