import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { dump } from "js-yaml";
import { currentCluster } from "../../../src/control-plane/kubeconfig-cluster.ts";
import { renderWebhookKubeconfig } from "../../../src/control-plane/webhook-kubeconfig.ts";
import { makeTestCerts } from "./certs-fixture.ts";

const b64 = (text: string) => Buffer.from(text, "utf8").toString("base64");

/** An admin kubeconfig as CK writes it, with a second cluster that is not the current context's. */
const admin = (current: string) =>
  dump({
    apiVersion: "v1",
    kind: "Config",
    clusters: [
      {
        name: "other",
        cluster: { server: "https://10.0.0.9:6443", "certificate-authority-data": b64("OTHER") },
      },
      {
        name: "juju-cluster",
        cluster: { server: "https://10.0.0.1:6443", "certificate-authority-data": b64("CK") },
      },
    ],
    contexts: [
      { name: "juju-context", context: { cluster: "juju-cluster", user: "admin" } },
      { name: "other-context", context: { cluster: "other", user: "admin" } },
    ],
    users: [{ name: "admin", user: { token: "secret" } }],
    "current-context": current,
  });

describe("currentCluster", () => {
  it("reads the server and CA of the current context's cluster, not the first one", () => {
    assert.deepEqual(currentCluster(admin("juju-context")), { server: "https://10.0.0.1:6443", caPem: "CK" });
    assert.deepEqual(currentCluster(admin("other-context")), {
      server: "https://10.0.0.9:6443",
      caPem: "OTHER",
    });
  });

  it("reads back the CA and endpoint of the webhook kubeconfig the charm writes", () => {
    const { caPem } = makeTestCerts();
    const read = currentCluster(renderWebhookKubeconfig({ port: 21362, caPem }));
    assert.equal(read?.server, "https://127.0.0.1:21362/authenticate");
    assert.equal(read?.caPem.trim(), caPem.trim());
  });

  it("is undefined for a context that names no cluster, a cluster without a CA, or text that is not YAML", () => {
    assert.equal(currentCluster(admin("missing-context")), undefined);
    assert.equal(
      currentCluster(
        "clusters: [{name: c, cluster: {server: https://x}}]\ncontexts: [{name: x, context: {cluster: c}}]\ncurrent-context: x\n",
      ),
      undefined,
    );
    assert.equal(currentCluster("clusters: [unclosed"), undefined);
    assert.equal(currentCluster(""), undefined);
  });
});
