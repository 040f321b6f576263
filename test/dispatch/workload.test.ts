/** End-to-end: the real built dispatch (one process per hook, hook tools as executables on PATH) on two
 * control-plane machines whose admin kubeconfig points at a real HTTPS Kubernetes API (the emulator).
 * The machines are AWS instances as Charmed Kubernetes runs them with the external cloud provider: short
 * hostnames (ip-10-0-0-1N), nodes registered by FQDN (ip-10-0-0-1N.ec2.internal). Two units are enough
 * for what only real processes prove here: finding the FQDN node, and the removal of the leader's machine
 * deleting nothing shared. Rolling, per-node failures, API trouble and removing the relation (every owned
 * object and file goes, the CRD and mappings stay) run in process
 * (test/state/workload-deployment.test.ts). */
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { after, before, describe, test } from "node:test";
import { type KubeApiEmulator, startKubeApiEmulator } from "../emulator/k8s/index.ts";
import { appStatusOf, statusOf } from "../support/certificates.ts";
import {
  ALL_OBJECTS,
  type ClusterDeployment,
  clusterDeployment,
  MAPPING,
  nodeOf,
} from "../support/cluster.ts";

const UNITS = ["aws-iam/0", "aws-iam/1"];
const NODES = ["ip-10-0-0-10.ec2.internal", "ip-10-0-0-11.ec2.internal"];
const ready = (node: string) => `active: authenticator ready on ${node}`;

describe("the built dispatch with a Kubernetes API", () => {
  let kube: KubeApiEmulator;
  let c: ClusterDeployment;

  before(async () => {
    kube = await startKubeApiEmulator({ controlPlaneNodes: 0, workerNodes: 1 });
    // The control-plane relation's setup runs in process; from the certificates relation on (the
    // certificate, the workload, finding each node by its FQDN) every hook is the built dispatch.
    c = await clusterDeployment(kube, {
      mode: "dispatch",
      setUpInProcess: true,
      nodeNaming: "aws",
      units: 2,
    });
  });
  after(async () => {
    await c.dispose();
    await kube.close();
  });

  test("deploys on FQDN nodes, stays quiet, and removing the leader's machine deletes nothing shared", async () => {
    const { d, objects, counting, kubectl } = c;
    const statuses = () => UNITS.map((unit) => statusOf(d, unit));
    const failed = () => d.log.filter((s) => s.result !== undefined && s.result.exitCode !== 0);
    assert.deepEqual(
      failed().map((s) => `${s.description}: ${s.result!.stderr}`),
      [],
    );
    assert.deepEqual(
      UNITS.map((unit) => nodeOf(d, unit)),
      NODES,
    );
    assert.ok(
      UNITS.every(
        (unit) => !readFileSync(join(d.state.units[unit]!.machineRoot, "etc/hostname"), "utf8").includes("."),
      ),
      "the machines have short hostnames",
    );
    assert.deepEqual(statuses(), NODES.map(ready));
    await d.updateStatus("aws-iam");
    assert.equal(appStatusOf(d), "active: 2/2 control-plane nodes ready");
    assert.deepEqual((await objects("shared")).sort(), [...ALL_OBJECTS].sort());

    const idle = await counting(() => d.updateStatus("aws-iam"));
    assert.deepEqual(idle.writes, [], "a second update-status writes nothing to Kubernetes");
    assert.equal(idle.requests, 12 + 2, "leader 12 requests, the other unit 2");
    for (const step of idle.result) {
      assert.deepEqual(step.result?.calls.filter((call) => call.tool === "status-set") ?? [], []);
    }

    await kubectl(["create", "--validate=false", "-f", "-"], MAPPING);
    // The machine under the leader goes: nothing shared is deleted, leadership moves, the other serves on.
    const objectsBefore = await objects("shared");
    const removal = await counting(() => d.removeUnit("kubernetes-control-plane/0"));
    assert.deepEqual(
      removal.writes.filter((w) => w.startsWith("DELETE")),
      [],
    );
    assert.deepEqual(await objects("shared"), objectsBefore);
    assert.equal(d.state.applications["aws-iam"]!.leader, "aws-iam/1");
    await d.updateStatus("aws-iam");
    assert.equal(statusOf(d, "aws-iam/1"), ready(NODES[1]!));
    assert.deepEqual(failed(), []);
  });
});
