/** IRSA in process (the happy path, the issuer mismatch and switching it off run through the built dispatch in
 * test/dispatch/irsa.test.ts): the action with IRSA off, and the removal deleting every webhook object with
 * the MutatingWebhookConfiguration first, so no API server calls a webhook whose pods are already gone. */
import assert from "node:assert/strict";
import { globalAgent } from "node:https";
import { after, before, describe, test } from "node:test";
import { ownedLabelSelector } from "../../src/workload/manifests/index.ts";
import { type KubeApiEmulator, startKubeApiEmulator } from "../emulator/k8s/index.ts";
import { statusOf } from "../support/certificates.ts";
import { APP, type ClusterDeployment, clusterDeployment } from "../support/cluster.ts";
import { action, hook, run, stateOf } from "../support/hook.ts";

const ISSUER = "https://my-bucket.s3.eu-west-1.amazonaws.com/my-cluster";
const DISCOVERY = ["/.well-known/openid-configuration", "/openid/v1/jwks"];
const PARAMS = { "account-id": "111122223333", namespace: "apps", "service-account": "s3-reader" };

describe("IRSA in process", () => {
  let kube: KubeApiEmulator;
  let c: ClusterDeployment;

  before(async () => {
    kube = await startKubeApiEmulator({ controlPlaneNodes: 1 });
    c = await clusterDeployment(kube, { mode: "in-process", units: 1 });
  });
  after(async () => {
    await c.dispose();
    await kube.close();
  });

  test("get-irsa-discovery with IRSA off fails saying how to switch it on, and reads nothing", async () => {
    const ran = await run(action("aws-iam/0", "get-irsa-discovery", PARAMS), stateOf(c.d, kube));
    assert.equal(ran.exitCode, 0, ran.stderr);
    assert.equal(
      ran.action?.failed,
      "IRSA is off: set irsa-issuer-url to the public https URL the discovery documents will be served from",
    );
    assert.deepEqual(ran.kubeRequests, []);
  });

  test("while IRSA waits for the API server's issuer, the unit keeps its node and does not search for it again", async () => {
    await c.d.configure("aws-iam", { "irsa-issuer-url": ISSUER });
    assert.match(statusOf(c.d, "aws-iam/0"), /^blocked: IRSA: /);
    await c.d.updateStatus("aws-iam");
    const from = kube.counters.total;
    await c.d.updateStatus("aws-iam");
    const requests = kube.counters.entries.slice(from).map((e) => `${e.method} ${e.path}?${e.query}`);
    assert.match(statusOf(c.d, "aws-iam/0"), /^blocked: IRSA: /);
    assert.deepEqual(
      // The leader's list of control-plane nodes (by label) is for the app status; the search lists them all.
      requests.filter((r) => r.startsWith("GET /api/v1/nodes") && !r.includes("labelSelector=")),
      [],
      "the node found once ours served there is kept",
    );
  });

  test("with IRSA on, a hook reads both discovery documents on the one connection its other requests use", async () => {
    await c.d.configure("aws-iam", { "irsa-issuer-url": ISSUER });
    // Each hook is a new process: no socket kept alive by an earlier in-process hook may serve this one.
    globalAgent.destroy();
    const connections = kube.tlsConnections;
    const ran = await run(hook("aws-iam/0", "update-status"), stateOf(c.d, kube));
    assert.equal(ran.exitCode, 0, ran.stderr);
    const discovery = ran.kubeRequests.filter((r) => DISCOVERY.includes(r.path));
    assert.deepEqual(
      discovery.map((r) => `${r.method} ${r.path}`),
      DISCOVERY.map((path) => `GET ${path}`),
    );
    const others = ran.kubeRequests.length - discovery.length;
    assert.ok(others > 0, "the hook also talks to the cluster");
    assert.equal(kube.tlsConnections - connections, 1, "one TLS handshake for the whole hook");
  });

  test("removing the control-plane relation deletes every webhook object, the MutatingWebhookConfiguration first", async () => {
    const ours = async () =>
      (
        await c.kubectl([
          "get",
          "mutatingwebhookconfiguration,ds,sa,clusterrole,clusterrolebinding",
          "-A",
          "-l",
          ownedLabelSelector(APP),
          "-o",
          "name",
        ])
      )
        .split("\n")
        .filter((line) => line.includes("irsa-webhook"));
    await c.d.configure("aws-iam", { "irsa-issuer-url": ISSUER });
    assert.equal((await ours()).length, 5, "the webhook's five objects are applied");
    const { writes } = await c.counting(() => c.d.removeRelation(c.controlPlaneRelation));
    const deletes = writes.filter((write) => write.startsWith("DELETE"));
    assert.equal(
      deletes[0],
      "DELETE /apis/admissionregistration.k8s.io/v1/mutatingwebhookconfigurations/aws-iam-irsa-webhook",
    );
    assert.deepEqual(await ours(), []);
  });
});
