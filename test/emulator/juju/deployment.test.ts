import assert from "node:assert/strict";
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, test } from "node:test";
import { silentProvider } from "../../support/providers.ts";
import { OPS_CONTROL_PLANE_META, OpsControlPlane } from "../charms/ops-control-plane.ts";
import { REACTIVE_CONTROL_PLANE_META, ReactiveControlPlane } from "../charms/reactive-control-plane.ts";
import { ConsistencyError } from "./consistency.ts";
import { Deployment, type StepRecord } from "./deployment.ts";
import { type CharmMain, inProcess } from "./hook-runner.ts";
import { ModelBuilder } from "./model-builder.ts";
import { displayedAppStatus, renderStatus } from "./status-table.ts";
import { awsIamMeta } from "./test-fixtures.ts";
import { REPO_ROOT } from "./tool-shims.ts";

/** A tiny aws-iam look-alike: the leader picks a cluster id in the peer app bag; every
 * unit, once its control plane is up, writes the webhook file and publishes
 * cluster_id/webhook_status JSON-encoded, as the reactive interface expects. */
const fakeCharm: CharmMain = async ({ env, runner, rootDir }) => {
  const get = async (tool: string, ...args: string[]) =>
    JSON.parse(await runner.run(tool, ["--format=json", ...args]));
  if (env["JUJU_ACTION_NAME"] === "get-kubeconfig") {
    await runner.run("action-set", [`user=${await get("action-get", "user")}`]);
    return 0;
  }
  const leader = (await get("is-leader")) as boolean;
  const [peer] = (await get("relation-ids", "aws-iam-peers")) as string[];
  let clusterId: string | undefined;
  if (peer) {
    clusterId = (await get("relation-get", "-r", peer, "--app", "-", "aws-iam"))["cluster-id"];
    if (!clusterId && leader) {
      clusterId = "cid-123";
      await runner.run(
        "relation-set",
        ["-r", peer, "--app", "--file", "-"],
        JSON.stringify({ "cluster-id": clusterId }),
      );
    }
  }
  const [rel] = (await get("relation-ids", "aws-iam")) as string[];
  if (rel && clusterId) {
    const [cp] = (await get("relation-list", "-r", rel)) as string[];
    if (cp && (await get("relation-get", "-r", rel, "api_server_state", cp)) === "true") {
      mkdirSync(join(rootDir, "root/cdk"), { recursive: true });
      writeFileSync(
        join(rootDir, "root/cdk/aws-iam-webhook.yaml"),
        "clusters:\n- cluster:\n    server: https://127.0.0.1:21362/authenticate\n",
      );
      const data = { cluster_id: JSON.stringify(clusterId), webhook_status: "true" };
      await runner.run("relation-set", ["-r", rel, "--file", "-"], JSON.stringify(data));
    }
  }
  await runner.run("status-set", ["active", "--", clusterId ? "ready" : "waiting for cluster id"]);
  return 0;
};

function reactiveDeployment(charm: CharmMain = fakeCharm, onStep?: (s: StepRecord) => void) {
  const b = new ModelBuilder();
  b.addApplication(REACTIVE_CONTROL_PLANE_META, { standIn: true });
  for (let i = 0; i < 3; i++) b.addUnit("kubernetes-control-plane");
  b.addApplication(awsIamMeta());
  const cp = new ReactiveControlPlane();
  const d = new Deployment({
    model: b.build(),
    executor: inProcess(charm, { charmDir: REPO_ROOT }),
    standIns: { "kubernetes-control-plane": cp },
    ...(onStep ? { onStep } : {}),
  });
  return { d, cp };
}

const hooksOf = (steps: readonly StepRecord[], unit: string) =>
  steps.flatMap((s) =>
    s.event.kind === "hook" && s.event.spec.unit === unit ? [s.event.spec.hookName] : [],
  );

