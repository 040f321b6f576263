/** The workload feature against a real HTTPS Kubernetes API (the emulator) with three control-plane nodes:
 * one leader and two other units, each on its own machine (temp root) and its own node. Each "hook" is the
 * workload's part of charm.ts's pipeline: decideWorkload → commitLocal (the leader's apply) → watchCluster
 * → afterCluster.decide, with the plan's logs written as commitJuju writes them. */
import assert from "node:assert/strict";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, test } from "node:test";
import { commitLocal } from "../../src/commit/commit.ts";
import type { CharmConfig } from "../../src/config/charm-config.ts";
import { KubeError } from "../../src/k8s/errors.ts";
import { PATHS } from "../../src/machine/paths.ts";
import { clusterClient, watchCluster } from "../../src/observe/cluster.ts";
import type { ClusterView } from "../../src/observe/cluster-view.ts";
import { PEER_APP_KEYS } from "../../src/plan/peer-databag.ts";
import { mergePlans } from "../../src/plan/plan.ts";
import { finalStatus, type Status } from "../../src/plan/status.ts";
import { teardownWorkload } from "../../src/teardown/cluster.ts";
import { decideWorkload } from "../../src/workload/decide.ts";
import {
  CHECKSUM_ANNOTATION,
  CRD_NAME,
  OWNED_KINDS,
  ownedLabelSelector,
} from "../../src/workload/manifests/index.ts";
import { type KubeApiEmulator, startKubeApiEmulator } from "../emulator/k8s/index.ts";
import { CERT_PEM, KEY_BODY, KEY_PEM } from "../k8s/harness.ts";
import { runKubectl } from "../k8s/kubectl.ts";
import { parsedConfig } from "../support/config-defaults.ts";
import { type EmulatedUnit, emulatedUnit, IMPATIENT_CLIENT } from "../support/kube.ts";
import { observed } from "../unit/plan/observed.ts";

const APP = "aws-iam";
const IMAGE = "rocks.canonical.com/cdk/aws-iam-authenticator:v0.7.18";
const NEW_IMAGE = "rocks.canonical.com/cdk/aws-iam-authenticator:v0.7.19";
const NODES = ["control-plane-0", "control-plane-1", "control-plane-2"];
const DS_PATH = `/apis/apps/v1/namespaces/kube-system/daemonsets/${APP}-authenticator`;
const SECRET_PATH = `/api/v1/namespaces/kube-system/secrets/${APP}-authenticator-tls`;
const CONFIG: CharmConfig = parsedConfig({ image: IMAGE, "backend-mode": "CRD,MountedFile" });
const UNREACHABLE_REFUSED = "waiting: Kubernetes API unreachable (ECONNREFUSED); retrying on the next hook";

const show = (status: Status | undefined): string =>
  status === undefined ? "none" : `${status.name}: ${status.message}`;

/** What one hook of the workload feature ended with. */
interface WorkloadOutcome {
  readonly unit: Status;
  /** Leader only. */
  readonly app?: Status;
  /** Leader only, after a successful apply. */
  readonly appliedHash?: string;
}

interface HookInput {
  readonly clusterId: string;
  /** Bound on the wait for this node's pod. */
  readonly waitMs: number;
}

/** Three units of one application and the leader's stored hash, as the peer app bag would keep it. */
class Deployment {
  readonly units: EmulatedUnit[];
  storedHash: string | undefined;
  config: CharmConfig = CONFIG;
  certPem = CERT_PEM;

  constructor(
    readonly emulator: KubeApiEmulator,
    units: EmulatedUnit[] = NODES.map((node, i) => emulatedUnit(node, i === 0)),
  ) {
    this.units = units;
    for (const unit of this.units) unit.writeKubeconfig(emulator);
  }

  get leader(): EmulatedUnit {
    return this.units[0]!;
  }

