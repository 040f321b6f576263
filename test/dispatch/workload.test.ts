/** End-to-end: the real built dispatch (one process per hook, hook tools as executables on PATH) on three
 * control-plane machines whose admin kubeconfig points at a real HTTPS Kubernetes API (the emulator).
 * The machines are AWS instances as Charmed Kubernetes runs them with the external cloud provider: short
 * hostnames (ip-10-0-0-1N), nodes registered by FQDN (ip-10-0-0-1N.ec2.internal). */
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { after, before, describe, test } from "node:test";
import { type KubeApiEmulator, startKubeApiEmulator } from "../emulator/k8s/index.ts";
import { UNITS } from "../support/certificates.ts";
import {
  ALL_OBJECTS,
  type ClusterDeployment,
  clusterDeployment,
  DS_PATH,
  MAPPING,
  nodeOf,
  unitFilesLeft,
} from "../support/cluster.ts";

const NODES = ["ip-10-0-0-10.ec2.internal", "ip-10-0-0-11.ec2.internal", "ip-10-0-0-12.ec2.internal"];
const NEW_IMAGE = "rocks.canonical.com/cdk/aws-iam-authenticator:v0.7.19";
const ready = (node: string) => `active: authenticator ready on ${node}`;
const unreachable = (why: string) =>
  `waiting: Kubernetes API unreachable (${why}); retrying on the next hook`;

describe("the built dispatch with a Kubernetes API", () => {
  let kube: KubeApiEmulator;
  let c: ClusterDeployment;

  before(async () => {
    kube = await startKubeApiEmulator({ controlPlaneNodes: 0, workerNodes: 1 });
    c = await clusterDeployment(kube, {
      mode: "dispatch",
      nodeNaming: "aws",
      // The third node's server takes a few looks to become ready.
      before: () => kube.scriptPod(NODES[2]!, { state: "Ready", afterPolls: 2 }),
    });
  });
  after(async () => {
    await c.dispose();
    await kube.close();
  });

  test("deploys, stays quiet, rolls, reports per node, rides out API trouble, then removes itself", async () => {
    const { d, statuses, app, objects, counting, kubectl } = c;
    const failed = () => d.log.filter((s) => s.result !== undefined && s.result.exitCode !== 0);
    assert.deepEqual(
      failed().map((s) => `${s.description}: ${s.result!.stderr}`),
      [],
    );
    assert.deepEqual(
      UNITS.map((unit) => nodeOf(d, unit)),
      [...NODES],
    );
    assert.deepEqual(Object.values(statuses()), NODES.map(ready));
    assert.ok(
      UNITS.every(
        (unit) => !readFileSync(join(d.state.units[unit]!.machineRoot, "etc/hostname"), "utf8").includes("."),
      ),
      "the machines have short hostnames",
    );
    await d.updateStatus("aws-iam");
    assert.equal(app(), "active: 3/3 control-plane nodes ready");
    const history = d.state.applications["aws-iam"]!.statusHistory.map((s) => `${s.status}: ${s.message}`);
    assert.ok(history.includes("maintenance: 2/3 control-plane nodes ready"), history.join("\n"));
    assert.deepEqual((await objects("shared")).sort(), [...ALL_OBJECTS].sort());

    const idle = await counting(() => d.updateStatus("aws-iam"));
    assert.deepEqual(idle.writes, [], "a second update-status writes nothing to Kubernetes");
    assert.equal(idle.requests, 12 + 2 + 2, "leader 12 requests, each other unit 2");
    for (const step of idle.result) {
      assert.deepEqual(step.result?.calls.filter((call) => call.tool === "status-set") ?? [], []);
    }

    const rolled = await counting(() => d.configure("aws-iam", { image: NEW_IMAGE }));
    assert.deepEqual(rolled.writes, [`PATCH ${DS_PATH}`]);
    const images = (kube.objects("Pod") as Array<{ spec: { containers: Array<{ image: string }> } }>).map(
      (pod) => pod.spec.containers[0]!.image,
    );
    assert.deepEqual(images, [NEW_IMAGE, NEW_IMAGE, NEW_IMAGE]);
    assert.equal(d.state.applications["aws-iam"]!.workloadVersion, "v0.7.19");

    kube.scriptPod(NODES[1]!, { state: "ImagePullBackOff" });
    await d.updateStatus("aws-iam");
    assert.deepEqual(statuses(), {
      "aws-iam/0": ready(NODES[0]!),
      "aws-iam/1": `blocked: aws-iam-authenticator on ${NODES[1]}: ImagePullBackOff pulling ${NEW_IMAGE}`,
      "aws-iam/2": ready(NODES[2]!),
    });
    assert.equal(app(), "blocked: 2/3 control-plane nodes ready");
    kube.scriptPod(NODES[1]!, { state: "Ready" });

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
    removeFault();

    await d.updateStatus("aws-iam");
    assert.deepEqual(Object.values(statuses()), NODES.map(ready));
    assert.equal(app(), "active: 3/3 control-plane nodes ready");
    assert.deepEqual(failed(), []);

    await kubectl(["create", "--validate=false", "-f", "-"], MAPPING);
    // The machine under the leader goes: nothing shared is deleted, leadership moves, the others serve on.
    const objectsBefore = await objects("shared");
    const removal = await counting(() => d.removeUnit("kubernetes-control-plane/0"));
    assert.deepEqual(
      removal.writes.filter((w) => w.startsWith("DELETE")),
      [],
    );
    assert.deepEqual(await objects("shared"), objectsBefore);
    assert.equal(d.state.applications["aws-iam"]!.leader, "aws-iam/1");
    await d.updateStatus("aws-iam");
    assert.deepEqual(
      [statuses()["aws-iam/1"], statuses()["aws-iam/2"]],
      [ready(NODES[1]!), ready(NODES[2]!)],
    );
    assert.deepEqual(failed(), []);

    await d.removeRelation(c.controlPlaneRelation);
    assert.deepEqual(await objects("ours"), []);
    assert.deepEqual(
      await objects("shared"),
      ALL_OBJECTS.filter((o) => o.includes("/iamidentity")),
    );
    assert.equal(
      (await kubectl(["get", "iamidentitymappings", "-o", "name"])).trim(),
      "iamidentitymapping.iamauthenticator.k8s.aws/alice",
    );
    for (const unit of UNITS) assert.deepEqual(unitFilesLeft(d, unit), [], unit);
    assert.deepEqual(failed(), []);
  });
});
