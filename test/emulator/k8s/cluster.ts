/** The emulated cluster behind the HTTP front: API semantics plus the controllers that make
 * it look alive (kubelet pod status, DaemonSets), seeded namespaces and nodes. */
import { KubeApi } from "./api.ts";
import { DaemonSetController } from "./daemonset-controller.ts";
import { deepEqual, isObj, type Obj, str } from "./json.ts";
import { Kubelet, type KubeletSnapshot, type PodBehaviour } from "./kubelet.ts";
import { type NodeOptions, nodeObject } from "./nodes.ts";
import { type IssuerFlags, ServiceAccountIssuer } from "./oidc.ts";
import { ResourceRegistry, type ResourceType, storeKey } from "./resources.ts";
import { nameOf, namespaceOf, ObjectStore, type StoreSnapshot, uidOf } from "./store.ts";

function builtinType(registry: ResourceRegistry, apiVersion: string, kind: string): ResourceType {
  const t = registry.byKind(apiVersion, kind);
  if (!t) throw new Error(`built-in ${kind} missing`);
  return t;
}

export interface ClusterSnapshot {
  readonly store: StoreSnapshot;
  readonly types: readonly ResourceType[];
  readonly kubelet: KubeletSnapshot;
  readonly issuer: IssuerFlags;
  readonly nodeCount: number;
}

export class Cluster {
  readonly store = new ObjectStore();
  readonly registry = new ResourceRegistry();
  readonly api = new KubeApi(this.store, this.registry);
  readonly kubelet = new Kubelet();
  /** The --service-account-issuer/--service-account-jwks-uri flags and signing key behind OIDC discovery. */
  readonly serviceAccountIssuer = new ServiceAccountIssuer();
  private readonly pod = builtinType(this.registry, "v1", "Pod");
  private readonly node = builtinType(this.registry, "v1", "Node");
  private readonly daemonsets: DaemonSetController;
  private nodeCount = 0;
  /** Store revision and kubelet version after the last reconcile that wrote nothing. */
  private quietAt: string | undefined;

  constructor() {
    this.daemonsets = new DaemonSetController(
      this.api,
      { ds: builtinType(this.registry, "apps/v1", "DaemonSet"), pod: this.pod, node: this.node },
      (pod) => this.kubelet.statusOf(pod),
    );
    const ns = builtinType(this.registry, "v1", "Namespace");
    for (const name of ["default", "kube-system", "kube-public", "kube-node-lease"]) {
      this.api.writeInternal(ns, { apiVersion: "v1", kind: "Namespace", metadata: { name } });
    }
  }

  addNode(opts: NodeOptions): Obj {
    return this.api.writeInternal(this.node, nodeObject(opts, this.nodeCount++));
  }

  /** The whole cluster as it is now (objects, revision, served types, kubelet scripts, issuer flags). */
  snapshot(): ClusterSnapshot {
    return {
      store: this.store.snapshot(),
      types: this.registry.snapshot(),
      kubelet: this.kubelet.snapshot(),
      issuer: { ...this.serviceAccountIssuer.flags },
      nodeCount: this.nodeCount,
    };
  }

  /** Back to `snapshot`: as if nothing had happened since it was taken. */
  restore(snapshot: ClusterSnapshot): void {
    this.store.restore(snapshot.store);
    this.registry.restore(snapshot.types);
    this.kubelet.restore(snapshot.kubelet);
    this.serviceAccountIssuer.flags = { ...snapshot.issuer };
    this.nodeCount = snapshot.nodeCount;
    this.quietAt = undefined;
  }

  /** Let the controllers catch up with whatever changed. */
  reconcile(): void {
    this.syncPods();
    this.daemonsets.reconcileAll();
    this.syncPods();
  }

  /** reconcile(), unless nothing changed since one that wrote nothing: the controllers and the kubelet
   * answer from the stored objects and the kubelet's scripts and poll counts alone (no clock), so on the
   * same state they would write nothing again. The HTTP front calls this before every request. */
  reconcileIfChanged(): void {
    const state = `${this.store.currentRevision}/${this.kubelet.version}`;
    if (state === this.quietAt) return;
    this.reconcile();
    this.quietAt = `${this.store.currentRevision}/${this.kubelet.version}` === state ? state : undefined;
  }

  private syncPods(): void {
    for (const pod of this.store.list(storeKey(this.pod))) {
      const status = this.kubelet.statusOf(pod);
      if (status && !deepEqual(status, pod["status"])) this.api.writeInternal(this.pod, { ...pod, status });
    }
  }

  /** A client read pods: count the poll, and let scripted readiness advance before answering. */
  observePods(pods: Obj[]): Obj[] {
    return pods.map((pod) => {
      const uid = uidOf(pod);
      if (!uid) return pod;
      this.kubelet.observed(uid);
      const status = this.kubelet.statusOf(pod);
      if (!status || deepEqual(status, pod["status"])) return pod;
      return this.api.writeInternal(this.pod, { ...pod, status });
    });
  }

  scriptPods(nodeName: string, behaviour: PodBehaviour): void {
    const uids = this.store
      .list(storeKey(this.pod))
      .filter((p) => isObj(p["spec"]) && str(p["spec"]["nodeName"]) === nodeName)
      .map((p) => uidOf(p) ?? "");
    this.kubelet.script(nodeName, behaviour, uids);
    this.reconcile();
  }

  /** Stored objects, optionally of one kind (`ConfigMap`) or plural (`configmaps`). */
  objects(kind?: string): Obj[] {
    const types = this.registry
      .all()
      .filter((t) => !kind || t.kind === kind || t.plural === kind)
      .filter((t, i, all) => all.findIndex((x) => storeKey(x) === storeKey(t)) === i);
    return types.flatMap((t) =>
      this.store
        .list(storeKey(t))
        .map((o) => ({ ...o, apiVersion: o["apiVersion"] ?? t.version, kind: t.kind })),
    );
  }

  find(kind: string, name: string, namespace?: string): Obj | undefined {
    return this.objects(kind).find(
      (o) => nameOf(o) === name && (namespace === undefined || namespaceOf(o) === namespace),
    );
  }
}
