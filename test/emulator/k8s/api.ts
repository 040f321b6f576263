/** The API semantics, independent of HTTP: CRUD, patch, server-side apply, the status
 * subresource, resourceVersion/generation bookkeeping and the side effects of deletes. */
import { randomUUID } from "node:crypto";
import yaml from "js-yaml";
import { defaultMutatingWebhookConfiguration } from "./defaults.ts";
import {
  ApiError,
  alreadyExists,
  badRequest,
  notFound,
  staleConflict,
  unsupportedMediaType,
} from "./errors.ts";
import { atomicLists, builtinLists, type ListPolicy } from "./field-set.ts";
import { clone, deepEqual, isObj, meta, type Obj, randomSuffix, str, timestamp } from "./json.ts";
import { recordUpdate, type Scope, serverSideApply } from "./managed-fields.ts";
import { jsonPatch, mergePatch } from "./patch.ts";
import { apiVersionOf, type ResourceRegistry, type ResourceType, storeKey } from "./resources.ts";
import { type FieldSelector, type LabelSelector, labelsOf } from "./selectors.ts";
import { nameOf, namespaceOf, type ObjectStore, uidOf } from "./store.ts";
import { validateObject } from "./validation.ts";

export interface WriteOptions {
  fieldManager: string;
  force?: boolean;
  subresource?: "status";
}

const NAMESPACES = { group: "", plural: "namespaces" };

export class KubeApi {
  constructor(
    readonly store: ObjectStore,
    readonly registry: ResourceRegistry,
  ) {}

  /** Stamp the apiVersion/kind the client asked through (CRDs may serve several versions). */
  private present(t: ResourceType, o: Obj): Obj {
    const { apiVersion: _a, kind: _k, ...rest } = o;
    return { apiVersion: apiVersionOf(t), kind: t.kind, ...rest };
  }

  private policy(t: ResourceType): ListPolicy {
    return t.builtin ? builtinLists : atomicLists;
  }

  private scope(t: ResourceType, sub: string | undefined): Scope {
    if (sub === "status") return "status";
    return t.statusSubresource ? "main" : "all";
  }

  get(t: ResourceType, ns: string | undefined, name: string): Obj {
    const o = this.store.get(storeKey(t), ns, name);
    if (!o) throw notFound(t, name);
    return this.present(t, o);
  }

  list(t: ResourceType, ns: string | undefined, labels: LabelSelector, fields: FieldSelector): Obj[] {
    return this.store
      .list(storeKey(t), ns)
      .map((o) => this.present(t, o))
      .filter((o) => labels(labelsOf(o)) && fields(o));
  }

  private requireNamespace(t: ResourceType, ns: string | undefined): void {
    if (!t.namespaced) return;
    if (!ns || !this.store.get(storeKey(NAMESPACES), undefined, ns)) throw notFound(NAMESPACES, ns ?? "");
  }

  private checkIdentity(t: ResourceType, body: unknown, ns: string | undefined, urlName?: string): Obj {
    if (!isObj(body)) throw badRequest("the body of the request was not a JSON object");
    const apiVersion = str(body["apiVersion"]);
    if (apiVersion && apiVersion !== apiVersionOf(t)) {
      throw badRequest(
        `the API version in the data (${apiVersion}) does not match the expected API version (${apiVersionOf(t)})`,
      );
    }
    const kind = str(body["kind"]);
    if (kind && kind !== t.kind)
      throw badRequest(`the kind in the data (${kind}) does not match the expected kind (${t.kind})`);
    const md = meta(body);
    if (t.namespaced) {
      const bodyNs = str(md["namespace"]);
      if (bodyNs && bodyNs !== ns) {
        throw badRequest(
          "the namespace of the provided object does not match the namespace sent on the request",
        );
      }
      md["namespace"] = ns;
    } else delete md["namespace"];
    const bodyName = str(md["name"]);
    if (urlName !== undefined && bodyName && bodyName !== urlName) {
      throw badRequest(
        `the name of the object (${bodyName}) does not match the name on the URL (${urlName})`,
      );
    }
    if (urlName !== undefined) md["name"] = urlName;
    return body;
  }

  create(t: ResourceType, ns: string | undefined, body: unknown, opts: WriteOptions): Obj {
    if (opts.subresource)
      throw new ApiError(405, "MethodNotAllowed", "create is not allowed on a subresource");
    const obj = this.checkIdentity(t, clone(body), ns);
    const md = meta(obj);
    if (!str(md["name"]) && str(md["generateName"]))
      md["name"] = `${str(md["generateName"])}${randomSuffix()}`;
    validateObject(t, obj);
    this.requireNamespace(t, ns);
    const name = nameOf(obj);
    if (this.store.get(storeKey(t), ns, name)) throw alreadyExists(t, name);
    if (t.statusSubresource) delete obj["status"];
    this.initialize(t, obj);
    recordUpdate({
      old: undefined,
      next: obj,
      manager: opts.fieldManager,
      apiVersion: apiVersionOf(t),
      scope: this.scope(t, undefined),
      policy: this.policy(t),
    });
    return this.commit(t, undefined, obj);
  }

