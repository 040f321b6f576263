/** observe/cluster.ts: the bounded rollout watch, driven by a pure settled(view). */
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import type { V1Node, V1Pod } from "@kubernetes/client-node";
import type { KubeClient } from "../../src/k8s/client.ts";
import { KubeUnreachable } from "../../src/k8s/errors.ts";
import { watchCluster } from "../../src/observe/cluster.ts";
import type { ClusterView, ClusterWatch } from "../../src/observe/cluster-view.ts";
import { daemonSet, pod } from "./pods.ts";

/** Answers from a script, one pod list per look, and records each request. */
function scriptedClient(podsPerLook: V1Pod[][], fail?: Error): { client: KubeClient; requests: string[] } {
  const requests: string[] = [];
  let look = 0;
  const node = (name: string): V1Node => ({ metadata: { name } });
  const client = {
    async listNodes(selector?: string) {
      requests.push(`nodes ${selector ?? "*"}`);
      return [node("cp-1"), node("cp-0")];
    },
    async podsOnNode(name: string) {
      requests.push(`pods on ${name}`);
      if (fail) throw fail;
      return podsPerLook[Math.min(look++, podsPerLook.length - 1)]!;
    },
    async listPods() {
      requests.push("pods");
      return podsPerLook[Math.min(look++, podsPerLook.length - 1)]!;
    },
    async daemonSetStatus() {
      requests.push("daemonset");
      return daemonSet();
    },
    async read() {
      requests.push("get");
      return undefined;
    },
  } as unknown as KubeClient; // only the read methods a watch may call
  return { client, requests };
}

const podReady = (view: ClusterView) =>
  view.kind === "seen" && view.pods.some((p) => p.status?.conditions?.some((c) => c.type === "Ready"));

function watchOf(overrides: Partial<ClusterWatch> = {}): ClusterWatch {
  return {
    wholeCluster: false,
    node: "cp-0",
    namespace: "kube-system",
    daemonSet: "aws-iam-authenticator",
    podSelector: "app=aws-iam",
    nodeSelector: "node-role.kubernetes.io/control-plane=",
    waitMs: 10_000,
    settled: podReady,
    ...overrides,
  };
}

/** A fake clock: sleeping moves time on, nothing waits. */
function fakeClock(pollMs = 2000) {
  let now = 0;
  const sleeps: number[] = [];
  return {
    now: () => new Date(now),
    sleep: async (ms: number) => {
      sleeps.push(ms);
      now += ms;
    },
    pollMs,
    sleeps,
  };
}

describe("watchCluster", () => {
  test("given a pod that becomes ready on the third look then it polls twice and returns that view", async () => {
    const { client, requests } = scriptedClient([[], [], [pod()]]);
    const clock = fakeClock();
    const view = await watchCluster(watchOf(), client, clock);
    assert.ok(podReady(view));
    assert.deepEqual(clock.sleeps, [2000, 2000]);
    assert.equal(requests.filter((r) => r === "pods on cp-0").length, 3);
  });

  test("given a pod that never becomes ready then the wait bound ends it (rounds, not just the clock)", async () => {
    const { client } = scriptedClient([[]]);
    const clock = fakeClock();
    const view = await watchCluster(watchOf({ waitMs: 5000 }), client, clock);
    assert.equal(podReady(view), false);
    assert.deepEqual(clock.sleeps, [2000, 2000]);
    assert.equal(view.kind === "seen" && view.nodes?.join(","), "cp-0,cp-1");
  });

  test("given waitMs 0 then it looks once", async () => {
    const { client } = scriptedClient([[]]);
    const clock = fakeClock();
    await watchCluster(watchOf({ waitMs: 0 }), client, clock);
    assert.deepEqual(clock.sleeps, []);
  });

  test("given an unknown node then the view carries every node to match against, and the pods everywhere", async () => {
    const { client, requests } = scriptedClient([[pod()]]);
    const view = await watchCluster(watchOf({ node: "" }), client, fakeClock());
    assert.equal(view.kind === "seen" && view.nodeObjects?.length, 2);
    assert.deepEqual(requests, ["nodes *", "daemonset", "pods"]);
  });

  test("given an unreachable API server then the view is failed, not a throw", async () => {
    const { client } = scriptedClient(
      [[]],
      new KubeUnreachable("ECONNREFUSED", "cannot reach the API server"),
    );
    const view = await watchCluster(watchOf(), client, fakeClock());
    assert.equal(view.kind, "failed");
  });

  test("given lookUp refs then each is read once after the watch settles", async () => {
    const { client, requests } = scriptedClient([[pod()]]);
    const ref = { apiVersion: "v1", kind: "Secret", namespace: "kube-system", name: "old" };
    const view = await watchCluster(watchOf({ lookUp: () => [ref] }), client, fakeClock());
    assert.equal(view.kind === "seen" && view.lookedUp?.size, 1);
    assert.equal(requests.filter((r) => r === "get").length, 1);
  });
});