  async run(unit: EmulatedUnit, overrides: Partial<HookInput> = {}): Promise<WorkloadOutcome> {
    const input: HookInput = { clusterId: "ck-3f2a9c", waitMs: 10_000, ...overrides };
    const kubeconfig = await unit.files.read(PATHS.adminKubeconfig);
    const seen = observed({
      leader: unit.leader,
      files: { [PATHS.adminKubeconfig]: kubeconfig },
      // The reactive charm's leftovers are test/state/refresh-from-reactive.test.ts's: not looked up here.
      peerApp: {
        [PEER_APP_KEYS.reactiveObjectsRemoved]: "true",
        ...(this.storedHash !== undefined && { [PEER_APP_KEYS.appliedHash]: this.storedHash }),
      },
    });
    const decision = decideWorkload(seen, {
      config: this.config,
      clusterId: input.clusterId,
      served: unit.leader ? { certPem: this.certPem, keyPem: KEY_PEM } : undefined,
      gate: undefined,
      knownNode: unit.node,
      machine: undefined,
      rolloutWaitMs: input.waitMs,
    });
    const kube = clusterClient(kubeconfig, PATHS.adminKubeconfig, unit.deps.kubeClient);
    const report = await commitLocal(decision.plan, seen, unit.deps, {
      pruneKinds: OWNED_KINDS.filter((kind) => kind.prune),
      kube,
    });
    let plan = decision.plan;
    if (decision.afterCluster !== undefined) {
      const client = await kube();
      const view: ClusterView =
        client instanceof KubeError
          ? { kind: "failed", error: client }
          : await watchCluster(decision.afterCluster.watch, client, {
              now: unit.clock.now,
              sleep: unit.clock.sleep,
              pollMs: unit.pollMs,
            });
      plan = mergePlans([plan, decision.afterCluster.decide(view, report)]);
    }
    for (const line of plan.logs ?? []) {
      await (line.level === "WARNING"
        ? unit.deps.log.warning(line.message)
        : unit.deps.log.info(line.message));
    }
    const appliedHash = plan.peerApp?.appliedHash;
    if (appliedHash !== undefined) this.storedHash = appliedHash;
    return {
      unit: finalStatus(plan.unitStatus ?? []),
      ...((plan.appStatus ?? []).length > 0 && { app: finalStatus(plan.appStatus ?? []) }),
      ...(appliedHash !== undefined && { appliedHash }),
    };
  }

  /** Every unit in turn, leader first: what one round of hooks would do. */
  async runAll(): Promise<WorkloadOutcome[]> {
    const outcomes: WorkloadOutcome[] = [];
    for (const unit of this.units) outcomes.push(await this.run(unit));
    return outcomes;
  }

  /** Requests and writes made by `action`. */
  async counting<T>(action: () => Promise<T>): Promise<{ result: T; total: number; writes: string[] }> {
    const from = this.emulator.counters.total;
    const result = await action();
    const entries = this.emulator.counters.entries.slice(from);
    const writes = entries.filter((e) => ["POST", "PUT", "PATCH", "DELETE"].includes(e.method));
    return { result, total: entries.length, writes: writes.map((e) => `${e.method} ${e.path}`) };
  }

  dispose(): void {
    for (const unit of this.units) unit.dispose();
  }
}

function ready(node: string): string {
  return `active: authenticator ready on ${node}`;
}