  /** Server-set metadata and per-kind defaults for a new object. */
  private initialize(t: ResourceType, obj: Obj): void {
    obj["apiVersion"] = apiVersionOf(t);
    obj["kind"] = t.kind;
    const md = meta(obj);
    md["uid"] = randomUUID();
    md["creationTimestamp"] = timestamp();
    md["generation"] = 1;
    delete md["resourceVersion"];
    if (t.kind === "Namespace") obj["status"] = { phase: "Active" };
  }

  replace(t: ResourceType, ns: string | undefined, name: string, body: unknown, opts: WriteOptions): Obj {
    const existing = this.existing(t, ns, name, opts.subresource);
    const obj = this.checkIdentity(t, clone(body), ns, name);
    const rv = str(meta(obj)["resourceVersion"]);
    if (rv && rv !== str(meta(existing)["resourceVersion"])) throw staleConflict(t, name);
    return this.update(t, existing, obj, opts);
  }

  patch(
    t: ResourceType,
    ns: string | undefined,
    name: string,
    contentType: string,
    raw: string,
    opts: WriteOptions,
  ): Obj {
    if (contentType === "application/apply-patch+yaml") return this.apply(t, ns, name, raw, opts);
    const existing = this.existing(t, ns, name, opts.subresource);
    let patch: unknown;
    try {
      patch = JSON.parse(raw);
    } catch (e) {
      throw badRequest(`error decoding patch: ${(e as Error).message}`);
    }
    let next: unknown;
    if (
      contentType === "application/merge-patch+json" ||
      contentType === "application/strategic-merge-patch+json"
    ) {
      if (!isObj(patch)) throw badRequest("the body of a merge patch must be a JSON object");
      const rv = isObj(patch["metadata"]) ? str(patch["metadata"]["resourceVersion"]) : undefined;
      if (rv && rv !== str(meta(existing)["resourceVersion"])) throw staleConflict(t, name);
      next = mergePatch(existing, patch);
    } else if (contentType === "application/json-patch+json") {
      next = jsonPatch(existing, patch);
    } else throw unsupportedMediaType(contentType);
    const obj = this.checkIdentity(t, next, ns, name);
    return this.update(t, existing, obj, opts);
  }

  private existing(t: ResourceType, ns: string | undefined, name: string, sub: string | undefined): Obj {
    if (sub && !t.statusSubresource) throw notFound(t, name);
    const o = this.store.get(storeKey(t), ns, name);
    if (!o) throw notFound(t, name);
    return o;
  }

  /** Finish an update: keep what this endpoint may not change, then record ownership and store. */
  private update(t: ResourceType, existing: Obj, incoming: Obj, opts: WriteOptions): Obj {
    const scope = this.scope(t, opts.subresource);
    let next: Obj;
    if (scope === "status") {
      next = clone(existing);
      if (incoming["status"] === undefined) delete next["status"];
      else next["status"] = incoming["status"];
    } else {
      next = incoming;
      if (scope === "main") {
        if (existing["status"] === undefined) delete next["status"];
        else next["status"] = existing["status"];
      }
    }
    this.keepServerMetadata(existing, next);
    recordUpdate({
      old: existing,
      next,
      manager: opts.fieldManager,
      apiVersion: apiVersionOf(t),
      scope,
      policy: this.policy(t),
      ...(opts.subresource ? { subresource: opts.subresource } : {}),
    });
    if (scope !== "status") validateObject(t, next);
    return this.commit(t, existing, next);
  }

  private keepServerMetadata(existing: Obj, next: Obj): void {
    const from = meta(existing);
    const to = meta(next);
    for (const k of ["uid", "creationTimestamp", "generation", "resourceVersion", "managedFields"]) {
      if (from[k] === undefined) delete to[k];
      else to[k] = from[k];
    }
  }

  private apply(t: ResourceType, ns: string | undefined, name: string, raw: string, opts: WriteOptions): Obj {
    let body: unknown;
    try {
      body = yaml.load(raw);
    } catch (e) {
      throw badRequest(`error decoding YAML: ${(e as Error).message}`);
    }
    if (!isObj(body) || !str(body["apiVersion"]) || !str(body["kind"])) {
      throw badRequest("apply patch must contain apiVersion and kind");
    }
    const applied = this.checkIdentity(t, body, ns, name);
    const existing = this.store.get(storeKey(t), ns, name);
    if (!existing && opts.subresource) throw notFound(t, name);
    const rv = str(meta(applied)["resourceVersion"]);
    if (rv && (!existing || rv !== str(meta(existing)["resourceVersion"]))) throw staleConflict(t, name);
    const merged = serverSideApply({
      live: existing,
      applied,
      manager: opts.fieldManager,
      force: opts.force ?? false,
      apiVersion: apiVersionOf(t),
      scope: this.scope(t, opts.subresource),
      ...(opts.subresource ? { subresource: opts.subresource } : {}),
      policy: this.policy(t),
    });
    const md = meta(merged);
    const managed = md["managedFields"];
    if (existing) {
      this.keepServerMetadata(existing, merged);
      if (managed === undefined) delete md["managedFields"];
      else md["managedFields"] = managed;
      return this.commit(t, existing, merged);
    }
    md["name"] = name;
    if (t.namespaced) md["namespace"] = ns;
    validateObject(t, merged);
    this.requireNamespace(t, ns);
    this.initialize(t, merged);
    md["managedFields"] = managed;
    return this.commit(t, undefined, reorder(merged));
  }

