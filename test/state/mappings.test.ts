/** Identity mappings through the single-hook entry (test/support/hook.ts run(event, state)): one settled
 * unit in GovCloud serving map-roles/map-users/map-accounts from its ConfigMap (read back with the real
 * kubectl), then every case of the invalid corpus on a copy of that state: blocked with the exact message,
 * no Kubernetes write, the ConfigMap unchanged. The real built dispatch runs a few of them
 * (test/dispatch/mappings.test.ts). */
import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import yaml from "js-yaml";
import { type KubeApiEmulator, startKubeApiEmulator } from "../emulator/k8s/index.ts";
import { type ClusterDeployment, clusterDeployment } from "../support/cluster.ts";
import { CONFIG_DEFAULTS as DEFAULTS } from "../support/config-defaults.ts";
import {
  action,
  appStatusOf,
  copyState,
  hook,
  kubeWrites,
  run,
  type State,
  stateOf,
  statusOf,
} from "../support/hook.ts";
import { INVALID_MAPPINGS } from "../unit/mappings/invalid-corpus.ts";

const UNIT = "aws-iam/0";
const GOV_ROLE = "arn:aws-us-gov:iam::111122223333:role/k8s-admins";
const GOV_USER = "arn:aws-us-gov:iam::111122223333:user/alice";
const GOV_CONFIG = {
  partition: "aws-us-gov",
  "backend-mode": "CRD,MountedFile",
  "map-roles": `- {rolearn: "${GOV_ROLE}", username: "admin:{{SessionName}}", groups: [system:masters]}`,
  "map-users": `- {userarn: "${GOV_USER}", username: alice, groups: [dev]}`,
  "map-accounts": '["444455556666"]',
};

/** The API's copies of the objects that say what the server serves. */
const served = (kube: KubeApiEmulator) => ({
  configMap: kube.get("ConfigMap", "aws-iam-authenticator", "kube-system"),
  daemonSet: kube.get("DaemonSet", "aws-iam-authenticator", "kube-system"),
});

describe("identity mappings from config, one settled unit in GovCloud", () => {
  let kube: KubeApiEmulator;
  let c: ClusterDeployment;
  let state: State;

  before(async () => {
    kube = await startKubeApiEmulator({ controlPlaneNodes: 1 });
    c = await clusterDeployment(kube, {
      mode: "in-process",
      units: 1,
      before: (d) => Object.assign(d.state.applications["aws-iam"]!.config, GOV_CONFIG),
    });
    state = stateOf(c.d, kube);
  });
  after(async () => {
    await c?.dispose();
    await kube?.close();
  });

  test("the server's ConfigMap serves the partition and the three mapping options (real kubectl)", async () => {
    assert.equal(statusOf(state, UNIT), "active: authenticator ready on control-plane-0");
    const text = await c.kubectl([
      "get",
      "configmap",
      "aws-iam-authenticator",
      "-n",
      "kube-system",
      "-o",
      "jsonpath={.data.config\\.yaml}",
    ]);
    const server = (yaml.load(text) as { server: Record<string, unknown> }).server;
    assert.equal(server["partition"], "aws-us-gov");
    assert.deepEqual(server["mapRoles"], [
      { rolearn: GOV_ROLE, username: "admin:{{SessionName}}", groups: ["system:masters"] },
    ]);
    assert.deepEqual(server["mapUsers"], [{ userarn: GOV_USER, username: "alice", groups: ["dev"] }]);
    assert.deepEqual(server["mapAccounts"], ["444455556666"]);
    const args = await c.kubectl([
      "get",
      "daemonset",
      "aws-iam-authenticator",
      "-n",
      "kube-system",
      "-o",
      "jsonpath={.spec.template.spec.containers[0].args}",
    ]);
    assert.match(args, /--backend-mode=CRD,MountedFile/);
  });

  test("get-client-kubeconfig is partition-aware: a GovCloud region is required and passed to the plugin", async () => {
    const missing = await run(action(UNIT, "get-client-kubeconfig", { "role-arn": GOV_ROLE }), state);
    assert.equal(
      missing.action?.failed,
      "region is required in partition aws-us-gov, which has no global STS endpoint; expected a region such as us-gov-west-1",
    );
    const wrong = await run(
      action(UNIT, "get-client-kubeconfig", { "role-arn": GOV_ROLE, region: "eu-west-1" }),
      state,
    );
    assert.match(wrong.action?.failed ?? "", /^region eu-west-1 is in partition aws, not aws-us-gov/);
    const ok = await run(
      action(UNIT, "get-client-kubeconfig", { "role-arn": GOV_ROLE, region: "us-gov-west-1" }),
      state,
    );
    assert.equal(ok.action?.failed, undefined);
    const user = (
      yaml.load(String(ok.action?.results["kubeconfig"])) as {
        users: { user: { exec: { args: string[]; env: { name: string; value: string }[] } } }[];
      }
    ).users[0]!.user.exec;
    assert.deepEqual(user.args.slice(3), ["-r", GOV_ROLE, "--region", "us-gov-west-1"]);
    assert.deepEqual(user.env, [{ name: "AWS_STS_REGIONAL_ENDPOINTS", value: "regional" }]);
  });

  test(`all ${INVALID_MAPPINGS.length} invalid corpus cases: blocked with the exact message, no Kubernetes write, the ConfigMap still served`, async () => {
    assert.ok(INVALID_MAPPINGS.length >= 60);
    const before = served(kube);
    assert.ok(before.configMap && before.daemonSet);
    for (const c of INVALID_MAPPINGS) {
      const bad = copyState(state);
      bad.model.applications["aws-iam"]!.config = { ...DEFAULTS, ...c.config };
      const ran = await run(hook(UNIT, "config-changed"), bad);
      assert.equal(ran.exitCode, 0, `${c.name}: ${ran.stderr}`);
      const expected = `blocked: invalid config: ${c.problems.join("; ")}`;
      assert.equal(statusOf(ran.state, UNIT), expected, c.name);
      assert.equal(appStatusOf(ran.state), expected, c.name);
      assert.deepEqual(kubeWrites(ran), [], c.name);
    }
    assert.deepEqual(served(kube), before, "the last good ConfigMap and DaemonSet are what the API holds");
  });

  test("a config over a ConfigMap's 1 MiB: blocked with its size and the CRD suggestion, nothing written", async () => {
    const before = served(kube);
    const big = copyState(state);
    const pad = "x".repeat(40);
    const users = Array.from(
      { length: 3000 },
      (_, i) =>
        `- {userarn: "arn:aws-us-gov:iam::111122223333:user/user-${i}", username: user-${i}-${pad}, groups: [a-${pad}, b-${pad}, c-${pad}, d-${pad}]}`,
    ).join("\n");
    Object.assign(big.model.applications["aws-iam"]!.config, { "map-users": users });
    const ran = await run(hook(UNIT, "config-changed"), big);
    assert.equal(ran.exitCode, 0, ran.stderr);
    assert.match(
      statusOf(ran.state, UNIT),
      /^blocked: invalid authenticator settings: the server config with these mappings is \d+ bytes, over the ConfigMap limit of 1048576 bytes \(1 MiB\); expected fewer map-roles\/map-users\/map-accounts entries: serve the rest as IAMIdentityMapping objects \(backend-mode CRD, action add-mapping\)$/,
    );
    assert.deepEqual(kubeWrites(ran), []);
    assert.deepEqual(served(kube), before);
  });
});