describe("the workload step on three control-plane nodes", () => {
  let emulator: KubeApiEmulator;
  let d: Deployment;

  beforeEach(async () => {
    emulator = await startKubeApiEmulator({ controlPlaneNodes: 3, workerNodes: 1 });
    d = new Deployment(emulator);
  });
  afterEach(async () => {
    d.dispose();
    await emulator.close();
  });

  test("the leader applies; each unit is active once the pod on its own node is ready", async () => {
    emulator.setDefaultPodBehaviour({ state: "Ready" });
    emulator.scriptPod("control-plane-1", { state: "Ready", afterPolls: 3 });

    const leader = await d.counting(() => d.run(d.leader));
    assert.equal(show(leader.result.unit), ready("control-plane-0"));
    // control-plane-1 is still starting when the leader looks.
    assert.equal(show(leader.result.app), "maintenance: 2/3 control-plane nodes ready");
    assert.match(leader.result.appliedHash ?? "", /^[0-9a-f]{64}$/);
    assert.equal(leader.writes.length, 9, leader.writes.join("\n"));
    assert.equal(leader.writes.filter((w) => w === `PATCH ${DS_PATH}`).length, 1);

    const second = await d.counting(() => d.run(d.units[1]!));
    assert.equal(show(second.result.unit), ready("control-plane-1"));
    assert.equal(second.result.app, undefined);
    assert.equal(second.result.appliedHash, undefined);
    assert.deepEqual(second.writes, [], "a non-leader never writes");
    assert.ok(d.units[1]!.clock.sleeps.length > 0, "it waited for its pod");
    assert.ok(d.units[1]!.clock.elapsed() <= 10_000);

    const third = await d.run(d.units[2]!);
    assert.equal(show(third.unit), ready("control-plane-2"));
    assert.deepEqual(d.units[2]!.clock.sleeps, [], "its pod was ready at the first look");

    const again = await d.run(d.leader);
    assert.equal(show(again.app), "active: 3/3 control-plane nodes ready");
    // Nothing but log lines went to Juju.
    for (const unit of d.units) assert.ok(unit.toolCalls.every(([tool]) => tool === "juju-log"));
  });

  test("a second round makes zero writes; the leader keeps its hash", async () => {
    await d.runAll();
    const hash = d.storedHash;
    const leader = await d.counting(() => d.run(d.leader));
    assert.deepEqual(leader.writes, []);
    assert.equal(leader.result.appliedHash, hash);
    assert.equal(show(leader.result.app), "active: 3/3 control-plane nodes ready");
    // 8 LISTs of the kinds we own + GET CRD, then LIST nodes, LIST pods, GET DaemonSet.
    assert.equal(leader.total, 12);
    const other = await d.counting(() => d.run(d.units[1]!));
    assert.deepEqual(other.writes, []);
    // GET DaemonSet + LIST pods on its node.
    assert.equal(other.total, 2);
    assert.equal(show(other.result.unit), ready("control-plane-1"));
  });

  test("an image change rolls the DaemonSet with one write and every unit converges on it", async () => {
    await d.runAll();
    d.config = { ...CONFIG, image: NEW_IMAGE };
    const leader = await d.counting(() => d.run(d.leader));
    assert.deepEqual(leader.writes, [`PATCH ${DS_PATH}`]);
    const ds = emulator.get("DaemonSet", `${APP}-authenticator`, "kube-system") as {
      spec: { template: { spec: { containers: { image: string }[] } } };
    };
    assert.equal(ds.spec.template.spec.containers[0]?.image, NEW_IMAGE);
    const outcomes = [leader.result, await d.run(d.units[1]!), await d.run(d.units[2]!)];
    assert.deepEqual(
      outcomes.map((o) => show(o.unit)),
      NODES.map(ready),
    );
    const pods = emulator.objects("Pod") as { spec: { containers: { image: string }[] } }[];
    assert.deepEqual(
      pods.map((p) => p.spec.containers[0]?.image),
      [NEW_IMAGE, NEW_IMAGE, NEW_IMAGE],
    );
  });

  test("a new certificate rewrites the Secret and the pod template's checksum", async () => {
    await d.runAll();
    const checksum = () =>
      (
        emulator.get("DaemonSet", `${APP}-authenticator`, "kube-system") as {
          spec: { template: { metadata: { annotations: Record<string, string> } } };
        }
      ).spec.template.metadata.annotations[CHECKSUM_ANNOTATION];
    const secretCert = () =>
      (emulator.get("Secret", `${APP}-authenticator-tls`, "kube-system") as { data: Record<string, string> })
        .data["cert.pem"];
    const before = { checksum: checksum(), cert: secretCert() };

    d.certPem = "-----BEGIN CERTIFICATE-----\nMIIBrenewedCERT\n-----END CERTIFICATE-----\n";
    const leader = await d.counting(() => d.run(d.leader));
    assert.deepEqual(leader.writes.sort(), [`PATCH ${DS_PATH}`, `PATCH ${SECRET_PATH}`].sort());
    assert.equal(secretCert(), Buffer.from(d.certPem).toString("base64"));
    assert.notEqual(secretCert(), before.cert);
    assert.match(checksum() ?? "", /^[0-9a-f]{64}$/);
    assert.notEqual(checksum(), before.checksum);
    assert.equal(show(leader.result.unit), ready("control-plane-0"));
  });

  test("ImagePullBackOff on one node: that unit is blocked naming the image, the leader counts 2/3", async () => {
    emulator.scriptPod("control-plane-1", { state: "ImagePullBackOff" });
    const [leader, broken, fine] = await d.runAll();
    assert.equal(show(leader?.unit), ready("control-plane-0"));
    assert.equal(show(leader?.app), "blocked: 2/3 control-plane nodes ready");
    assert.equal(
      show(broken?.unit),
      `blocked: aws-iam-authenticator on control-plane-1: ImagePullBackOff pulling ${IMAGE}`,
    );
    assert.deepEqual(d.units[1]!.clock.sleeps, [], "a failed pod is reported without waiting");
    assert.equal(show(fine?.unit), ready("control-plane-2"));
  });

  test("CrashLoopBackOff: blocked with the restart count and exit code", async () => {
    emulator.scriptPod("control-plane-2", { state: "CrashLoopBackOff", restartCount: 4, exitCode: 1 });
    const [leader, , crashing] = await d.runAll();
    assert.equal(
      show(crashing?.unit),
      `blocked: aws-iam-authenticator on control-plane-2: CrashLoopBackOff running ${IMAGE} ` +
        "(restarted 4 times, last exit code 1)",
    );
    assert.equal(show(leader?.app), "blocked: 2/3 control-plane nodes ready");
  });

  test("a pod still starting when the bounded wait ends: maintenance, after waitMs of polling", async () => {
    await d.run(d.leader);
    emulator.scriptPod("control-plane-2", { state: "ContainerCreating" });
    const unit = d.units[2]!;
    const outcome = await d.run(unit, { waitMs: 5000 });
    assert.equal(show(outcome.unit), "maintenance: waiting for the authenticator on control-plane-2");
    assert.deepEqual(unit.clock.sleeps, [1000, 1000, 1000, 1000, 1000]);
  });

  test("a unit before the leader deployed anything says so at once and writes nothing", async () => {
    const unit = d.units[1]!;
    const outcome = await d.counting(() => d.run(unit, { waitMs: 3000 }));
    assert.equal(
      show(outcome.result.unit),
      `waiting: waiting for the leader to deploy the authenticator (no DaemonSet kube-system/${APP}-authenticator yet)`,
    );
    assert.deepEqual(outcome.writes, []);
    // No wait: the leader's apply changes the peer databag, and that hook looks again.
    assert.equal(unit.clock.elapsed(), 0);
  });

  test("API down: every unit waits, nothing throws, the stored hash is kept", async () => {
    await d.runAll();
    const hash = d.storedHash;
    await emulator.stop();
    d.config = { ...CONFIG, image: NEW_IMAGE };
    const outcomes = await d.runAll();
    for (const outcome of outcomes) assert.equal(show(outcome.unit), UNREACHABLE_REFUSED);
    assert.equal(show(outcomes[0]?.app), UNREACHABLE_REFUSED);
    assert.equal(outcomes[0]?.appliedHash, undefined);
    assert.equal(d.storedHash, hash);
    const logged = d.leader.toolCalls.filter(([tool, , level]) => tool === "juju-log" && level === "WARNING");
    assert.equal(logged.length, 1);
  });

  test("5xx answers: waiting with the status code; an apply that succeeded still returns its hash", async () => {
    emulator.faults.add({ method: "GET", path: /\/pods$/, status: 503, message: "etcd leader changed" });
    const leader = await d.run(d.leader);
    assert.equal(
      show(leader.unit),
      "waiting: Kubernetes API unreachable (503 ServiceUnavailable); retrying on the next hook",
    );
    assert.match(leader.appliedHash ?? "", /^[0-9a-f]{64}$/, "the objects were applied before the 503s");
    const other = await d.run(d.units[1]!);
    assert.equal(show(other.unit), show(leader.unit));
  });

  test("an API server that does not answer in time: waiting (timeout)", async () => {
    const impatient = new Deployment(
      emulator,
      NODES.map((node, i) => emulatedUnit(node, i === 0, IMPATIENT_CLIENT)),
    );
    emulator.faults.add({ delayMs: 2000 });
    const leader = await impatient.run(impatient.leader);
    impatient.dispose();
    assert.equal(
      show(leader.unit),
      "waiting: Kubernetes API unreachable (timeout); retrying on the next hook",
    );
    assert.equal(leader.appliedHash, undefined);
  });

  test("a rejected request blocks with the API's reason and never the Secret's data", async () => {
    const refusal = `secrets "${APP}-authenticator-tls" is forbidden: user "admin" cannot patch resource "secrets"`;
    emulator.faults.add({ method: "PATCH", path: SECRET_PATH, status: 403, message: refusal });
    const leader = await d.run(d.leader);
    // The emulator's injected faults carry reason InternalError whatever the code.
    assert.equal(
      show(leader.unit),
      `blocked: Kubernetes API refused: apply Secret kube-system/${APP}-authenticator-tls rejected ` +
        `(403 InternalError): ${refusal}`,
    );
    assert.equal(show(leader.app), show(leader.unit));
    assert.equal(leader.appliedHash, undefined);
    const logged = JSON.stringify(d.leader.toolCalls);
    assert.ok(logged.includes("403"), "the refusal is logged");
    for (const secret of [KEY_BODY, Buffer.from(KEY_PEM).toString("base64").slice(0, 40)]) {
      assert.ok(!logged.includes(secret) && !show(leader.unit).includes(secret));
    }
  });

  test("credentials the API server does not accept: blocked (401), for the leader and the others", async () => {
    for (const unit of d.units)
      emulator.writeKubeconfig(unit.files.path(PATHS.adminKubeconfig), { token: "stale" });
    const [leader, other] = await d.runAll();
    assert.match(
      show(leader?.unit),
      /^blocked: Kubernetes API refused: list \S+ .*rejected \(401 Unauthorized\)/,
    );
    assert.match(
      show(other?.unit),
      /^blocked: Kubernetes API refused: get DaemonSet .*rejected \(401 Unauthorized\)/,
    );
  });

  test("no kubeconfig yet, or an unparsable one: waiting, naming the machine path; no request made", async () => {
    const unit = d.units[1]!;
    await unit.files.remove(PATHS.adminKubeconfig);
    const missing = await d.counting(() => d.run(unit));
    assert.equal(
      show(missing.result.unit),
      "waiting: no Kubernetes credentials at /root/.kube/config yet (the control plane writes them)",
    );
    assert.equal(missing.total, 0);

    unit.writeAdminKubeconfigText("clusters: [ {name: broken\n");
    const broken = await d.counting(() => d.run(unit));
    assert.equal(
      show(broken.result.unit),
      "waiting: no usable Kubernetes credentials at /root/.kube/config: it is not a valid kubeconfig; " +
        "retrying on the next hook",
    );
    assert.equal(broken.total, 0);
  });

  test("invalid settings block before any request", async () => {
    const outcome = await d.counting(() => d.run(d.leader, { clusterId: "has space" }));
    assert.equal(
      show(outcome.result.unit),
      "blocked: invalid authenticator settings: clusterId must be a non-empty string without whitespace",
    );
    assert.equal(outcome.total, 0);
  });
});

