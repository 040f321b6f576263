import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { nodeWorkload, summariseNodes } from "../../src/workload/node-status.ts";
import { daemonSet, pod } from "./pods.ts";

const IMAGE = "registry.example/authenticator:v2";

describe("nodeWorkload", () => {
  test("a ready pod from the current template is ready", () => {
    const result = nodeWorkload({ node: "cp-0", pods: [pod()], daemonSet: daemonSet(), image: IMAGE });
    assert.equal(result.state, "ready");
  });

  test("no pod yet: waiting for the authenticator on the node", () => {
    const result = nodeWorkload({ node: "cp-0", pods: [], daemonSet: daemonSet(), image: IMAGE });
    assert.deepEqual(result, {
      node: "cp-0",
      state: "progressing",
      message: "waiting for the authenticator on cp-0",
    });
  });

  test("no DaemonSet: progressing", () => {
    assert.equal(
      nodeWorkload({ node: "cp-0", pods: [pod()], daemonSet: undefined, image: IMAGE }).state,
      "progressing",
    );
  });

  test("a ready pod of an older template is still progressing (the rollout has not reached it)", () => {
    const old = pod({ generation: "1", image: "registry.example/authenticator:v1" });
    assert.equal(
      nodeWorkload({ node: "cp-0", pods: [old], daemonSet: daemonSet(), image: IMAGE }).state,
      "progressing",
    );
  });

  test("a DaemonSet status the controller has not caught up with is progressing", () => {
    const stale = daemonSet({ generation: 3, observedGeneration: 2 });
    assert.equal(
      nodeWorkload({ node: "cp-0", pods: [pod({ generation: "3" })], daemonSet: stale, image: IMAGE }).state,
      "progressing",
    );
  });

  test("a pod with the wrong image is not ready", () => {
    const result = nodeWorkload({
      node: "cp-0",
      pods: [pod()],
      daemonSet: daemonSet(),
      image: "registry.example/other:v9",
    });
    assert.equal(result.state, "progressing");
  });

  test("a pod not yet Ready is progressing", () => {
    assert.equal(
      nodeWorkload({ node: "cp-0", pods: [pod({ ready: false })], daemonSet: daemonSet(), image: IMAGE })
        .state,
      "progressing",
    );
  });

  for (const reason of ["ImagePullBackOff", "ErrImagePull"]) {
    test(`${reason}: failed, naming the container, node and image`, () => {
      const failing = pod({
        ready: false,
        status: { state: { waiting: { reason, message: "Back-off pulling image" } } },
      });
      const result = nodeWorkload({ node: "cp-1", pods: [failing], daemonSet: daemonSet(), image: IMAGE });
      assert.deepEqual(result, {
        node: "cp-1",
        state: "failed",
        message: `aws-iam-authenticator on cp-1: ${reason} pulling ${IMAGE}`,
      });
    });
  }

  test("CrashLoopBackOff: failed with the restart count and exit code", () => {
    const crashing = pod({
      ready: false,
      status: {
        restartCount: 7,
        state: { waiting: { reason: "CrashLoopBackOff" } },
        lastState: { terminated: { exitCode: 2 } },
      },
    });
    const result = nodeWorkload({ node: "cp-2", pods: [crashing], daemonSet: daemonSet(), image: IMAGE });
    assert.equal(result.state, "failed");
    assert.equal(
      result.message,
      `aws-iam-authenticator on cp-2: CrashLoopBackOff running ${IMAGE} (restarted 7 times, last exit code 2)`,
    );
  });

  test("a container that cannot be created shows the kubelet's reason and message", () => {
    const broken = pod({
      ready: false,
      status: {
        state: { waiting: { reason: "CreateContainerConfigError", message: 'configmap "x" not found' } },
      },
    });
    const result = nodeWorkload({ node: "cp-0", pods: [broken], daemonSet: daemonSet(), image: IMAGE });
    assert.equal(
      result.message,
      'aws-iam-authenticator on cp-0: CreateContainerConfigError: configmap "x" not found',
    );
  });
});

describe("summariseNodes", () => {
  test("counts ready nodes out of all", () => {
    const states = ["ready", "failed", "ready"] as const;
    const summary = summariseNodes(states.map((state, i) => ({ node: `cp-${i}`, state, message: "" })));
    assert.equal(summary, "2/3 control-plane nodes ready");
    assert.equal(summariseNodes([]), "0/0 control-plane nodes ready");
  });
});
