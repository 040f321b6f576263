/** State-transition tests of the real charm (runCharm in process) in a three-unit
 * emulated model: state in, hook, state out. */
import assert from "node:assert/strict";
import { existsSync } from "node:fs";
import { join } from "node:path";
import { describe, test } from "node:test";
import { charmDeployment } from "../support/deployments.ts";
import { type Event, hook, jujuWrites, observableOf, relationIdOf, run, settled } from "../support/hook.ts";
import { silentProvider } from "../support/providers.ts";

const UNITS = ["aws-iam/0", "aws-iam/1", "aws-iam/2"];
const CERTS_MISSING =
  "missing certificates relation: `juju integrate aws-iam:certificates easyrsa:client` (vault 1.15+: vault:vault-pki; the reactive vault ≤ 1.8: vault:certificates)";

async function deployed(generation: "legacy" | "current") {
  const deployment = charmDeployment({ generation, extraApps: [silentProvider()] });
  const { d, integration } = deployment;
  const controlPlaneRelation = await d.integrate(...integration);
  await d.settle();
  return { ...deployment, controlPlaneRelation };
}

const statusOf = (
  d: { state: { units: Record<string, { status: { status: string; message: string } }> } },
  unit: string,
) => {
  const { status, message } = d.state.units[unit]!.status;
  return `${status}: ${message}`;
};

describe("given aws-iam integrated with a control plane only", () => {
  for (const generation of ["legacy", "current"] as const) {
    test(`(${generation}) when setup settles then every unit is blocked on the certificates relation`, async () => {
      const { d } = await deployed(generation);
      for (const unit of UNITS) assert.equal(statusOf(d, unit), `blocked: ${CERTS_MISSING}`);
      const app = d.state.applications["aws-iam"]!;
      assert.equal(`${app.status.status}: ${app.status.message}`, `blocked: ${CERTS_MISSING}`);
      assert.equal(app.workloadVersion, "v0.7.4");
      // A blocked unit says it once: the status history has one entry per change.
      assert.equal(d.state.units["aws-iam/1"]!.statusHistory.filter((s) => s.status === "blocked").length, 1);
    });
  }

  test("when the certificates relation is added then units wait for the certificate", async () => {
    const { d } = await deployed("current");
    await d.integrate("aws-iam:certificates", "easyrsa:client");
    await d.settle();
    for (const unit of UNITS)
      assert.equal(statusOf(d, unit), "waiting: waiting for a server certificate from easyrsa");
  });

  test("when config is invalid then the status lists every bad key and how to fix it", async () => {
    const { d } = await deployed("legacy");
    await d.configure("aws-iam", { port: 80, "backend-mode": "CRD,Nope" });
    await d.settle();
    assert.equal(
      statusOf(d, "aws-iam/2"),
      "blocked: invalid config: backend-mode must be a comma-separated list of CRD, MountedFile, EKSConfigMap " +
        "without duplicates; port must be an integer from 1024 to 65535 other than 21363 (the server's health port)",
    );
    await d.configure("aws-iam", { port: 21362, "backend-mode": "CRD" });
    assert.equal(statusOf(d, "aws-iam/2"), `blocked: ${CERTS_MISSING}`);
  });

  test("when related over both aws-iam and juju-info then it says which one to remove", async () => {
    const { d } = await deployed("legacy");
    // Every principal offers juju-info implicitly, the reactive control plane included.
    await d.integrate("aws-iam:juju-info", "kubernetes-control-plane:juju-info");
    await d.settle();
    assert.equal(
      statusOf(d, "aws-iam/0"),
      "blocked: related to kubernetes-control-plane over both aws-iam and juju-info; keep one: " +
        "`juju remove-relation aws-iam:juju-info kubernetes-control-plane:juju-info`",
    );
  });
});

