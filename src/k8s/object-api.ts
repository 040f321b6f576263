// client-node's generic object client with four changes: discovery answered from a fixed table (no
// request per API group and hook), a timeout on every request, one kept-alive connection for all of a
// client's requests, and GETs of paths outside the resource API on that same connection.
import { Agent } from "node:https";
import {
  type Configuration,
  HttpMethod,
  type KubeConfig,
  type KubernetesObject,
  KubernetesObjectApi,
  type RequestContext,
  type V1APIResourceList,
} from "@kubernetes/client-node";
import { type HttpsAnswer, httpsRequest } from "./https-request.ts";
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
  private keptAlive: Agent | undefined;

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
    // client-node builds a new https.Agent for every request (config.js applySecurityAuthentication), so
    // every request paid a TCP and TLS handshake: a no-change leader hook makes 12. The same TLS options
    // (CA, client certificate) on one kept-alive agent make that one handshake. A proxy's agent is left as
    // built. Idle kept-alive sockets do not hold the hook's process open (Node unrefs them).
    const setAgent = requestContext.setAgent.bind(requestContext);
    requestContext.setAgent = (agent) => setAgent(this.reuse(agent));
    return super.requestPromise<T>(requestContext, type, options);
  }

  /**
   * One GET of `path` (e.g. /openid/v1/jwks) with the credentials and the kept-alive connection every
   * other request of this client uses, so it costs no handshake of its own; the body as served, not
   * parsed. Authenticated the way requestPromise is (the kubeconfig is the configuration's default auth).
   */
  async getPath(path: string, maxBytes: number): Promise<HttpsAnswer> {
    const context = this.configuration.baseServer.makeRequestContext(path, HttpMethod.GET);
    await this.configuration.authMethods.default?.applySecurityAuthentication(context);
    return httpsRequest(new URL(context.getUrl()), {
      method: "GET",
      headers: context.getHeaders(),
      agent: this.reuse(context.getAgent()),
      timeoutMs: this.timeoutMs,
      maxBytes,
    });
  }

  private reuse(agent: unknown): Agent {
    if (!(agent instanceof Agent) || agent.constructor !== Agent) return agent as Agent;
    this.keptAlive ??= new Agent({ ...agent.options, keepAlive: true });
    return this.keptAlive;
  }
}
