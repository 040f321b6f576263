// KubeClient over @kubernetes/client-node: the one place requests are made, retried and classified.
import {
  type KubeConfig,
  type KubernetesObject,
  PatchStrategy,
  type V1DaemonSet,
  type V1Node,
  type V1Pod,
} from "@kubernetes/client-node";
import type { DaemonSetState, KindRef, KubeClient, ObjectRef, PathAnswer } from "./client.ts";
import { describeRef, refOf } from "./client.ts";
import { KubeRejected, KubeUnreachable } from "./errors.ts";
import { KNOWN_RESOURCES } from "./known-resources.ts";
import { TimedObjectApi } from "./object-api.ts";
import { DEFAULT_RETRY, type RetryPolicy, withRetry } from "./retry.ts";
import { secretValues } from "./scrub.ts";

export interface ClientOptions extends Partial<RetryPolicy> {
  /** Per attempt, connect to last byte. @default 5000 */
  readonly timeoutMs?: number;
}

/** Far above what getPath reads (discovery documents of a few KiB). */
const MAX_PATH_ANSWER_BYTES = 1024 * 1024;

export class NodeKubeClient implements KubeClient {
  readonly verifiesServer: boolean;
  private readonly api: TimedObjectApi;
  private readonly policy: RetryPolicy;
  /** Once the server is found unreachable, later calls in this hook fail at once instead of each waiting. */
  private unreachable: KubeUnreachable | undefined;

  constructor(kubeConfig: KubeConfig, options: ClientOptions = {}) {
    this.api = TimedObjectApi.create(kubeConfig, KNOWN_RESOURCES, options.timeoutMs ?? 5000);
    this.verifiesServer = kubeConfig.getCurrentCluster()?.skipTLSVerify !== true;
    this.policy = {
      retries: options.retries ?? DEFAULT_RETRY.retries,
      backoffMs: options.backoffMs ?? DEFAULT_RETRY.backoffMs,
      sleep: options.sleep ?? DEFAULT_RETRY.sleep,
    };
  }

  private async call<T>(
    what: string,
    request: () => Promise<T>,
    secrets: readonly string[] = [],
  ): Promise<T> {
    if (this.unreachable) throw this.unreachable;
    try {
      return await withRetry(what, request, this.policy, secrets);
    } catch (error) {
      if (error instanceof KubeUnreachable) this.unreachable = error;
      throw error;
    }
  }

  async apply(objects: readonly KubernetesObject[], fieldManager: string): Promise<KubernetesObject[]> {
    const applied: KubernetesObject[] = [];
    for (const object of objects) {
      const secrets = secretValues([object]);
      const what = `apply ${describeRef(refOf(object))}`;
      // A copy: client-node fills in a default namespace on the object it is given.
      const live = await this.call(
        what,
        () =>
          this.api.patch(
            structuredClone(object),
            undefined,
            undefined,
            fieldManager,
            true,
            PatchStrategy.ServerSideApply,
          ),
        secrets,
      );
      applied.push(live);
    }
    return applied;
  }

  async listOwned(selector: string, kinds: readonly KindRef[]): Promise<KubernetesObject[]> {
    const found: KubernetesObject[] = [];
    for (const { apiVersion, kind } of kinds) {
      const list = await this.call(`list ${kind} -l ${selector}`, () =>
        this.api.list(apiVersion, kind, undefined, undefined, undefined, undefined, undefined, selector),
      );
      // List items come without apiVersion/kind.
      for (const item of list.items) found.push({ ...item, apiVersion, kind });
    }
    return found;
  }

  async read(ref: ObjectRef): Promise<KubernetesObject | undefined> {
    try {
      return await this.call(`get ${describeRef(ref)}`, () => this.api.read(header(ref)));
    } catch (error) {
      if (error instanceof KubeRejected && error.code === 404) return undefined;
      throw error;
    }
  }

  async delete(ref: ObjectRef): Promise<boolean> {
    try {
      await this.call(`delete ${describeRef(ref)}`, () =>
        this.api.delete(header(ref), undefined, undefined, undefined, undefined, "Background"),
      );
      return true;
    } catch (error) {
      if (error instanceof KubeRejected && error.code === 404) return false;
      throw error;
    }
  }

  async listNodes(selector?: string): Promise<V1Node[]> {
    const list = await this.call(`list Node${selector ? ` -l ${selector}` : ""}`, () =>
      this.api.list<V1Node>("v1", "Node", undefined, undefined, undefined, undefined, undefined, selector),
    );
    return list.items;
  }

  async podsOnNode(node: string, namespace: string, selector: string): Promise<V1Pod[]> {
    const list = await this.call(`list Pod on ${node}`, () =>
      this.api.list<V1Pod>(
        "v1",
        "Pod",
        namespace,
        undefined,
        undefined,
        undefined,
        `spec.nodeName=${node}`,
        selector,
      ),
    );
    return list.items;
  }

  async listPods(namespace: string, selector: string): Promise<V1Pod[]> {
    const list = await this.call(`list Pod -l ${selector}`, () =>
      this.api.list<V1Pod>("v1", "Pod", namespace, undefined, undefined, undefined, undefined, selector),
    );
    return list.items;
  }

  async getPath(path: string): Promise<PathAnswer> {
    return this.call(`GET ${path}`, () => this.api.getPath(path, MAX_PATH_ANSWER_BYTES));
  }

  async daemonSetStatus(namespace: string, name: string): Promise<DaemonSetState | undefined> {
    const ds = (await this.read({ apiVersion: "apps/v1", kind: "DaemonSet", namespace, name })) as
      | V1DaemonSet
      | undefined;
    if (!ds) return undefined;
    return {
      namespace,
      name,
      generation: ds.metadata?.generation ?? 0,
      observedGeneration: ds.status?.observedGeneration ?? 0,
      desired: ds.status?.desiredNumberScheduled ?? 0,
      ready: ds.status?.numberReady ?? 0,
      updated: ds.status?.updatedNumberScheduled ?? 0,
      image: ds.spec?.template.spec?.containers[0]?.image,
    };
  }
}

function header(ref: ObjectRef): KubernetesObject & { metadata: { name: string } } {
  return {
    apiVersion: ref.apiVersion,
    kind: ref.kind,
    metadata: { name: ref.name, ...(ref.namespace !== undefined && { namespace: ref.namespace }) },
  };
}
