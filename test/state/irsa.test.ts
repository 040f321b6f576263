/** IRSA in process (the happy path, the issuer mismatch and switching it off run through the built dispatch in
 * test/dispatch/irsa.test.ts): the action with IRSA off, and the removal deleting every webhook object with
 * the MutatingWebhookConfiguration first, so no API server calls a webhook whose pods are already gone. */
import assert from "node:assert/strict";
import { globalAgent } from "node:https";
import { after, before, describe, test } from "node:test";
import { ownedLabelSelector } from "../../src/workload/manifests/index.ts";
import { type KubeApiEmulator, startKubeApiEmulator } from "../emulator/k8s/index.ts";
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
    console.log(
      `MEASURE requests=${ran.kubeRequests.length} discovery=${discovery.length} others=${others} tls=${kube.tlsConnections - connections}`,
    );
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
