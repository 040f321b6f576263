/** DaemonSet controller and the scripted kubelet, observed through client-node. */
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { AppsV1Api, CoreV1Api, PatchStrategy, type V1Pod } from "@kubernetes/client-node";
import { type KubeApiEmulator, startKubeApiEmulator } from "./emulator.ts";
import type { Obj } from "./json.ts";
import { clientsFor } from "./test-support.ts";

function daemonSet(
  name: string,
  opts: { tolerateControlPlane: boolean; onlyControlPlane?: boolean; image?: string },
): Obj {
  return {
    apiVersion: "apps/v1",
    kind: "DaemonSet",
    metadata: { name, namespace: "kube-system" },
    spec: {
      selector: { matchLabels: { app: name } },
      template: {
        metadata: { labels: { app: name }, annotations: { rev: "1" } },
        spec: {
          ...(opts.onlyControlPlane ? { nodeSelector: { "node-role.kubernetes.io/control-plane": "" } } : {}),
          ...(opts.tolerateControlPlane
            ? {
                tolerations: [
                  { key: "node-role.kubernetes.io/control-plane", operator: "Exists", effect: "NoSchedule" },
                ],
              }
            : {}),
          containers: [{ name: "main", image: opts.image ?? "registry.example/aws-iam-authenticator:v0.6" }],
        },
      },
    },
  };
}

const ready = (p: V1Pod) => p.status?.conditions?.find((c) => c.type === "Ready")?.status === "True";

