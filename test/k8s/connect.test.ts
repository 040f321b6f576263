import assert from "node:assert/strict";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, test } from "node:test";
import { ADMIN_KUBECONFIG, connect, loadKubeconfig } from "../../src/k8s/connect.ts";
import { KubeUnavailable } from "../../src/k8s/errors.ts";
import type { KubeApiEmulator } from "../emulator/k8s/index.ts";
import { FAST, startCluster } from "./harness.ts";

describe("loadKubeconfig / connect", () => {
  let dir: string;
  let emulator: KubeApiEmulator;

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), "k8s-connect-"));
    emulator = await startCluster(1, 0);
  });
  after(async () => {
    rmSync(dir, { recursive: true, force: true });
    await emulator.close();
  });

  test("reads the control plane's admin kubeconfig by default", () => {
    assert.equal(ADMIN_KUBECONFIG, "/root/.kube/config");
  });

  test("a missing file is KubeUnavailable naming the path", () => {
    const path = join(dir, "absent");
    const result = loadKubeconfig(path);
    assert.ok(result instanceof KubeUnavailable);
    assert.equal(result.reason, "missing-kubeconfig");
    assert.equal(result.message, `kubeconfig ${path} not found`);
    assert.equal(result.retryable, true);
    assert.ok(connect(path) instanceof KubeUnavailable);
  });

  test("an unparsable file is KubeUnavailable without quoting its content", () => {
    const path = join(dir, "broken");
    writeFileSync(path, "users:\n- name: admin\n  user: {token: s3cr3t-t0ken-value\n");
    const result = loadKubeconfig(path);
    assert.ok(result instanceof KubeUnavailable);
    assert.equal(result.reason, "unreadable-kubeconfig");
    assert.doesNotMatch(result.message, /s3cr3t/);
  });

  test("a kubeconfig without a current context is KubeUnavailable", () => {
    const path = join(dir, "no-context");
    writeFileSync(path, emulator.kubeconfigYaml().replace(/current-context:.*\n/, ""));
    const result = loadKubeconfig(path);
    assert.ok(result instanceof KubeUnavailable);
    assert.equal(result.reason, "no-current-context");
  });

  test("a valid kubeconfig gives the current context's server, and a client that reaches it", async () => {
    const result = loadKubeconfig(emulator.kubeconfigPath);
    assert.ok(!(result instanceof KubeUnavailable));
    assert.equal(result.server, emulator.url);
    assert.equal(result.context, "emulator");
    const client = connect(emulator.kubeconfigPath, FAST);
    assert.ok(!(client instanceof KubeUnavailable));
    const before = emulator.requests.length;
    await client.listNodes();
    assert.deepEqual(
      emulator.requests.slice(before).map((r) => `${r.method} ${r.path} ${r.status}`),
      ["GET /api/v1/nodes 200"],
    );
  });
});
