/** The served resource types: built-ins plus whatever CustomResourceDefinitions declare. */
import { isObj, type Obj, str } from "./json.ts";

export interface ResourceType {
  group: string;
  version: string;
  kind: string;
  plural: string;
  singular: string;
  namespaced: boolean;
  shortNames: string[];
  categories: string[];
  /** Writes to the main resource ignore `.status`, and `/status` writes only touch `.status`. */
  statusSubresource: boolean;
  /** Built-ins get the well-known keyed lists (containers by name, ...); custom resources treat lists as atomic. */
  builtin: boolean;
  /** Name of the CRD that serves this type, if any. */
  crd?: string;
}

export function apiVersionOf(t: { group: string; version: string }): string {
  return t.group ? `${t.group}/${t.version}` : t.version;
}

/** Where objects live in the store: every version of a group/plural shares one bucket. */
export function storeKey(t: { group: string; plural: string }): string {
  return `${t.group}/${t.plural}`;
}

function builtin(
  group: string,
  version: string,
  kind: string,
  plural: string,
  namespaced: boolean,
  opts: { short?: string[]; status?: boolean; all?: boolean } = {},
): ResourceType {
  return {
    group,
    version,
    kind,
    plural,
    singular: kind.toLowerCase(),
    namespaced,
    shortNames: opts.short ?? [],
    categories: opts.all ? ["all"] : [],
    statusSubresource: opts.status ?? false,
    builtin: true,
  };
}

const BUILTINS: ResourceType[] = [
  builtin("", "v1", "Namespace", "namespaces", false, { short: ["ns"], status: true }),
  builtin("", "v1", "Node", "nodes", false, { short: ["no"], status: true }),
  builtin("", "v1", "Pod", "pods", true, { short: ["po"], status: true, all: true }),
  builtin("", "v1", "Service", "services", true, { short: ["svc"], status: true, all: true }),
  builtin("", "v1", "ConfigMap", "configmaps", true, { short: ["cm"] }),
  builtin("", "v1", "Secret", "secrets", true),
  builtin("", "v1", "ServiceAccount", "serviceaccounts", true, { short: ["sa"] }),
  builtin("", "v1", "Event", "events", true, { short: ["ev"] }),
  builtin("apps", "v1", "DaemonSet", "daemonsets", true, { short: ["ds"], status: true, all: true }),
  builtin("apps", "v1", "Deployment", "deployments", true, { short: ["deploy"], status: true, all: true }),
  builtin("rbac.authorization.k8s.io", "v1", "ClusterRole", "clusterroles", false),
  builtin("rbac.authorization.k8s.io", "v1", "ClusterRoleBinding", "clusterrolebindings", false),
  builtin("rbac.authorization.k8s.io", "v1", "Role", "roles", true),
  builtin("rbac.authorization.k8s.io", "v1", "RoleBinding", "rolebindings", true),
  // Cluster-scoped: pkg/registry/admissionregistration/mutatingwebhookconfiguration/strategy.go NamespaceScoped.
  builtin(
    "admissionregistration.k8s.io",
    "v1",
    "MutatingWebhookConfiguration",
    "mutatingwebhookconfigurations",
    false,
  ),
  builtin("apiextensions.k8s.io", "v1", "CustomResourceDefinition", "customresourcedefinitions", false, {
    short: ["crd", "crds"],
    status: true,
  }),
];

/** The served types for a CRD object (one per served version). */
export function typesFromCrd(crd: Obj): ResourceType[] {
  const spec = isObj(crd["spec"]) ? crd["spec"] : {};
  const names = isObj(spec["names"]) ? spec["names"] : {};
  const group = str(spec["group"]) ?? "";
  const kind = str(names["kind"]) ?? "";
  const plural = str(names["plural"]) ?? "";
  const crdName = isObj(crd["metadata"]) ? str(crd["metadata"]["name"]) : undefined;
  const versions = Array.isArray(spec["versions"]) ? spec["versions"].filter(isObj) : [];
  return versions
    .filter((v) => v["served"] !== false)
    .map((v) => {
      const subresources = isObj(v["subresources"]) ? v["subresources"] : {};
      return {
        group,
        version: str(v["name"]) ?? "v1",
        kind,
        plural,
        singular: str(names["singular"]) ?? kind.toLowerCase(),
        namespaced: spec["scope"] !== "Cluster",
        shortNames: Array.isArray(names["shortNames"])
          ? names["shortNames"].filter((s) => typeof s === "string")
          : [],
        categories: Array.isArray(names["categories"])
          ? names["categories"].filter((s) => typeof s === "string")
          : [],
        statusSubresource: isObj(subresources["status"]),
        builtin: false,
        ...(crdName ? { crd: crdName } : {}),
      };
    });
}

export class ResourceRegistry {
  private readonly types: ResourceType[] = [...BUILTINS];

  all(): readonly ResourceType[] {
    return this.types;
  }

  find(group: string, version: string, plural: string): ResourceType | undefined {
    return this.types.find((t) => t.group === group && t.version === version && t.plural === plural);
  }

  byKind(apiVersion: string, kind: string): ResourceType | undefined {
    return this.types.find((t) => apiVersionOf(t) === apiVersion && t.kind === kind);
  }

  /** Replace whatever a CRD served before with what it declares now. */
  registerCrd(crd: Obj): void {
    const name = isObj(crd["metadata"]) ? str(crd["metadata"]["name"]) : undefined;
    if (name) this.unregisterCrd(name);
    this.types.push(...typesFromCrd(crd));
  }

  /** The types served now, for restore(). */
  snapshot(): readonly ResourceType[] {
    return [...this.types];
  }

  restore(types: readonly ResourceType[]): void {
    this.types.splice(0, this.types.length, ...types);
  }

  unregisterCrd(name: string): void {
    for (let i = this.types.length - 1; i >= 0; i--) if (this.types[i]!.crd === name) this.types.splice(i, 1);
  }

  /** Group -> versions, in registration order ("" is the legacy core group). */
  groups(): Map<string, string[]> {
    const out = new Map<string, string[]>();
    for (const t of this.types) {
      const versions = out.get(t.group) ?? [];
      if (!versions.includes(t.version)) versions.push(t.version);
      out.set(t.group, versions);
    }
    return out;
  }
}