describe("DaemonSet controller", () => {
  let api: KubeApiEmulator;
  let core: CoreV1Api;
  let apps: AppsV1Api;
  let clients: ReturnType<typeof clientsFor>;
  const apply = (o: Obj) =>
    clients.objects.patch(o, undefined, undefined, "aws-iam", true, PatchStrategy.ServerSideApply);
  const podsOn = async (node: string, app: string) =>
    (
      await core.listNamespacedPod({
        namespace: "kube-system",
        fieldSelector: `spec.nodeName=${node}`,
        labelSelector: `app=${app}`,
      })
    ).items;

  before(async () => {
    api = await startKubeApiEmulator({ controlPlaneNodes: 3, workerNodes: 2 });
    clients = clientsFor(api);
    core = clients.kc.makeApiClient(CoreV1Api);
    apps = clients.kc.makeApiClient(AppsV1Api);
  });
  after(() => api.close());

  it("seeds tainted, labelled control-plane nodes", async () => {
    const nodes = (await core.listNode({ labelSelector: "node-role.kubernetes.io/control-plane" })).items;
    assert.deepEqual(
      nodes.map((n) => n.metadata?.name),
      ["control-plane-0", "control-plane-1", "control-plane-2"],
    );
    assert.deepEqual(
      nodes[0]?.spec?.taints?.map((t) => [t.key, t.effect]),
      [["node-role.kubernetes.io/control-plane", "NoSchedule"]],
    );
    assert.equal(nodes[0]?.metadata?.labels?.["node-role.kubernetes.io/control-plane"], "");
  });

  it("runs one pod per control-plane node when the template selects and tolerates them", async () => {
    await apply(daemonSet("iam", { tolerateControlPlane: true, onlyControlPlane: true }));
    const pods = (await core.listNamespacedPod({ namespace: "kube-system", labelSelector: "app=iam" })).items;
    assert.deepEqual(pods.map((p) => p.spec?.nodeName).sort(), [
      "control-plane-0",
      "control-plane-1",
      "control-plane-2",
    ]);
    for (const p of pods) {
      assert.match(p.metadata?.name ?? "", /^iam-[a-z0-9]{5}$/);
      assert.equal(p.metadata?.ownerReferences?.[0]?.kind, "DaemonSet");
      assert.equal(p.metadata?.ownerReferences?.[0]?.controller, true);
      assert.equal(p.metadata?.annotations?.["rev"], "1");
      assert.ok(ready(p));
    }
    const ds = await apps.readNamespacedDaemonSet({ name: "iam", namespace: "kube-system" });
    assert.equal(ds.status?.desiredNumberScheduled, 3);
    assert.equal(ds.status?.numberReady, 3);
    assert.equal(ds.status?.updatedNumberScheduled, 3);
    assert.equal(ds.status?.observedGeneration, ds.metadata?.generation);
  });

  it("keeps pods off tainted nodes the template does not tolerate", async () => {
    await apply(daemonSet("plain", { tolerateControlPlane: false }));
    const pods = (await core.listNamespacedPod({ namespace: "kube-system", labelSelector: "app=plain" }))
      .items;
    assert.deepEqual(pods.map((p) => p.spec?.nodeName).sort(), ["worker-0", "worker-1"]);
  });

  it("makes a pod Ready only after the scripted number of polls", async () => {
    api.scriptPod("control-plane-1", { state: "Ready", afterPolls: 2 });
    const seen = [];
    for (let i = 0; i < 3; i++) seen.push(ready((await podsOn("control-plane-1", "iam"))[0]!));
    assert.deepEqual(seen, [false, false, true]);
  });

  it("shows image pull failures and crash loops the way the kubelet reports them", async () => {
    api.scriptPod("control-plane-0", { state: "ImagePullBackOff" });
    const [pulling] = await podsOn("control-plane-0", "iam");
    const waiting = pulling?.status?.containerStatuses?.[0]?.state?.waiting;
    assert.equal(waiting?.reason, "ImagePullBackOff");
    assert.equal(waiting?.message, 'Back-off pulling image "registry.example/aws-iam-authenticator:v0.6"');
    assert.equal(pulling?.status?.phase, "Pending");

    api.scriptPod("control-plane-0", { state: "ErrImagePull" });
    const [failed] = await podsOn("control-plane-0", "iam");
    assert.equal(failed?.status?.containerStatuses?.[0]?.state?.waiting?.reason, "ErrImagePull");
    assert.match(
      failed?.status?.containerStatuses?.[0]?.state?.waiting?.message ?? "",
      /registry\.example\/aws-iam-authenticator:v0\.6/,
    );

    api.scriptPod("control-plane-0", { state: "CrashLoopBackOff", restartCount: 7 });
    const [crashing] = await podsOn("control-plane-0", "iam");
    const cs = crashing?.status?.containerStatuses?.[0];
    assert.equal(cs?.state?.waiting?.reason, "CrashLoopBackOff");
    assert.equal(cs?.restartCount, 7);
    assert.equal(cs?.lastState?.terminated?.exitCode, 1);
    const cond = crashing?.status?.conditions?.find((c) => c.type === "Ready");
    assert.deepEqual(
      [cond?.status, cond?.reason, cond?.message],
      ["False", "ContainersNotReady", "containers with unready status: [main]"],
    );
    const ds = await apps.readNamespacedDaemonSet({ name: "iam", namespace: "kube-system" });
    assert.equal(ds.status?.numberReady, 2);
    assert.equal(ds.status?.numberUnavailable, 1);
    api.scriptPod("control-plane-0", { state: "Ready" });
  });

  it("replaces pods when the template changes", async () => {
    const before = new Set(
      (await core.listNamespacedPod({ namespace: "kube-system", labelSelector: "app=iam" })).items.map(
        (p) => p.metadata?.name,
      ),
    );
    const changed = daemonSet("iam", {
      tolerateControlPlane: true,
      onlyControlPlane: true,
      image: "registry.example/aws-iam-authenticator:v0.7",
    });
    ((changed["spec"] as Obj)["template"] as { metadata: { annotations: Obj } }).metadata.annotations["rev"] =
      "2";
    await apply(changed);
    // control-plane-1 still needs one poll before its new pod is Ready; polling lets the rollout finish.
    for (let i = 0; i < 5; i++)
      await core.listNamespacedPod({ namespace: "kube-system", labelSelector: "app=iam" });
    const pods = (await core.listNamespacedPod({ namespace: "kube-system", labelSelector: "app=iam" })).items;
    assert.equal(pods.length, 3);
    for (const p of pods) {
      assert.ok(!before.has(p.metadata?.name), "every pod was replaced");
      assert.equal(p.metadata?.annotations?.["rev"], "2");
      assert.equal(p.spec?.containers[0]?.image, "registry.example/aws-iam-authenticator:v0.7");
    }
    const ds = await apps.readNamespacedDaemonSet({ name: "iam", namespace: "kube-system" });
    assert.equal(ds.metadata?.generation, 2);
    assert.equal(ds.status?.observedGeneration, 2);
    assert.equal(ds.status?.updatedNumberScheduled, 3);
  });

  it("deletes a DaemonSet's pods with it", async () => {
    await apps.deleteNamespacedDaemonSet({ name: "plain", namespace: "kube-system" });
    const pods = (await core.listNamespacedPod({ namespace: "kube-system", labelSelector: "app=plain" }))
      .items;
    assert.equal(pods.length, 0);
  });
});