describe("no schedulable control-plane node", () => {
  const cases: {
    name: string;
    setup: (emulator: KubeApiEmulator) => void;
    node: string;
    expected: string;
  }[] = [
    {
      name: "no node carries the control-plane label",
      setup: (emulator) => emulator.addNodes({ workers: 2 }),
      node: "worker-0",
      expected:
        "blocked: no schedulable control-plane node for the authenticator: no node is labelled " +
        "node-role.kubernetes.io/control-plane=; label the control-plane nodes: " +
        "kubectl label node <name> node-role.kubernetes.io/control-plane=",
    },
    {
      name: "every control-plane node has a taint the DaemonSet does not tolerate",
      setup: (emulator) => {
        for (const name of NODES) {
          emulator.addNode({
            name,
            controlPlane: true,
            taints: [{ key: "dedicated", value: "etcd", effect: "NoSchedule" }],
          });
        }
      },
      node: "control-plane-0",
      expected:
        `blocked: no schedulable control-plane node for the authenticator: DaemonSet kube-system/${APP}-authenticator ` +
        "schedules no pod on the 3 node(s) labelled node-role.kubernetes.io/control-plane=; " +
        "remove the taints it does not tolerate (kubectl describe node <name>)",
    },
    {
      name: "this unit's node is not a control-plane node",
      setup: (emulator) => emulator.addNodes({ controlPlane: 2, workers: 1 }),
      node: "worker-0",
      expected:
        "blocked: worker-0 is not a control-plane node the authenticator runs on (labelled " +
        "node-role.kubernetes.io/control-plane=: control-plane-0, control-plane-1); label it: " +
        "kubectl label node worker-0 node-role.kubernetes.io/control-plane=",
    },
  ];

  for (const { name, setup, node, expected } of cases) {
    test(`${name}: blocked with the fix, leader and other units alike`, async () => {
      const emulator = await startKubeApiEmulator();
      setup(emulator);
      const d = new Deployment(emulator, [emulatedUnit(node, true), emulatedUnit(node, false)]);
      try {
        const [leader, other] = d.units as [EmulatedUnit, EmulatedUnit];
        const led = await d.run(leader);
        assert.equal(show(led.unit), expected);
        assert.equal(show(led.app), expected);
        assert.deepEqual(leader.clock.sleeps, [], "no point waiting for a pod that cannot be scheduled");
        const followed = await d.run(other);
        assert.equal(show(followed.unit), expected);
        assert.deepEqual(other.clock.sleeps, []);
      } finally {
        d.dispose();
        await emulator.close();
      }
    });
  }
});

