/** Maps API paths and verbs onto the cluster: discovery, resource CRUD, /status, health. */
import type { Cluster } from "./cluster.ts";
import * as discovery from "./discovery.ts";
import { type ApiError, badRequest, invalid, methodNotAllowed, pathNotFound } from "./errors.ts";
import type { Obj } from "./json.ts";
import { serveDiscovery } from "./oidc.ts";
import { apiVersionOf, type ResourceType, storeKey } from "./resources.ts";
import { parseFieldSelector, parseLabelSelector } from "./selectors.ts";
import { toTable, wantsTable } from "./table.ts";

export interface ApiRequest {
  method: string;
  path: string;
  query: URLSearchParams;
  contentType: string;
  accept: string;
  userAgent: string;
  body: string;
}

export interface ApiResponse {
  code: number;
  body: Obj | string;
  /** For string bodies that are not text/plain (the issuer discovery documents). */
  contentType?: string;
  headers?: Record<string, string>;
}

interface ResourcePath {
  type: ResourceType;
  namespace?: string;
  name?: string;
  subresource?: string;
}

function parseResourcePath(cluster: Cluster, group: string, version: string, rest: string[]): ResourcePath {
  const reg = cluster.registry;
  if (rest[0] === "namespaces" && rest.length >= 3 && reg.find(group, version, rest[2]!)?.namespaced) {
    if (rest.length > 5) throw pathNotFound();
    const type = reg.find(group, version, rest[2]!)!;
    return { type, namespace: rest[1]!, ...opt("name", rest[3]), ...opt("subresource", rest[4]) };
  }
  if (rest.length > 3) throw pathNotFound();
  const type = reg.find(group, version, rest[0]!);
  if (!type) throw pathNotFound();
  if (type.namespaced && rest.length > 1) throw pathNotFound();
  return { type, ...opt("name", rest[1]), ...opt("subresource", rest[2]) };
}

function opt<K extends string>(key: K, v: string | undefined): { [P in K]?: string } {
  return (v === undefined ? {} : { [key]: decodeURIComponent(v) }) as { [P in K]?: string };
}

function json(code: number, body: Obj | undefined): ApiResponse {
  if (!body) throw pathNotFound();
  return { code, body };
}

export function route(cluster: Cluster, req: ApiRequest, serverAddress: string): ApiResponse {
  const seg = req.path.split("/").filter((s) => s !== "");
  if (["/readyz", "/livez", "/healthz"].includes(req.path)) return { code: 200, body: "ok" };
  if (req.path === "/version") return json(200, discovery.versionInfo());
  const issuerDoc = serveDiscovery(cluster.serviceAccountIssuer, req.path, serverAddress);
  if (issuerDoc) {
    // go-restful routes only GET there (pkg/routes/openidmetadata.go Install); its 405 reaches the client as a
    // JSON Status, not go-restful's plain text, through the container's ServiceErrorHandler
    // (staging/src/k8s.io/apiserver/pkg/server/handler.go serviceErrorHandler → NewGenericServerResponse).
    if (req.method !== "GET") throw methodNotAllowed();
    return issuerDoc;
  }
  if (seg[0] === "api") {
    if (seg.length === 1) return json(200, discovery.coreVersions(serverAddress));
    if (seg.length === 2) return json(200, discovery.resourceList(cluster.registry, "", seg[1]!));
    return resource(cluster, req, parseResourcePath(cluster, "", seg[1]!, seg.slice(2)));
  }
  if (seg[0] === "apis") {
    if (seg.length === 1) return json(200, discovery.groupList(cluster.registry));
    if (seg.length === 2) return json(200, discovery.group(cluster.registry, seg[1]!));
    if (seg.length === 3) return json(200, discovery.resourceList(cluster.registry, seg[1]!, seg[2]!));
    return resource(cluster, req, parseResourcePath(cluster, seg[1]!, seg[2]!, seg.slice(3)));
  }
  throw pathNotFound();
}

