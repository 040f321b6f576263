// The seam between the reconcile and Kubernetes: everything the charm asks of the API server.
// Type-only on purpose, so reconcile code and tests can hold a KubeClient without loading client-node.
import type { KubernetesObject, V1Node, V1Pod } from "@kubernetes/client-node";

export interface KindRef {
  readonly apiVersion: string;
  readonly kind: string;
}

export interface ObjectRef extends KindRef {
  readonly name: string;
  /** Absent for cluster-scoped kinds. */
  readonly namespace?: string | undefined;
}

/** The part of a DaemonSet that says how its rollout is going. */
export interface DaemonSetState {
  readonly namespace: string;
  readonly name: string;
  readonly generation: number;
  /** Generation the controller has acted on; below `generation` means the status is stale. */
  readonly observedGeneration: number;
  readonly desired: number;
  readonly ready: number;
  readonly updated: number;
  /** The image of the first container of the pod template. */
  readonly image: string | undefined;
}

/**
 * Every method throws KubeUnreachable (after bounded retries) or KubeRejected (4xx), never a raw
 * client-node error, and never with Secret data in the message.
 */
export interface KubeClient {
  /** Server-side applies each object in order under `fieldManager` (forced: we own these fields). */
  apply(objects: readonly KubernetesObject[], fieldManager: string): Promise<KubernetesObject[]>;
  /** One LIST per kind, across all namespaces, with `selector`; items carry apiVersion and kind. */
  listOwned(selector: string, kinds: readonly KindRef[]): Promise<KubernetesObject[]>;
  /** One GET; undefined when it does not exist. */
  read(ref: ObjectRef): Promise<KubernetesObject | undefined>;
  /** Deletes (dependents in the background); false when it was already gone. */
  delete(ref: ObjectRef): Promise<boolean>;
  listNodes(selector?: string): Promise<V1Node[]>;
  /** Pods matching `selector` in `namespace` scheduled on `node` (a field selector: one small LIST). */
  podsOnNode(node: string, namespace: string, selector: string): Promise<V1Pod[]>;
  /** Pods matching `selector` in `namespace`, on every node. */
  listPods(namespace: string, selector: string): Promise<V1Pod[]>;
  daemonSetStatus(namespace: string, name: string): Promise<DaemonSetState | undefined>;
  /** False when the kubeconfig skips verifying the server's certificate (insecure-skip-tls-verify). */
  readonly verifiesServer: boolean;
  /** One GET of a path outside the resource API (e.g. /openid/v1/jwks), on the client's one connection:
   * any HTTP status is an answer, the body as served (at most 1 MiB). */
  getPath(path: string): Promise<PathAnswer>;
}

export interface PathAnswer {
  readonly status: number;
  readonly body: string;
}

export function refOf(object: KubernetesObject): ObjectRef {
  return {
    apiVersion: object.apiVersion ?? "v1",
    kind: object.kind ?? "",
    name: object.metadata?.name ?? "",
    namespace: object.metadata?.namespace,
  };
}

/** "DaemonSet kube-system/aws-iam-authenticator": how requests and objects are named in messages. */
export function describeRef(ref: ObjectRef): string {
  return `${ref.kind} ${ref.namespace ? `${ref.namespace}/` : ""}${ref.name}`;
}

/** Identity of an object for set comparisons. */
export function refKey(ref: ObjectRef): string {
  return `${ref.apiVersion}|${ref.kind}|${ref.namespace ?? ""}|${ref.name}`;
}
