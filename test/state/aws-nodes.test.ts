/** Three units on AWS machines as Charmed Kubernetes runs them with the external cloud provider: short
 * hostnames (ip-10-0-0-1N), nodes registered by FQDN (ip-10-0-0-1N.ec2.internal; charm-lib-kubernetes-snaps
 * configure_kubelet, --hostname-override=get_node_name(fqdn)). In process; test/dispatch/workload.test.ts
 * proves the same through the built dispatch on two units. */
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

const UNITS = ["aws-iam/0", "aws-iam/1", "aws-iam/2"];
const NODES = ["ip-10-0-0-10.ec2.internal", "ip-10-0-0-11.ec2.internal", "ip-10-0-0-12.ec2.internal"];
const ready = (node: string) => `active: authenticator ready on ${node}`;

describe("three units on AWS-named nodes, in process", () => {
  let kube: KubeApiEmulator;
  let c: ClusterDeployment;

  before(async () => {
    kube = await startKubeApiEmulator({ controlPlaneNodes: 0, workerNodes: 1 });
    c = await clusterDeployment(kube, { mode: "in-process", nodeNaming: "aws", rolloutWaitMs: 5000 });
  });
  after(async () => {
    await c.dispose();
    await kube.close();
  });

  test("each unit finds its FQDN node and ends active", async () => {
    const { d } = c;
    await d.updateStatus("aws-iam");
    assert.deepEqual(
      UNITS.map((unit) => nodeOf(d, unit)),
      NODES,
    );
    for (const unit of UNITS) {
      const hostname = readFileSync(join(d.state.units[unit]!.machineRoot, "etc/hostname"), "utf8").trim();
      assert.ok(!hostname.includes("."), `${unit}'s machine has a short hostname (${hostname})`);
    }
    assert.deepEqual(
      UNITS.map((unit) => statusOf(d, unit)),
      NODES.map(ready),
    );
    assert.equal(appStatusOf(d), "active: 3/3 control-plane nodes ready");
  });

  test("removing the leader's principal deletes nothing shared; the other two serve on under a new leader", async () => {
    const { d, objects, counting, kubectl } = c;
    await kubectl(["create", "--validate=false", "-f", "-"], MAPPING);
    const before = await objects("shared");
    assert.deepEqual([...before].sort(), [...ALL_OBJECTS].sort());
    const leaderNow = (): string | undefined => d.state.applications["aws-iam"]!.leader;
    assert.equal(leaderNow(), "aws-iam/0");

    const removal = await counting(() => d.removeUnit("kubernetes-control-plane/0"));
    assert.deepEqual(
      removal.writes.filter((w) => w.startsWith("DELETE")),
      [],
    );
    assert.deepEqual(await objects("shared"), before);
    assert.equal(
      (await kubectl(["get", "iamidentitymappings", "-o", "name"])).trim(),
      "iamidentitymapping.iamauthenticator.k8s.aws/alice",
    );
    const leader = leaderNow();
    assert.ok(
      leader === "aws-iam/1" || leader === "aws-iam/2",
      `leadership moved to a remaining unit (${leader})`,
    );
    await d.updateStatus("aws-iam");
    assert.deepEqual(
      ["aws-iam/1", "aws-iam/2"].map((unit) => statusOf(d, unit)),
      [ready(NODES[1]!), ready(NODES[2]!)],
    );
    assert.deepEqual(
      d.log.filter((s) => s.result !== undefined && s.result.exitCode !== 0).map((s) => s.description),
      [],
    );
  });
});
