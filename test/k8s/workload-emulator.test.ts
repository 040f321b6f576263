import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { applyDesired } from "../../src/k8s/apply.ts";
import type { KubeClient } from "../../src/k8s/client.ts";
import { labelSelector } from "../../src/k8s/label-selector.ts";
import { watchCluster } from "../../src/observe/cluster.ts";
import type { ClusterView, ClusterWatch } from "../../src/observe/cluster-view.ts";
import { DEFAULT_NODE_SELECTOR } from "../../src/workload/manifests/index.ts";
import { type NodeWorkload, nodeWorkload, summariseNodes } from "../../src/workload/node-status.ts";
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
  PRUNE_KINDS,
  startCluster,
} from "./harness.ts";

describe("workload status from the emulated cluster", () => {
  let emulator: KubeApiEmulator;
  let client: KubeClient;
  let image = IMAGE;

  /** The authenticator on `node` as a view shows it. */
  const onNode = (view: ClusterView, node: string): NodeWorkload => {
    if (view.kind !== "seen") throw view.error;
    const pods = view.pods.filter((pod) => pod.spec?.nodeName === node);
    return nodeWorkload({ node, pods, daemonSet: view.daemonSet, image });
  };

  const watchOf = (node: string, overrides: Partial<ClusterWatch>): ClusterWatch => ({
    wholeCluster: false,
    node,
    namespace: NAMESPACE,
    daemonSet: DAEMON_SET,
    podSelector: POD_SELECTOR,
    nodeSelector: labelSelector(DEFAULT_NODE_SELECTOR),
    waitMs: 0,
    settled: () => true,
    ...overrides,
  });

  /** A fake clock: sleeping moves time on, nothing waits. */
  const fakeClock = () => {
    let now = 0;
    const sleep = async (ms: number): Promise<void> => {
      now += ms;
    };
    return { now: () => new Date(now), sleep, pollMs: 1000 };
  };

  /** The leader's look: every selected node, one LIST of nodes and pods and a GET of the DaemonSet. */
  const cluster = async (): Promise<NodeWorkload[]> => {
    const view = await watchCluster(watchOf("control-plane-0", { wholeCluster: true }), client, fakeClock());
    if (view.kind !== "seen") throw view.error;
    return (view.nodes ?? []).map((node) => onNode(view, node));
  };

  /** Another unit's watch of its own node, until the pod there is no longer progressing. */
  const waitFor = async (node: string, timeoutMs = 10_000): Promise<NodeWorkload> => {
    const settled = (view: ClusterView) => onNode(view, node).state !== "progressing";
    return onNode(
      await watchCluster(watchOf(node, { waitMs: timeoutMs, settled }), client, fakeClock()),
      node,
    );
  };

  async function rollTo(next: string): Promise<void> {
    image = next;
    await applyDesired({
      client,
      objects: objectsFor({ image }),
      fieldManager: FIELD_MANAGER,
      ownedLabels: OWNED,
      pruneKinds: PRUNE_KINDS,
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

  test("watchCluster polls until the pod turns ready", async () => {
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
