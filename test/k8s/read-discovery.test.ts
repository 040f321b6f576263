// The discovery documents read on a KubeClient against the emulated API server (src/k8s/read-discovery.ts):
// byte for byte on the client's one connection, what each failure says, and never from an unverified server.
import assert from "node:assert/strict";
import { after, before, beforeEach, describe, test } from "node:test";
import yaml from "js-yaml";
import { JWKS_PATH, OPENID_CONFIG_PATH } from "../../src/irsa/api-args.ts";
import { connectText } from "../../src/k8s/connect.ts";
import { KubeUnavailable, KubeUnreachable } from "../../src/k8s/errors.ts";
import { readServedDiscovery, readServedDiscoveryWith } from "../../src/k8s/read-discovery.ts";
import type { KubeApiEmulator } from "../emulator/k8s/index.ts";
import { clientFor, FAST, startCluster } from "./harness.ts";

describe("readServedDiscovery", () => {
  let emulator: KubeApiEmulator;
  before(async () => {
    emulator = await startCluster(1, 0);
  });
  after(() => emulator.close());
  beforeEach(() => emulator.faults.clear());

  const since = (from: number) =>
    emulator.requests.slice(from).map((r) => `${r.method} ${r.path} ${r.status}`);

  test("reads both documents as served, on the connection the client's other requests use", async () => {
    const client = clientFor(emulator, FAST);
    const connections = emulator.tlsConnections;
    const served = await readServedDiscovery(client);
    assert.deepEqual(served, {
      ok: true,
      config: emulator.cluster.serviceAccountIssuer.configJson(`127.0.0.1:${emulator.port}`),
      jwks: emulator.cluster.serviceAccountIssuer.keysetJson(),
    });
    await client.listNodes();
    assert.equal(emulator.tlsConnections - connections, 1, "two GETs and a LIST, one handshake");
  });

  test("a refusal other than 404 gives its status only: no hint, no body quoted, no second GET", async () => {
    emulator.faults.add({ path: OPENID_CONFIG_PATH, status: 403, message: "forbidden-body-text", times: 1 });
    const from = emulator.requests.length;
    const served = await readServedDiscovery(clientFor(emulator, FAST));
    assert.deepEqual(served, { ok: false, reason: `GET ${OPENID_CONFIG_PATH}: HTTP 403` });
    assert.deepEqual(since(from), [`GET ${OPENID_CONFIG_PATH} 403`]);
  });

  test("a 404 says the API server serves no discovery, and why that usually is", async () => {
    emulator.faults.add({ path: JWKS_PATH, status: 404, times: 1 });
    const served = await readServedDiscovery(clientFor(emulator, FAST));
    assert.deepEqual(served, {
      ok: false,
      reason: `GET ${JWKS_PATH}: HTTP 404 (the API server serves no discovery: for example, its issuer is not an https URL)`,
    });
  });

  test("a server that does not answer in time: unreachable after the client's retries", async () => {
    emulator.faults.add({ path: OPENID_CONFIG_PATH, delayMs: 1500, times: 3 });
    const from = emulator.requests.length;
    const served = await readServedDiscovery(clientFor(emulator, { ...FAST, timeoutMs: 200 }));
    assert.deepEqual(served, {
      ok: false,
      reason: `GET ${OPENID_CONFIG_PATH}: ETIMEDOUT (after 3 attempts)`,
    });
    assert.equal(since(from).length, 3, "first attempt and two retries");
  });

  test("a kubeconfig that skips verifying the server is refused before any request, even with the right CA", async () => {
    const config = yaml.load(emulator.kubeconfigYaml()) as {
      clusters: { cluster: Record<string, unknown> }[];
    };
    for (const { cluster } of config.clusters) cluster["insecure-skip-tls-verify"] = true;
    const client = connectText(yaml.dump(config), "the admin kubeconfig", FAST);
    assert.ok(!(client instanceof KubeUnavailable));
    assert.equal(client.verifiesServer, false);
    const from = emulator.requests.length;
    const served = await readServedDiscovery(client);
    assert.ok(!served.ok);
    assert.match(served.reason, /insecure-skip-tls-verify/);
    assert.deepEqual(since(from), []);
    assert.equal(clientFor(emulator, FAST).verifiesServer, true);
  });

  test("without a client, the reason says why there is none and quotes nothing", async () => {
    const reasonFor = async (error: KubeUnavailable | KubeUnreachable) => {
      const served = await readServedDiscoveryWith(async () => error);
      assert.ok(!served.ok);
      return served.reason;
    };
    assert.equal(
      await reasonFor(new KubeUnavailable("missing-kubeconfig", "/root/.kube/config", "not found")),
      "no admin kubeconfig on this machine yet (the control plane writes it)",
    );
    assert.equal(
      await reasonFor(new KubeUnavailable("unreadable-kubeconfig", "/root/.kube/config", "token: s3cr3t")),
      "the admin kubeconfig cannot be parsed",
    );
    assert.equal(
      await reasonFor(new KubeUnavailable("no-current-context", "/root/.kube/config", "x")),
      "the admin kubeconfig has no current context with a cluster server",
    );
    assert.equal(
      await reasonFor(new KubeUnreachable("ECONNREFUSED", "list Node: ECONNREFUSED")),
      "list Node: ECONNREFUSED",
    );
  });
});
