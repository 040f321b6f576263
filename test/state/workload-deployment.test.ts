/** The whole charm in process (runCharm per hook) in an emulated model, with three control-plane machines
 * that talk to a real HTTPS Kubernetes API (the emulator) with three control-plane nodes. */
import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { type KubeApiEmulator, startKubeApiEmulator } from "../emulator/k8s/index.ts";
import { UNITS } from "../support/certificates.ts";
import {
  ALL_OBJECTS,
  type ClusterDeployment,
  clusterDeployment,
  DS_PATH,
  MAPPING,
  NODES,
  nodeOf,
  unitFilesLeft,
} from "../support/cluster.ts";
import { inProcessExecutor } from "../support/deployments.ts";

const NEW_IMAGE = "rocks.canonical.com/cdk/aws-iam-authenticator:v0.7.19";
const ready = (node: string) => `active: authenticator ready on ${node}`;
const ALL_READY = "active: 3/3 control-plane nodes ready";

// One deployment for the tests that only look or change it reversibly, in this order (each leaves it
// active on every node), then the leader's machine goes and the relation with it; the relation removal
// that keeps the CRD needs a deployment of its own.
describe("aws-iam with a Kubernetes API (in process), one deployment in order", () => {
  let kube: KubeApiEmulator;
  let c: ClusterDeployment;

  before(async () => {
    kube = await startKubeApiEmulator({ controlPlaneNodes: 3, workerNodes: 1 });
    // control-plane-2's server takes a few looks to become ready.
    kube.scriptPod("control-plane-2", { state: "Ready", afterPolls: 2 });
    c = await clusterDeployment(kube, { mode: "in-process", rolloutWaitMs: 5000 });
  });
  after(async () => {
    await c?.dispose();
    await kube?.close();
  });

  test("each unit goes active once the pod on its own node is ready; kubectl sees every object", async () => {
    const { d, objects, statuses, app } = c;
    assert.deepEqual(statuses(), Object.fromEntries(UNITS.map((unit) => [unit, ready(nodeOf(d, unit))])));
    assert.deepEqual(
      UNITS.map((unit) => nodeOf(d, unit)),
      [...NODES],
    );
    // The leader last looked while control-plane-2 was still starting; its next hook counts it.
    await d.updateStatus("aws-iam");
    assert.equal(app(), ALL_READY);
    const appHistory = d.state.applications["aws-iam"]!.statusHistory.map((s) => `${s.status}: ${s.message}`);
    assert.ok(appHistory.includes("maintenance: 2/3 control-plane nodes ready"), appHistory.join("\n"));
    assert.deepEqual((await objects("shared")).sort(), [...ALL_OBJECTS].sort());
    // The CRD is shared: it carries no instance label, so the per-application selector leaves it out.
    assert.deepEqual(
      (await objects("ours")).sort(),
      ALL_OBJECTS.filter((o) => !o.includes("/iamidentity")).sort(),
    );
    const failed = d.log.filter((s) => s.result !== undefined && s.result.exitCode !== 0);
    assert.deepEqual(
      failed.map((s) => s.description),
      [],
    );
    // From here on, new pods are ready at once, as in a fresh deployment.
    kube.scriptPod("control-plane-2", { state: "Ready" });
  });

  test("a second update-status makes zero writes and sets no status", async () => {
    const { d, counting, statuses } = c;
    await d.updateStatus("aws-iam");
    const before = statuses();
    const second = await counting(() => d.updateStatus("aws-iam"));
    assert.deepEqual(second.writes, []);
    // Leader: one LIST per owned kind, GET CRD, LIST nodes, LIST pods, GET DaemonSet; others: GET DS + LIST pods.
    assert.equal(second.requests, 12 + 2 + 2);
    assert.deepEqual(statuses(), before);
    for (const step of second.result) {
      assert.deepEqual(
        step.result?.calls.filter((call) => call.tool === "status-set"),
        [],
      );
    }
  });

  test("an image that cannot be pulled on one node only: that unit and the application say so", async () => {
    const { d, statuses, app } = c;
    kube.scriptPod("control-plane-1", { state: "ImagePullBackOff" });
    await d.updateStatus("aws-iam");
    assert.deepEqual(statuses(), {
      "aws-iam/0": ready("control-plane-0"),
      "aws-iam/1":
        "blocked: aws-iam-authenticator on control-plane-1: ImagePullBackOff pulling rocks.canonical.com/cdk/aws-iam-authenticator:v0.7.4",
      "aws-iam/2": ready("control-plane-2"),
    });
    assert.equal(app(), "blocked: 2/3 control-plane nodes ready");
    kube.scriptPod("control-plane-1", { state: "Ready" });
    await d.updateStatus("aws-iam");
    assert.deepEqual(Object.values(statuses()), NODES.map(ready));
  });

  test("an image change rolls the DaemonSet to the new image on every node", async () => {
    const { d, counting, statuses, app } = c;
    const rolled = await counting(() => d.configure("aws-iam", { image: NEW_IMAGE }));
    assert.deepEqual(rolled.writes, [`PATCH ${DS_PATH}`]);
    const ds = kube.get("DaemonSet", "aws-iam-authenticator", "kube-system") as {
      spec: { template: { spec: { containers: Array<{ image: string }> } } };
    };
    assert.equal(ds.spec.template.spec.containers[0]!.image, NEW_IMAGE);
    const pods = kube.objects("Pod") as Array<{
      spec: { nodeName: string; containers: Array<{ image: string }> };
    }>;
    assert.deepEqual(
      pods.map((pod) => [pod.spec.nodeName, pod.spec.containers[0]!.image]).sort(),
      NODES.map((node) => [node, NEW_IMAGE]),
    );
    assert.deepEqual(Object.values(statuses()), NODES.map(ready));
    assert.equal(app(), ALL_READY);
    assert.equal(d.state.applications["aws-iam"]!.workloadVersion, "v0.7.19");
  });

  test("an API server that is down, answers 5xx, or times out: waiting, then back to active", async () => {
    const { d, statuses, app } = c;
    const unreachable = (why: string) =>
      `waiting: Kubernetes API unreachable (${why}); retrying on the next hook`;

    await kube.stop();
    await d.updateStatus("aws-iam");
    assert.deepEqual(
      Object.values(statuses()),
      UNITS.map(() => unreachable("ECONNREFUSED")),
    );
    assert.equal(app(), unreachable("ECONNREFUSED"));
    await kube.restart();

    const removeFault = kube.faults.add({ status: 503, message: "etcd leader changed" });
    await d.updateStatus("aws-iam");
    assert.deepEqual(
      Object.values(statuses()),
      UNITS.map(() => unreachable("503 ServiceUnavailable")),
    );
    assert.equal(app(), unreachable("503 ServiceUnavailable"));
    removeFault();

    // Every attempt of the leader's first request (3 attempts) goes unanswered within the client's
    // per-attempt timeout: 300 ms for this one hook (production: 5 s), so the test waits no 15 s.
    const slow = kube.faults.add({ delayMs: 1000, times: 3 });
    d.useExecutor(inProcessExecutor({ rolloutWaitMs: 5000, kubeClient: { timeoutMs: 300 } }));
    await d.runHook("aws-iam/0", "update-status");
    d.useExecutor(inProcessExecutor({ rolloutWaitMs: 5000 }));
    assert.equal(statuses()["aws-iam/0"], unreachable("timeout"));
    slow();

    await d.updateStatus("aws-iam");
    assert.deepEqual(Object.values(statuses()), NODES.map(ready));
    assert.equal(app(), ALL_READY);
  });

  test("removing the leader's principal unit deletes nothing, even with remove-crd-on-removal", async () => {
    const { d, kubectl, objects, counting, statuses, app } = c;
    await kubectl(["create", "--validate=false", "-f", "-"], MAPPING);
    await d.configure("aws-iam", { "remove-crd-on-removal": true });
    const before = { ours: await objects("ours"), shared: await objects("shared") };
    const servingBefore = kube.objects("Pod").length;
    const { writes } = await counting(() => d.removeUnit("kubernetes-control-plane/0"));
    assert.deepEqual(
      writes.filter((w) => w.startsWith("DELETE")),
      [],
      "a departing leader deletes nothing the other nodes still use",
    );
    assert.deepEqual({ ours: await objects("ours"), shared: await objects("shared") }, before);
    assert.equal(
      (await kubectl(["get", "iamidentitymappings", "-o", "name"])).trim(),
      "iamidentitymapping.iamauthenticator.k8s.aws/alice",
    );
    assert.equal(kube.objects("Pod").length, servingBefore, "the DaemonSet keeps serving");
    assert.equal(d.state.units["aws-iam/0"]!.removed, true);
    assert.equal(d.state.applications["aws-iam"]!.leader, "aws-iam/1");
    assert.deepEqual(unitFilesLeft(d, "aws-iam/0"), []);
    await d.updateStatus("aws-iam");
    const { "aws-iam/0": _gone, ...remaining } = statuses();
    assert.deepEqual(remaining, {
      "aws-iam/1": ready(nodeOf(d, "aws-iam/1")),
      "aws-iam/2": ready(nodeOf(d, "aws-iam/2")),
    });
    // The node of the removed machine stays registered (nobody drained it): the leader still counts it.
    assert.equal(app(), ALL_READY);
    const failed = d.log.filter((s) => s.result !== undefined && s.result.exitCode !== 0);
    assert.deepEqual(
      failed.map((s) => s.description),
      [],
    );
  });

  test("then removing the relation with remove-crd-on-removal deletes the CRD and the mappings too", async () => {
    const { d, objects, controlPlaneRelation } = c;
    // The mapping from the test before is still there; remove-crd-on-removal is still true.
    assert.equal(kube.objects("IAMIdentityMapping").length, 1);
    await d.removeRelation(controlPlaneRelation);
    assert.deepEqual(await objects("shared"), []);
    assert.equal(kube.objects("IAMIdentityMapping").length, 0);
    for (const unit of UNITS) assert.deepEqual(unitFilesLeft(d, unit), [], unit);
  });
});