function parseBody(raw: string): unknown {
  try {
    return JSON.parse(raw);
  } catch (e) {
    throw badRequest(`the object provided is unrecognized: ${(e as Error).message}`);
  }
}

/** Default field manager for writes without one: the User-Agent's product name, as the server does. */
function managerFor(req: ApiRequest): string {
  return req.query.get("fieldManager") || req.userAgent.split("/")[0] || "unknown";
}

function patchOptionsInvalid(
  field: string,
  type: "FieldValueRequired" | "FieldValueForbidden",
  message: string,
): ApiError {
  return invalid("PatchOptions", "meta.k8s.io", "", [{ type, field, message }]);
}

function resource(cluster: Cluster, req: ApiRequest, p: ResourcePath): ApiResponse {
  const { type: t, namespace: ns, name, subresource: sub } = p;
  if (sub !== undefined && sub !== "status") throw pathNotFound();
  if (sub === "status" && !t.statusSubresource) throw pathNotFound();
  const api = cluster.api;
  const opts = {
    fieldManager: managerFor(req),
    ...(sub === "status" ? { subresource: "status" as const } : {}),
  };
  const table = wantsTable(req.accept);
  const rv = () => cluster.store.currentRevision;

  if (name === undefined) {
    const labels = parseLabelSelector(req.query.get("labelSelector"));
    const fields = parseFieldSelector(req.query.get("fieldSelector"), t.kind);
    switch (req.method) {
      case "GET": {
        let items = api.list(t, ns, labels, fields);
        if (t.kind === "Pod") items = cluster.observePods(items);
        if (table) return { code: 200, body: toTable(items, rv(), req.query.get("includeObject")) };
        return {
          code: 200,
          body: {
            kind: `${t.kind}List`,
            apiVersion: apiVersionOf(t),
            metadata: { resourceVersion: rv() },
            items,
          },
        };
      }
      case "POST":
        if (t.namespaced && ns === undefined) throw methodNotAllowed();
        return { code: 201, body: api.create(t, ns, parseBody(req.body), opts) };
      case "DELETE": {
        const items = api.list(t, ns, labels, fields);
        for (const o of items)
          api.remove(
            t,
            ns ?? ((o["metadata"] as Obj)["namespace"] as string),
            (o["metadata"] as Obj)["name"] as string,
          );
        return {
          code: 200,
          body: {
            kind: `${t.kind}List`,
            apiVersion: apiVersionOf(t),
            metadata: { resourceVersion: rv() },
            items,
          },
        };
      }
      default:
        throw methodNotAllowed();
    }
  }

  switch (req.method) {
    case "GET": {
      let obj = api.get(t, ns, name);
      if (t.kind === "Pod") obj = cluster.observePods([obj])[0]!;
      return { code: 200, body: table ? toTable([obj], rv(), req.query.get("includeObject")) : obj };
    }
    case "PUT":
      return { code: 200, body: api.replace(t, ns, name, parseBody(req.body), opts) };
    case "PATCH": {
      const apply = req.contentType === "application/apply-patch+yaml";
      if (apply && !req.query.get("fieldManager")) {
        throw patchOptionsInvalid(
          "fieldManager",
          "FieldValueRequired",
          "Required value: is required for apply patch",
        );
      }
      if (!apply && req.query.has("force")) {
        throw patchOptionsInvalid(
          "force",
          "FieldValueForbidden",
          "Forbidden: may not be specified for non-apply patch",
        );
      }
      const force = req.query.get("force") === "true";
      const existed = apply && cluster.store.get(storeKey(t), ns, name) !== undefined;
      const body = api.patch(t, ns, name, req.contentType, req.body, { ...opts, force });
      return { code: apply && !existed ? 201 : 200, body };
    }
    case "DELETE":
      if (sub) throw methodNotAllowed();
      return { code: 200, body: api.remove(t, ns, name) };
    default:
      throw methodNotAllowed();
  }
}