describe("deployment driving with a fake charm", () => {
  test("integrate creates three subordinate units that set up, elect a leader and converge", async () => {
    const printed: string[] = [];
    const { d, cp } = reactiveDeployment(fakeCharm, () => printed.push(renderStatus(d.state)));
    await d.integrate("aws-iam:aws-iam", "kubernetes-control-plane:aws-iam");
    await d.settle();
    assert.deepEqual(d.state.applications["aws-iam"]!.units, ["aws-iam/0", "aws-iam/1", "aws-iam/2"]);
    assert.equal(d.state.applications["aws-iam"]!.leader, "aws-iam/0");
    assert.equal(
      d.state.units["aws-iam/1"]!.machineRoot,
      d.state.units["kubernetes-control-plane/1"]!.machineRoot,
    );
    assert.deepEqual(hooksOf(d.log, "aws-iam/0").slice(0, 6), [
      "install",
      "aws-iam-peers-relation-created",
      "aws-iam-relation-created",
      "leader-elected",
      "config-changed",
      "start",
    ]);
    assert.equal(hooksOf(d.log, "aws-iam/1")[3], "leader-settings-changed");
    for (const i of [0, 1, 2]) {
      const seen = cp.seen.get(`kubernetes-control-plane/${i}`)!;
      assert.deepEqual(
        [seen.ready, seen.clusterId.value, seen.clusterId.notJson, seen.webhookServer],
        [true, "cid-123", false, "https://127.0.0.1:21362/authenticate"],
      );
      assert.equal(d.state.units[`aws-iam/${i}`]!.status.message, "ready");
    }
    assert.ok(printed.length === d.log.length && printed.at(-1)!.includes("aws-iam/0*"));
  });

  test("config change, upgrade, leader change and actions run the documented sequences", async () => {
    const { d } = reactiveDeployment();
    await d.integrate("aws-iam:aws-iam", "kubernetes-control-plane:aws-iam");
    await d.settle();
    const cfg = await d.configure("aws-iam", { replicas: 3 });
    assert.deepEqual(
      cfg.filter((s) => s.event.kind === "hook").map((s) => s.description),
      ["aws-iam/0 config-changed", "aws-iam/1 config-changed", "aws-iam/2 config-changed"],
    );
    await assert.rejects(d.configure("aws-iam", { replicas: "3" }), ConsistencyError);
    const up = await d.upgrade("aws-iam");
    assert.deepEqual(hooksOf(up, "aws-iam/1"), [
      "upgrade-charm",
      "config-changed",
      "leader-settings-changed",
      "start",
    ]);
    const lead = await d.setLeader("aws-iam/2");
    assert.deepEqual(
      lead.map((s) => s.description),
      ["aws-iam/2 leader-elected", "aws-iam/0 leader-settings-changed", "aws-iam/1 leader-settings-changed"],
    );
    const result = await d.runAction("aws-iam/1", "get-kubeconfig", { user: "alice" });
    assert.deepEqual([result.exitCode, result.action!.results], [0, { user: "alice" }]);
    await assert.rejects(
      d.runHook("aws-iam/0", "aws-iam-relation-joined", { relationId: 0 }),
      /needs a remote unit/,
    );
  });

  test("a non-peer joined names only the other application; an app without status shows its units'", async () => {
    const b = new ModelBuilder();
    b.addApplication(REACTIVE_CONTROL_PLANE_META, { standIn: true });
    for (let i = 0; i < 3; i++) b.addUnit("kubernetes-control-plane");
    b.addApplication(awsIamMeta());
    const easyrsa = silentProvider();
    b.addApplication(easyrsa.meta, { standIn: true });
    b.addUnit("easyrsa");
    const d = new Deployment({
      model: b.build(),
      executor: inProcess(fakeCharm, { charmDir: REPO_ROOT }),
      standIns: { "kubernetes-control-plane": new ReactiveControlPlane(), easyrsa: easyrsa.standIn },
    });
    await d.integrate("aws-iam:aws-iam", "kubernetes-control-plane:aws-iam");
    await d.settle();
    const steps = [...(await d.integrate("aws-iam:certificates", "easyrsa:client").then(() => d.settle()))];
    const joined = steps.flatMap((s) =>
      s.event.kind === "hook" && s.event.spec.hookName === "certificates-relation-joined"
        ? [`${s.event.spec.unit}<-${s.event.spec.remoteUnit}`]
        : [],
    );
    assert.deepEqual(joined, ["aws-iam/0<-easyrsa/0", "aws-iam/1<-easyrsa/0", "aws-iam/2<-easyrsa/0"]);
    // The fake charm sets unit statuses only: juju status derives the application's from them.
    d.state.units["aws-iam/1"]!.status = { status: "blocked", message: "needs a hand", since: "t" };
    const row = renderStatus(d.state)
      .split("\n")
      .find((line) => line.startsWith("aws-iam "));
    assert.match(row ?? "", /^aws-iam\s+blocked\s+aws-iam\s+3\s+needs a hand$/);
    assert.equal(displayedAppStatus(d.state, d.state.applications["easyrsa"]!).status, "active");
    await assert.rejects(d.removeUnit("aws-iam/0"), /unit "aws-iam\/0" is a subordinate/);
  });

  test("removing the container relation departs, breaks and tears the subordinates down", async () => {
    const { d, cp } = reactiveDeployment();
    const rel = await d.integrate("aws-iam:aws-iam", "kubernetes-control-plane:aws-iam");
    await d.settle();
    const steps = await d.removeRelation(rel);
    const own = hooksOf(steps, "aws-iam/2");
    assert.ok(own.indexOf("aws-iam-relation-departed") < own.indexOf("aws-iam-relation-broken"));
    assert.deepEqual(own.slice(-2), ["stop", "remove"]);
    assert.equal(own.includes("aws-iam-peers-relation-broken"), false);
    assert.deepEqual(d.state.applications["aws-iam"]!.units, []);
    assert.ok(cp.events.includes("departed(aws-iam/0)"));
  });

  test("settle throws when hooks keep triggering each other", async () => {
    let n = 0;
    const pingPong: CharmMain = async ({ env, runner }) => {
      if (env["JUJU_HOOK_NAME"] === "aws-iam-peers-relation-changed" || env["JUJU_HOOK_NAME"] === "start") {
        const [peer] = JSON.parse(await runner.run("relation-ids", ["--format=json", "aws-iam-peers"]));
        await runner.run("relation-set", ["-r", peer, `n=${n++}`]);
      }
      return 0;
    };
    const { d } = reactiveDeployment(pingPong);
    await d.integrate("aws-iam:aws-iam", "kubernetes-control-plane:aws-iam");
    await assert.rejects(d.settle(200), /did not settle within 200 steps/);
  });

  test("a failing hook leaves the unit in error and nothing committed", async () => {
    const failing: CharmMain = async ({ env, runner }) => {
      await runner.run("state-set", ["x=1"]);
      return env["JUJU_HOOK_NAME"] === "config-changed" ? 1 : 0;
    };
    const { d } = reactiveDeployment(failing);
    await d.integrate("aws-iam:aws-iam", "kubernetes-control-plane:aws-iam");
    await d.settle();
    const result = await d.runHook("aws-iam/0", "config-changed");
    assert.equal(result.exitCode, 1);
    assert.equal(d.state.units["aws-iam/0"]!.status.status, "error");
  });

  test("the ops control plane relates over juju-info and writes only address keys", async () => {
    const b = new ModelBuilder();
    b.addApplication(OPS_CONTROL_PLANE_META, { standIn: true });
    for (let i = 0; i < 3; i++) b.addUnit("kubernetes-control-plane");
    b.addApplication(awsIamMeta());
    const cp = new OpsControlPlane();
    const d = new Deployment({
      model: b.build(),
      executor: inProcess(async () => 0, { charmDir: REPO_ROOT }),
      standIns: { "kubernetes-control-plane": cp },
    });
    const rel = await d.integrate("aws-iam:juju-info", "kubernetes-control-plane:juju-info");
    await d.settle();
    const r = d.relation(rel);
    assert.equal(r.scope, "container");
    assert.deepEqual(Object.keys(r.unitData["kubernetes-control-plane/0"]!).sort(), [
      "egress-subnets",
      "ingress-address",
      "private-address",
    ]);
    assert.equal(d.state.applications["aws-iam"]!.units.length, 3);
    assert.ok(cp.events.includes("joined(aws-iam/0)"));
    await assert.rejects(
      d.integrate("aws-iam:nope", "kubernetes-control-plane:juju-info"),
      /unknown endpoint/,
    );
  });
});
