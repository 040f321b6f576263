/** A small DaemonSet controller: one pod per eligible node, a rolling replacement of pods whose
 * template is out of date (gated by readiness and maxUnavailable), and the DaemonSet status. */
import { createHash } from "node:crypto";
import type { KubeApi } from "./api.ts";
import { clone, isObj, meta, type Obj, randomSuffix, str } from "./json.ts";
import type { ResourceType } from "./resources.ts";
import { nodeEligible } from "./scheduling.ts";
import { nameOf, uidOf } from "./store.ts";

/** Tolerations the real controller adds to every daemon pod. */
const DAEMON_TOLERATIONS: Obj[] = [
  { key: "node.kubernetes.io/not-ready", operator: "Exists", effect: "NoExecute" },
  { key: "node.kubernetes.io/unreachable", operator: "Exists", effect: "NoExecute" },
  { key: "node.kubernetes.io/disk-pressure", operator: "Exists", effect: "NoSchedule" },
  { key: "node.kubernetes.io/memory-pressure", operator: "Exists", effect: "NoSchedule" },
  { key: "node.kubernetes.io/pid-pressure", operator: "Exists", effect: "NoSchedule" },
  { key: "node.kubernetes.io/unschedulable", operator: "Exists", effect: "NoSchedule" },
];

export function templateHash(template: unknown): string {
  return createHash("sha256").update(JSON.stringify(template)).digest("hex").slice(0, 10);
}

export function isPodReady(pod: Obj): boolean {
  const status = isObj(pod["status"]) ? pod["status"] : {};
  const conds = Array.isArray(status["conditions"]) ? status["conditions"] : [];
  return conds.some((c) => isObj(c) && c["type"] === "Ready" && c["status"] === "True");
}

function podSpecWithTolerations(template: Obj): Obj {
  const spec = clone(isObj(template["spec"]) ? template["spec"] : {});
  const existing = Array.isArray(spec["tolerations"]) ? spec["tolerations"] : [];
  const extra = DAEMON_TOLERATIONS.filter((t) => !existing.some((e) => isObj(e) && e["key"] === t["key"]));
  spec["tolerations"] = [...existing, ...extra];
  return spec;
}

export class DaemonSetController {
  constructor(
    private readonly api: KubeApi,
    private readonly types: { ds: ResourceType; pod: ResourceType; node: ResourceType },
    private readonly initialPodStatus: (pod: Obj) => Obj | undefined,
  ) {}

  reconcileAll(): void {
    for (const ds of this.api.list(
      this.types.ds,
      undefined,
      () => true,
      () => true,
    ))
      this.reconcile(ds);
  }

  private ownedPods(ds: Obj): Obj[] {
    const uid = uidOf(ds);
    return this.api
      .list(
        this.types.pod,
        str(meta(ds)["namespace"]),
        () => true,
        () => true,
      )
      .filter((p) => {
        const refs = meta(p)["ownerReferences"];
        return (
          Array.isArray(refs) && refs.some((r) => isObj(r) && r["uid"] === uid && r["controller"] === true)
        );
      });
  }

  private createPod(ds: Obj, template: Obj, node: string, hash: string): void {
    const tmd = isObj(template["metadata"]) ? template["metadata"] : {};
    const dsName = nameOf(ds);
    const pod: Obj = {
      apiVersion: "v1",
      kind: "Pod",
      metadata: {
        name: `${dsName}-${randomSuffix()}`,
        generateName: `${dsName}-`,
        namespace: meta(ds)["namespace"],
        labels: {
          ...(isObj(tmd["labels"]) ? tmd["labels"] : {}),
          "controller-revision-hash": hash,
          "pod-template-generation": String(meta(ds)["generation"] ?? 1),
        },
        ...(isObj(tmd["annotations"]) ? { annotations: clone(tmd["annotations"]) } : {}),
        ownerReferences: [
          {
            apiVersion: "apps/v1",
            kind: "DaemonSet",
            name: dsName,
            uid: uidOf(ds),
            controller: true,
            blockOwnerDeletion: true,
          },
        ],
      },
      spec: { ...podSpecWithTolerations(template), nodeName: node },
    };
    const created = this.api.writeInternal(this.types.pod, pod);
    const status = this.initialPodStatus(created);
    if (status) this.api.writeInternal(this.types.pod, { ...created, status });
  }

  reconcile(ds: Obj): void {
    const spec = isObj(ds["spec"]) ? ds["spec"] : {};
    const template = isObj(spec["template"]) ? spec["template"] : {};
    const podSpec = podSpecWithTolerations(template);
    const hash = templateHash(template);
    const nodes = this.api.list(
      this.types.node,
      undefined,
      () => true,
      () => true,
    );
    const eligible = new Set(nodes.filter((n) => nodeEligible(podSpec, n)).map(nameOf));
    const ns = str(meta(ds)["namespace"]);
    const nodeOf = (p: Obj) => str((p["spec"] as Obj | undefined)?.["nodeName"]) ?? "";
    const hashOf = (p: Obj) => str((meta(p)["labels"] as Obj | undefined)?.["controller-revision-hash"]);

    // Pods on nodes that no longer qualify, and duplicates, go away.
    const seen = new Set<string>();
    for (const p of this.ownedPods(ds)) {
      const node = nodeOf(p);
      if (!eligible.has(node) || seen.has(node)) this.api.removeInternal(this.types.pod, ns, nameOf(p));
      else seen.add(node);
    }
    for (const node of eligible) if (!seen.has(node)) this.createPod(ds, template, node, hash);

    // Rolling update: replace out-of-date pods while unavailable pods stay within maxUnavailable.
    const strategy = isObj(spec["updateStrategy"]) ? spec["updateStrategy"] : {};
    if (strategy["type"] !== "OnDelete") {
      const rolling = isObj(strategy["rollingUpdate"]) ? strategy["rollingUpdate"] : {};
      const maxUnavailable =
        typeof rolling["maxUnavailable"] === "number" ? Math.max(1, rolling["maxUnavailable"]) : 1;
      let pods = this.ownedPods(ds);
      for (const old of pods.filter((p) => hashOf(p) !== hash)) {
        const unavailable = pods.filter((p) => !isPodReady(p)).length;
        if (unavailable >= maxUnavailable && isPodReady(old)) continue;
        this.api.removeInternal(this.types.pod, ns, nameOf(old));
        this.createPod(ds, template, nodeOf(old), hash);
        pods = this.ownedPods(ds);
      }
    }
    this.writeStatus(ds, eligible, hash);
  }

  private writeStatus(ds: Obj, eligible: Set<string>, hash: string): void {
    const pods = this.ownedPods(ds);
    const ready = pods.filter(isPodReady).length;
    const updated = pods.filter(
      (p) => (meta(p)["labels"] as Obj | undefined)?.["controller-revision-hash"] === hash,
    ).length;
    const desired = eligible.size;
    const status: Obj = {
      currentNumberScheduled: pods.length,
      desiredNumberScheduled: desired,
      numberMisscheduled: 0,
      numberReady: ready,
      observedGeneration: meta(ds)["generation"] ?? 1,
    };
    if (ready > 0) status["numberAvailable"] = ready;
    if (desired - ready > 0) status["numberUnavailable"] = desired - ready;
    if (updated > 0) status["updatedNumberScheduled"] = updated;
    this.api.writeInternal(this.types.ds, { ...ds, status });
  }
}
