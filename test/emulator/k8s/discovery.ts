/** Legacy (non-aggregated) discovery documents. We always answer in this form, with
 * Content-Type application/json, so clients that asked for aggregated discovery fall back. */
import type { Obj } from "./json.ts";
import { apiVersionOf, type ResourceRegistry, type ResourceType } from "./resources.ts";

const VERBS = ["create", "delete", "deletecollection", "get", "list", "patch", "update", "watch"];

export function versionInfo(): Obj {
  return {
    major: "1",
    minor: "32",
    gitVersion: "v1.32.0-emulator",
    gitCommit: "0000000000000000000000000000000000000000",
    gitTreeState: "clean",
    buildDate: "2024-12-11T00:00:00Z",
    goVersion: "go1.23.3",
    compiler: "gc",
    platform: "linux/amd64",
  };
}

export function coreVersions(serverAddress: string): Obj {
  return {
    kind: "APIVersions",
    versions: ["v1"],
    serverAddressByClientCIDRs: [{ clientCIDR: "0.0.0.0/0", serverAddress }],
  };
}

function groupDoc(name: string, versions: string[]): Obj {
  const gvs = versions.map((v) => ({ groupVersion: `${name}/${v}`, version: v }));
  return { name, versions: gvs, preferredVersion: gvs[0] };
}

export function groupList(registry: ResourceRegistry): Obj {
  const groups = [...registry.groups()].filter(([g]) => g !== "").map(([g, v]) => groupDoc(g, v));
  return { kind: "APIGroupList", apiVersion: "v1", groups };
}

export function group(registry: ResourceRegistry, name: string): Obj | undefined {
  const versions = registry.groups().get(name);
  if (!name || !versions) return undefined;
  return { kind: "APIGroup", apiVersion: "v1", ...groupDoc(name, versions) };
}

function resourceEntries(t: ResourceType): Obj[] {
  const main: Obj = {
    name: t.plural,
    singularName: t.singular,
    namespaced: t.namespaced,
    kind: t.kind,
    verbs: VERBS,
  };
  if (t.shortNames.length > 0) main["shortNames"] = t.shortNames;
  if (t.categories.length > 0) main["categories"] = t.categories;
  const out = [main];
  if (t.statusSubresource) {
    out.push({
      name: `${t.plural}/status`,
      singularName: "",
      namespaced: t.namespaced,
      kind: t.kind,
      verbs: ["get", "patch", "update"],
    });
  }
  return out;
}

export function resourceList(
  registry: ResourceRegistry,
  groupName: string,
  version: string,
): Obj | undefined {
  const types = registry.all().filter((t) => t.group === groupName && t.version === version);
  if (types.length === 0) return undefined;
  return {
    kind: "APIResourceList",
    apiVersion: "v1",
    groupVersion: apiVersionOf({ group: groupName, version }),
    resources: types.flatMap(resourceEntries),
  };
}