describe("aws-iam with a Kubernetes API (in process), removing the relation", () => {
  test("removing the control-plane relation deletes every owned object; the CRD and mappings stay", async () => {
    const kube = await startKubeApiEmulator({ controlPlaneNodes: 3, workerNodes: 1 });
    const c = await clusterDeployment(kube, { mode: "in-process", rolloutWaitMs: 5000 });
    try {
      const { d, kubectl, objects, controlPlaneRelation } = c;
      await kubectl(["create", "--validate=false", "-f", "-"], MAPPING);
      await d.removeRelation(controlPlaneRelation);
      assert.deepEqual(await objects("ours"), []);
      assert.deepEqual(
        await objects("shared"),
        ALL_OBJECTS.filter((o) => o.includes("/iamidentity")),
      );
      assert.equal(
        (await kubectl(["get", "iamidentitymappings", "-o", "name"])).trim(),
        "iamidentitymapping.iamauthenticator.k8s.aws/alice",
      );
      assert.equal(kube.objects("Pod").length, 0, "the DaemonSet's pods went with it");
      for (const unit of UNITS) assert.deepEqual(unitFilesLeft(d, unit), [], unit);
      const failed = d.log.filter((s) => s.result !== undefined && s.result.exitCode !== 0);
      assert.deepEqual(
        failed.map((s) => s.description),
        [],
      );
    } finally {
      await c.dispose();
      await kube.close();
    }
  });
  test("when goal-state fails during the removal, the leader keeps every cluster object and says why", async () => {
    const kube = await startKubeApiEmulator({ controlPlaneNodes: 3, workerNodes: 1 });
    const c = await clusterDeployment(kube, { mode: "in-process", rolloutWaitMs: 5000 });
    try {
      const { d, objects, counting, controlPlaneRelation } = c;
      const before = { ours: await objects("ours"), shared: await objects("shared") };
      assert.deepEqual([...before.shared].sort(), [...ALL_OBJECTS].sort());
      const leader = d.state.applications["aws-iam"]!.leader!;
      // The controller cannot answer GoalStates (the agent's API connection dropped).
      d.state.failingTools = { "goal-state": "connection is shut down" };
      const { writes } = await counting(() => d.removeRelation(controlPlaneRelation));
      assert.deepEqual(
        writes.filter((w) => w.startsWith("DELETE")),
        [],
        "in doubt, nothing that serves the cluster is deleted",
      );
      assert.deepEqual({ ours: await objects("ours"), shared: await objects("shared") }, before);
      const failed = d.log.filter((s) => s.result !== undefined && s.result.exitCode !== 0);
      assert.deepEqual(
        failed.map((s) => s.description),
        [],
      );
      assert.ok(
        d.state.units[leader]!.logs.some(
          (l) =>
            l.level === "WARNING" &&
            l.hook === "stop" &&
            l.message ===
              "keeping the authenticator's cluster objects: goal-state failed " +
                "(`goal-state --format=json` failed with exit code 1: ERROR connection is shut down)",
        ),
        JSON.stringify(d.state.units[leader]!.logs.filter((l) => l.level === "WARNING")),
      );
      // The rest of the teardown goes on: each unit still takes its own files off its machine.
      for (const unit of UNITS) assert.deepEqual(unitFilesLeft(d, unit), [], unit);
    } finally {
      await c.dispose();
      await kube.close();
    }
  });
});
