// client-node's generic object client with two changes: discovery answered from a fixed table (no
// request per API group and hook), a timeout on every request.
import {
  type Configuration,
  type KubeConfig,
  type KubernetesObject,
  KubernetesObjectApi,
  type RequestContext,
  type V1APIResourceList,
} from "@kubernetes/client-node";
import type { KnownResource } from "./known-resources.ts";

function resourceLists(known: readonly KnownResource[]): Record<string, V1APIResourceList> {
  const lists: Record<string, V1APIResourceList> = {};
  for (const resource of known) {
    lists[resource.apiVersion] ??= { groupVersion: resource.apiVersion, resources: [] };
    const list = lists[resource.apiVersion]!;
    list.resources.push({
      name: resource.plural,
      kind: resource.kind,
      namespaced: resource.namespaced,
      singularName: resource.kind.toLowerCase(),
      verbs: ["create", "delete", "get", "list", "patch", "update", "watch"],
    });
  }
  return lists;
}

export class TimedObjectApi extends KubernetesObjectApi {
  private timeoutMs = 5000;

  /** Built like KubernetesObjectApi.makeApiClient, then primed with `known` and given a timeout. */
  static create(kubeConfig: KubeConfig, known: readonly KnownResource[], timeoutMs: number): TimedObjectApi {
    const api = kubeConfig.makeApiClient(TimedObjectApi);
    api.setDefaultNamespace(kubeConfig);
    api.timeoutMs = timeoutMs;
    // Unknown kinds still fall back to real discovery (client-node refetches on a cache miss).
    api.apiVersionResourceCache = resourceLists(known);
    return api;
  }

  protected override requestPromise<T extends KubernetesObject>(
    requestContext: RequestContext,
    type?: string,
    options?: Configuration,
  ): Promise<T> {
    // Covers connect, headers and body: a stuck API server costs at most timeoutMs per attempt.
    requestContext.setSignal(AbortSignal.timeout(this.timeoutMs));
    return super.requestPromise<T>(requestContext, type, options);
  }
}