describe("teardown", () => {
  let emulator: KubeApiEmulator;
  let d: Deployment;
  let cacheDir: string;
  const kinds = "ds,secret,cm,sa,clusterrole,clusterrolebinding,role,rolebinding";

  beforeEach(async () => {
    emulator = await startKubeApiEmulator({ controlPlaneNodes: 3 });
    d = new Deployment(emulator);
    cacheDir = mkdtempSync(join(tmpdir(), "kubectl-cache-"));
    await d.runAll();
  });
  afterEach(async () => {
    d.dispose();
    await emulator.close();
    rmSync(cacheDir, { recursive: true, force: true });
  });

  const ours = async () =>
    (
      await runKubectl(emulator.kubeconfigPath, cacheDir, [
        "get",
        kinds,
        "-A",
        "-l",
        ownedLabelSelector(APP),
        "-o",
        "name",
      ])
    ).trim();

  test("leaves nothing with our labels but keeps the CRD (checked with kubectl); a rerun deletes nothing", async () => {
    assert.equal((await ours()).split("\n").length, 8);
    const input = {
      appName: APP,
      kubeconfig: await d.leader.files.read(PATHS.adminKubeconfig),
      kubeconfigPath: PATHS.adminKubeconfig,
      removeCrd: false,
    };
    const outcome = await teardownWorkload(input, d.leader.deps);
    assert.equal(
      show(outcome.status),
      "maintenance: removed 8 authenticator objects; kept the IAMIdentityMapping CRD and its mappings",
    );
    assert.equal(outcome.crd, "kept");
    assert.equal(outcome.deleted[0], `DaemonSet kube-system/${APP}-authenticator`);
    assert.equal(await ours(), "");
    assert.equal(emulator.objects("Pod").length, 0);
    assert.equal(
      (await runKubectl(emulator.kubeconfigPath, cacheDir, ["get", "crd", CRD_NAME, "-o", "name"])).trim(),
      `customresourcedefinition.apiextensions.k8s.io/${CRD_NAME}`,
    );
    const rerun = await teardownWorkload(input, d.leader.deps);
    assert.equal(
      show(rerun.status),
      "maintenance: removed 0 authenticator objects; kept the IAMIdentityMapping CRD and its mappings",
    );
  });

  test("API down: a status saying what was left and how to remove it, not a throw", async () => {
    await emulator.stop();
    const kubeconfig = await d.leader.files.read(PATHS.adminKubeconfig);
    const outcome = await teardownWorkload(
      { appName: APP, kubeconfig, kubeconfigPath: PATHS.adminKubeconfig, removeCrd: false },
      d.leader.deps,
    );
    assert.equal(
      show(outcome.status),
      "waiting: authenticator objects left in the cluster (Kubernetes API unreachable (ECONNREFUSED)); " +
        "remove them by hand: kubectl delete mutatingwebhookconfiguration,daemonset,secret,configmap,rolebinding,role," +
        `clusterrolebinding,clusterrole,serviceaccount -A -l ${ownedLabelSelector(APP)}`,
    );
    assert.deepEqual(outcome.deleted, []);
    assert.equal(outcome.crd, undefined);
    await emulator.restart();
    assert.equal((await ours()).split("\n").length, 8, "nothing was deleted");
  });

  test("no kubeconfig: the same kind of status", async () => {
    await d.leader.files.remove(PATHS.adminKubeconfig);
    const kubeconfig = await d.leader.files.read(PATHS.adminKubeconfig);
    const outcome = await teardownWorkload(
      { appName: APP, kubeconfig, kubeconfigPath: PATHS.adminKubeconfig, removeCrd: false },
      d.leader.deps,
    );
    assert.match(
      show(outcome.status),
      /^waiting: authenticator objects left in the cluster \(no Kubernetes credentials at \/root\/\.kube\/config yet/,
    );
  });
});
