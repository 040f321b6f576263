import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { connectText, loadKubeconfigText } from "../../src/k8s/connect.ts";
import { KubeUnavailable } from "../../src/k8s/errors.ts";
import { PATHS } from "../../src/machine/paths.ts";
import type { KubeApiEmulator } from "../emulator/k8s/index.ts";
import { FAST, startCluster } from "./harness.ts";

describe("loadKubeconfigText / connectText", () => {
  let emulator: KubeApiEmulator;
  const path = PATHS.adminKubeconfig;

  before(async () => {
    emulator = await startCluster(1, 0);
  });
  after(async () => {
    await emulator.close();
  });

  test("the admin kubeconfig is where the control plane writes it", () => {
    assert.equal(PATHS.adminKubeconfig, "/root/.kube/config");
  });

  test("a missing file is KubeUnavailable naming the path", () => {
    const result = loadKubeconfigText(undefined, path);
    assert.ok(result instanceof KubeUnavailable);
    assert.equal(result.reason, "missing-kubeconfig");
    assert.equal(result.message, `kubeconfig ${path} not found`);
    assert.equal(result.retryable, true);
    assert.ok(connectText(undefined, path) instanceof KubeUnavailable);
  });

  test("an unparsable file is KubeUnavailable without quoting its content", () => {
    const result = loadKubeconfigText("users:\n- name: admin\n  user: {token: s3cr3t-t0ken-value\n", path);
    assert.ok(result instanceof KubeUnavailable);
    assert.equal(result.reason, "unreadable-kubeconfig");
    assert.doesNotMatch(result.message, /s3cr3t/);
  });

  test("a kubeconfig without a current context is KubeUnavailable", () => {
    const result = loadKubeconfigText(emulator.kubeconfigYaml().replace(/current-context:.*\n/, ""), path);
    assert.ok(result instanceof KubeUnavailable);
    assert.equal(result.reason, "no-current-context");
  });

  test("a valid kubeconfig gives the current context's server, and a client that reaches it", async () => {
    const result = loadKubeconfigText(emulator.kubeconfigYaml(), path);
    assert.ok(!(result instanceof KubeUnavailable));
    assert.equal(result.server, emulator.url);
    assert.equal(result.context, "emulator");
    const client = connectText(emulator.kubeconfigYaml(), path, FAST);
    assert.ok(!(client instanceof KubeUnavailable));
    const before = emulator.requests.length;
    await client.listNodes();
    assert.deepEqual(
      emulator.requests.slice(before).map((r) => `${r.method} ${r.path} ${r.status}`),
      ["GET /api/v1/nodes 200"],
    );
  });
});