  /** Store unless nothing changed; bump generation on non-metadata, non-status changes. */
  private commit(t: ResourceType, existing: Obj | undefined, next: Obj): Obj {
    // The real server defaults while decoding the body, before validation (staging/src/k8s.io/apiserver/pkg/
    // endpoints/handlers/create.go createHandler: decoder.Decode, then r.Create runs the strategy's Validate).
    // Defaulting after validation is equivalent here: validateMutatingWebhook skips every field it would
    // default when unset (failurePolicy, matchPolicy, selectors, timeoutSeconds, reinvocationPolicy, scope,
    // service port) and each default is a value it accepts.
    if (t.kind === "MutatingWebhookConfiguration") defaultMutatingWebhookConfiguration(next);
    if (existing) {
      if (deepEqual(withoutVolatile(existing), withoutVolatile(next))) return this.present(t, existing);
      if (!deepEqual(specPart(existing), specPart(next))) {
        meta(next)["generation"] = Number(meta(existing)["generation"] ?? 1) + 1;
      }
    }
    if (t.kind === "CustomResourceDefinition") this.establishCrd(next);
    const stored = this.store.put(storeKey(t), next);
    if (t.kind === "CustomResourceDefinition") this.registry.registerCrd(stored);
    return this.present(t, stored);
  }

  private establishCrd(crd: Obj): void {
    const spec = isObj(crd["spec"]) ? crd["spec"] : {};
    const now = timestamp();
    crd["status"] = {
      acceptedNames: spec["names"] ?? {},
      storedVersions: Array.isArray(spec["versions"])
        ? spec["versions"].filter((v) => isObj(v) && v["storage"] === true).map((v) => (v as Obj)["name"])
        : [],
      conditions: [
        {
          type: "NamesAccepted",
          status: "True",
          lastTransitionTime: now,
          reason: "NoConflicts",
          message: "no conflicts found",
        },
        {
          type: "Established",
          status: "True",
          lastTransitionTime: now,
          reason: "InitialNamesAccepted",
          message: "the initial names have been accepted",
        },
      ],
    };
  }

  remove(t: ResourceType, ns: string | undefined, name: string): Obj {
    const gone = this.store.remove(storeKey(t), ns, name);
    if (!gone) throw notFound(t, name);
    this.afterDelete(t, gone);
    return {
      kind: "Status",
      apiVersion: "v1",
      metadata: {},
      status: "Success",
      details: { name, ...(t.group ? { group: t.group } : {}), kind: t.plural, uid: uidOf(gone) },
    };
  }

  /** Cascades the real server does through controllers: CRD objects, namespace contents, dependents. */
  private afterDelete(t: ResourceType, gone: Obj): void {
    if (t.kind === "CustomResourceDefinition") {
      const types = this.registry.all().filter((x) => x.crd === nameOf(gone));
      this.registry.unregisterCrd(nameOf(gone));
      for (const x of types) this.store.dropBucket(storeKey(x));
    }
    if (t.kind === "Namespace") {
      for (const x of this.registry.all().filter((r) => r.namespaced)) {
        for (const o of this.store.list(storeKey(x), nameOf(gone)))
          this.store.remove(storeKey(x), nameOf(gone), nameOf(o));
      }
    }
    const uid = uidOf(gone);
    for (const x of this.registry.all()) {
      for (const o of this.store.list(storeKey(x))) {
        const refs = meta(o)["ownerReferences"];
        if (Array.isArray(refs) && refs.some((r) => isObj(r) && r["uid"] === uid)) {
          const dep = this.store.remove(storeKey(x), namespaceOf(o), nameOf(o));
          if (dep) this.afterDelete(x, dep);
        }
      }
    }
  }

  /** Controller/kubelet writes: no field management, skipped when nothing changed. */
  writeInternal(t: ResourceType, obj: Obj): Obj {
    const existing = this.store.get(storeKey(t), namespaceOf(obj), nameOf(obj));
    if (!existing) {
      this.initialize(t, obj);
      return this.commit(t, undefined, obj);
    }
    return this.commit(t, existing, obj);
  }

  removeInternal(t: ResourceType, ns: string | undefined, name: string): void {
    const gone = this.store.remove(storeKey(t), ns, name);
    if (gone) this.afterDelete(t, gone);
  }
}

/** Keep apiVersion/kind/metadata first, as the server prints them. */
function reorder(o: Obj): Obj {
  const { apiVersion, kind, metadata, ...rest } = o;
  return { apiVersion, kind, metadata, ...rest };
}

function withoutVolatile(o: Obj): Obj {
  const c = clone(o);
  delete meta(c)["resourceVersion"];
  return c;
}

function specPart(o: Obj): Obj {
  const { metadata: _m, status: _s, ...rest } = o;
  return rest;
}