describe("hooks are idempotent", () => {
  // One settled deployment for the whole file; each test runs its hook on a copy (test/support/hook.ts).
  const base = () =>
    settled("lifecycle: current control plane + easyrsa", async () => {
      const { d } = await deployed("current");
      await d.integrate("aws-iam:certificates", "easyrsa:client");
      await d.settle();
      return { d };
    });
  const hooks: Array<
    [string, (ids: { cp: number; certs: number; peers: number }) => Omit<Event, "unit" | "hookName">]
  > = [
    ["install", () => ({})],
    ["leader-elected", () => ({})],
    ["config-changed", () => ({})],
    ["start", () => ({})],
    ["update-status", () => ({})],
    ["upgrade-charm", () => ({})],
    ["juju-info-relation-created", (ids) => ({ relationId: ids.cp, remoteApp: "kubernetes-control-plane" })],
    [
      "juju-info-relation-joined",
      (ids) => ({
        relationId: ids.cp,
        remoteUnit: "kubernetes-control-plane/0",
        remoteApp: "kubernetes-control-plane",
      }),
    ],
    [
      "juju-info-relation-changed",
      (ids) => ({
        relationId: ids.cp,
        remoteUnit: "kubernetes-control-plane/0",
        remoteApp: "kubernetes-control-plane",
      }),
    ],
    ["certificates-relation-created", (ids) => ({ relationId: ids.certs, remoteApp: "easyrsa" })],
    [
      "certificates-relation-joined",
      (ids) => ({ relationId: ids.certs, remoteUnit: "easyrsa/0", remoteApp: "easyrsa" }),
    ],
    [
      "certificates-relation-changed",
      (ids) => ({ relationId: ids.certs, remoteUnit: "easyrsa/0", remoteApp: "easyrsa" }),
    ],
    [
      "aws-iam-peers-relation-changed",
      (ids) => ({ relationId: ids.peers, remoteUnit: "aws-iam/1", remoteApp: "aws-iam" }),
    ],
  ];

  for (const [name, context] of hooks) {
    test(`given a settled deployment when ${name} runs twice then the second run changes nothing`, async () => {
      const state = await base();
      const ids = {
        cp: relationIdOf(state, "juju-info"),
        certs: relationIdOf(state, "certificates"),
        peers: relationIdOf(state, "aws-iam-peers"),
      };
      const event = hook("aws-iam/0", name, context(ids));
      const first = await run(event, state);
      assert.equal(first.exitCode, 0, first.stderr);
      const second = await run(event, first.state);
      assert.equal(second.exitCode, 0, second.stderr);
      assert.deepEqual(observableOf(second.state), observableOf(first.state));
      // Nothing to do means no writes at all on the second run.
      assert.deepEqual(
        jujuWrites(second).map((c) => c.tool),
        [],
      );
    });
  }
});

describe("teardown", () => {
  test("when the certificates relation departs and breaks then units block on it again", async () => {
    const { d } = await deployed("current");
    const certs = await d.integrate("aws-iam:certificates", "easyrsa:client");
    await d.settle();
    await d.removeRelation(certs);
    for (const unit of UNITS) assert.equal(statusOf(d, unit), `blocked: ${CERTS_MISSING}`);
  });

  test("when the control-plane relation is removed then every unit stops, removes its files and goes", async () => {
    const { d, controlPlaneRelation } = await deployed("legacy");
    const roots = UNITS.map((unit) => d.state.units[unit]!.machineRoot);
    assert.ok(roots.every((root) => existsSync(join(root, "var/lib/juju-aws-iam"))));
    await d.removeRelation(controlPlaneRelation);
    assert.deepEqual(d.state.applications["aws-iam"]!.units, []);
    for (const [i, root] of roots.entries()) {
      assert.equal(existsSync(join(root, "var/lib/juju-aws-iam", `aws-iam-${i}.json`)), false);
    }
  });
});

describe("actions", () => {
  test("get-control-plane-config gives the current control plane the exact juju config lines", async () => {
    const { d } = await deployed("current");
    await d.configure("aws-iam", { "token-webhook-cache-ttl": "1m0s", port: 21400 });
    const result = await d.runAction("aws-iam/1", "get-control-plane-config");
    assert.equal(result.exitCode, 0);
    assert.deepEqual(result.action!.results, {
      "control-plane": "kubernetes-control-plane",
      generation: "current",
      "webhook-kubeconfig": "/root/cdk/aws-iam-webhook.yaml",
      "authn-webhook-endpoint":
        "juju config kubernetes-control-plane authn-webhook-endpoint=https://127.0.0.1:21400/authenticate",
      "api-extra-args":
        "juju config kubernetes-control-plane api-extra-args=authentication-token-webhook-cache-ttl=1m0s",
      warning:
        "api-extra-args replaces the whole option: first read the current value with " +
        "`juju config kubernetes-control-plane api-extra-args` and merge these flags into it, " +
        "or other flags set there are lost.",
    });
  });

  test("get-control-plane-config fails with the config problem when config is invalid", async () => {
    const { d } = await deployed("legacy");
    await d.configure("aws-iam", { port: 1 });
    const result = await d.runAction("aws-iam/0", "get-control-plane-config");
    assert.equal(result.exitCode, 0);
    assert.match(result.action!.failed ?? "", /^invalid config: port must be/);
  });
});
