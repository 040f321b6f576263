/** End-to-end: the mapping actions and invalid mapping config through the real built dispatch (one process
 * per hook or action, hook tools on PATH), one unit on a control-plane machine whose admin kubeconfig points
 * at the Kubernetes API emulator. verify-token reaches an authenticator double started from the Secret the
 * charm applied, on the port the charm is configured with. The whole invalid corpus runs in process
 * (test/state/mappings.test.ts); three of its cases run here. */
import assert from "node:assert/strict";
import { createServer } from "node:net";
import { after, before, describe, test } from "node:test";
import yaml from "js-yaml";
import { type AuthenticatorDouble, startAuthenticatorDouble } from "../emulator/authenticator/server.ts";
import { type KubeApiEmulator, startKubeApiEmulator } from "../emulator/k8s/index.ts";
import { statusOf } from "../support/certificates.ts";
import { type ClusterDeployment, clusterDeployment } from "../support/cluster.ts";
import { CONFIG_DEFAULTS as DEFAULTS } from "../support/config-defaults.ts";
import { dispatchExecutor } from "../support/deployments.ts";
import { INVALID_MAPPINGS } from "../unit/mappings/invalid-corpus.ts";

const UNIT = "aws-iam/0";
const ROLE = "arn:aws:iam::111122223333:role/k8s-admins";
const USER = "arn:aws:iam::111122223333:user/alice";
const TOKEN = "k8s-aws-v1.mapped-token-secret";

/** A port nothing listens on now, for the charm's `port` (the double listens there later). */
function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.on("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

describe("mappings through the built dispatch with a Kubernetes API", () => {
  let kube: KubeApiEmulator;
  let c: ClusterDeployment;
  let double: AuthenticatorDouble | undefined;
  let port: number;
  let config: Record<string, string | number | boolean>;

  before(async () => {
    port = await freePort();
    config = {
      port,
      "backend-mode": "CRD,MountedFile",
      "map-roles": `- {rolearn: "${ROLE}", username: "admin:{{SessionName}}", groups: [system:masters]}`,
    };
    kube = await startKubeApiEmulator({ controlPlaneNodes: 1 });
    // Set up in process (the workload's rollout is covered elsewhere); every action and hook of the
    // tests runs through the built dispatch.
    c = await clusterDeployment(kube, {
      mode: "in-process",
      units: 1,
      before: (d) => Object.assign(d.state.applications["aws-iam"]!.config, config),
    });
    c.d.useExecutor(dispatchExecutor());
  });
  after(async () => {
    await double?.close();
    await c?.dispose();
    await kube?.close();
  });

  test("add-mapping, list-mappings, verify-token and remove-mapping; no result holds the token", async () => {
    const { d } = c;
    // Active; its note asks the operator to point the control plane at the non-default port.
    assert.match(statusOf(d, UNIT), /^active: authenticator ready on control-plane-0; run: juju config /);
    const failed = d.log.filter((s) => s.result !== undefined && s.result.exitCode !== 0);
    assert.deepEqual(
      failed.map((s) => `${s.description}: ${s.result!.stderr}`),
      [],
    );

    const added = await c.counting(() =>
      d.runAction(UNIT, "add-mapping", { arn: USER, username: "alice", groups: "dev,ops" }),
    );
    assert.equal(added.result.action?.failed, undefined);
    assert.equal(added.result.action?.results["result"], "created");
    const name = String(added.result.action?.results["name"]);
    assert.equal(added.writes.length, 1, added.writes.join("\n"));
    assert.match(
      added.writes[0]!,
      /^PATCH \/apis\/iamauthenticator\.k8s\.aws\/v1alpha1\/iamidentitymappings\//,
    );
    const object = JSON.parse(await c.kubectl(["get", "iamidentitymapping", name, "-o", "json"])) as {
      spec: { arn: string; username: string; groups: string[] };
    };
    assert.deepEqual(object.spec, { arn: USER, username: "alice", groups: ["dev", "ops"] });

    const listed = await c.counting(() => d.runAction(UNIT, "list-mappings"));
    assert.equal(listed.result.action?.failed, undefined);
    assert.deepEqual(listed.writes, [], "list-mappings only reads");
    const entries = yaml.load(String(listed.result.action?.results["mappings"])) as {
      source: string;
      wins: boolean;
    }[];
    assert.deepEqual(
      entries.map((e) => [e.source, e.wins]),
      [
        // No authenticator writes status.canonicalARN here, so the CRD object does not answer yet.
        [`IAMIdentityMapping/${name}`, false],
        ["map-roles[0]", true],
      ],
    );

    // The server, from the bytes of the Secret the charm applied, on the configured port.
    const secret = kube.get("Secret", "aws-iam-authenticator-tls", "kube-system") as {
      data: Record<string, string>;
    };
    const bytes = (key: string) => Buffer.from(secret.data[key]!, "base64").toString("utf8");
    double = await startAuthenticatorDouble({
      certFile: bytes("cert.pem"),
      keyFile: bytes("key.pem"),
      port,
      users: {
        [TOKEN]: {
          username: "alice",
          uid: "aws-iam-authenticator:111122223333:AIDAEXAMPLE",
          groups: ["dev", "ops"],
        },
      },
    });
    const verified = await d.runAction(UNIT, "verify-token", { token: TOKEN });
    assert.equal(verified.action?.failed, undefined, verified.stderr);
    assert.equal(verified.action?.results["username"], "alice");
    assert.equal(verified.action?.results["groups"], "dev,ops");
    const denied = await d.runAction(UNIT, "verify-token", { token: "k8s-aws-v1.unknown-secret" });
    assert.match(denied.action?.failed ?? "", /^the authenticator refused the token \(HTTP 403\)/);
    for (const run of [verified, denied]) {
      // What the charm said: results, failure, action and unit logs, stderr, every hook tool it called
      // (action-get's answer is the operator's input, so it is not among them).
      const said = JSON.stringify({
        results: run.action?.results,
        failed: run.action?.failed,
        logs: [run.action?.logs, d.state.units[UNIT]!.logs],
        stderr: run.stderr,
        calls: run.calls.map((call) => [call.tool, call.args, call.stdin]),
      });
      assert.ok(!said.includes("-secret"), `the token appears nowhere: ${said.slice(0, 2000)}`);
    }

    const removed = await c.counting(() => d.runAction(UNIT, "remove-mapping", { arn: USER }));
    assert.equal(removed.result.action?.failed, undefined);
    assert.deepEqual(removed.result.action?.results, { deleted: name, count: "1" });
    assert.deepEqual(
      removed.writes.map((w) => w.split(" ")[0]),
      ["DELETE"],
    );
  });

  test("three invalid corpus cases: blocked with the exact message, no Kubernetes write, the ConfigMap still served", async () => {
    const { d } = c;
    const configMap = () => kube.get("ConfigMap", "aws-iam-authenticator", "kube-system");
    const before = configMap();
    const cases = [INVALID_MAPPINGS[0]!, INVALID_MAPPINGS[37]!, INVALID_MAPPINGS.at(-1)!];
    for (const bad of cases) {
      const ran = await c.counting(() => d.configure("aws-iam", { ...DEFAULTS, ...config, ...bad.config }));
      assert.deepEqual(
        ran.result.map((s) => s.result?.exitCode),
        [0],
        bad.name,
      );
      assert.equal(statusOf(d, UNIT), `blocked: invalid config: ${bad.problems.join("; ")}`, bad.name);
      assert.deepEqual(ran.writes, [], bad.name);
      assert.deepEqual(configMap(), before, bad.name);
    }
  });
});
