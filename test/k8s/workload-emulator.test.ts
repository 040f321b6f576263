import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { applyDesired } from "../../src/k8s/apply.ts";
import type { KubeClient } from "../../src/k8s/client.ts";
import { clusterWorkload } from "../../src/k8s/cluster-status.ts";
import { labelSelector } from "../../src/k8s/label-selector.ts";
import { DEFAULT_NODE_SELECTOR } from "../../src/workload/manifests/index.ts";
import { summariseNodes, waitForNodeReady } from "../../src/workload/node-status.ts";
import type { KubeApiEmulator } from "../emulator/k8s/index.ts";
import {
  clientFor,
  DAEMON_SET,
  FIELD_MANAGER,
  IMAGE,
  NAMESPACE,
  OWNED,
  objectsFor,
  POD_SELECTOR,
  startCluster,
} from "./harness.ts";

describe("workload status from the emulated cluster", () => {
  let emulator: KubeApiEmulator;
  let client: KubeClient;
  let image = IMAGE;

  const cluster = () =>
    clusterWorkload({
      client,
      namespace: NAMESPACE,
      daemonSetName: DAEMON_SET,
      selector: POD_SELECTOR,
      nodeSelector: labelSelector(DEFAULT_NODE_SELECTOR),
      image,
    });

  const waitFor = (node: string, timeoutMs = 10_000) =>
    waitForNodeReady({
      client,
      node,
      namespace: NAMESPACE,
      daemonSetName: DAEMON_SET,
      selector: POD_SELECTOR,
      image,
      timeoutMs,
      pollMs: 1000,
      sleep: async () => {},
    });

  async function rollTo(next: string): Promise<void> {
    image = next;
    await applyDesired({
      client,
      objects: objectsFor({ image }),
      fieldManager: FIELD_MANAGER,
      ownedLabels: OWNED,
    });
  }

  before(async () => {
    emulator = await startCluster(3, 1);
    client = clientFor(emulator);
    await rollTo(IMAGE);
  });
  after(() => emulator.close());

  test("every control-plane node ready (workers are not counted)", async () => {
    const nodes = await cluster();
    assert.deepEqual(
      nodes.map((n) => `${n.node}:${n.state}`),
      ["control-plane-0:ready", "control-plane-1:ready", "control-plane-2:ready"],
    );
    assert.equal(summariseNodes(nodes), "3/3 control-plane nodes ready");
  });

  test("waitForNodeReady polls until the pod turns ready", async () => {
    emulator.scriptPod("control-plane-0", { state: "Ready", afterPolls: 2 });
    const before = emulator.requests.length;
    const result = await waitFor("control-plane-0");
    assert.equal(result.state, "ready");
    const podReads = emulator.requests
      .slice(before)
      .filter((r) => r.path === `/api/v1/namespaces/${NAMESPACE}/pods`);
    assert.equal(podReads.length, 3);
    assert.match(podReads[0]?.query ?? "", /fieldSelector=spec.nodeName%3Dcontrol-plane-0/);
  });

  test("ImagePullBackOff on one node: blocked naming the image; the others stay ready", async () => {
    emulator.scriptPod("control-plane-1", { state: "ImagePullBackOff" });
    const result = await waitFor("control-plane-1");
    assert.deepEqual(result, {
      node: "control-plane-1",
      state: "failed",
      message: `aws-iam-authenticator on control-plane-1: ImagePullBackOff pulling ${IMAGE}`,
    });
    const nodes = await cluster();
    assert.deepEqual(
      nodes.map((n) => n.state),
      ["ready", "failed", "ready"],
    );
    assert.equal(summariseNodes(nodes), "2/3 control-plane nodes ready");
  });

  test("ErrImagePull after an image change names the new image", async () => {
    emulator.scriptPod("control-plane-1", { state: "Ready" });
    emulator.scriptPod("control-plane-2", { state: "ErrImagePull" });
    await rollTo("registry.example/aws-iam-authenticator:v0.7.999-does-not-exist");
    const result = await waitFor("control-plane-2");
    assert.equal(result.state, "failed");
    assert.equal(
      result.message,
      "aws-iam-authenticator on control-plane-2: ErrImagePull pulling registry.example/aws-iam-authenticator:v0.7.999-does-not-exist",
    );
  });

  test("CrashLoopBackOff shows the restart count", async () => {
    emulator.scriptPod("control-plane-2", { state: "CrashLoopBackOff", restartCount: 4, exitCode: 1 });
    const result = await waitFor("control-plane-2");
    assert.equal(result.state, "failed");
    assert.match(
      result.message,
      /^aws-iam-authenticator on control-plane-2: CrashLoopBackOff running .* \(restarted 4 times, last exit code 1\)$/,
    );
  });

  test("a pod stuck starting is reported as waiting once the bounded wait ends", async () => {
    emulator.scriptPod("control-plane-0", { state: "ContainerCreating" });
    const result = await waitFor("control-plane-0", 3000);
    assert.deepEqual(result, {
      node: "control-plane-0",
      state: "progressing",
      message: "waiting for the authenticator on control-plane-0",
    });
  });
});
