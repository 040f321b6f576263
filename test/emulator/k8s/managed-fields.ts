/** Field ownership (metadata.managedFields): server-side apply with conflicts, and the
 * ownership bookkeeping of ordinary updates. Mirrors structured-merge-diff at leaf granularity. */
import { ApiError } from "./errors.ts";
import {
  deleteAt,
  type FieldPath,
  FieldSet,
  fieldSetOf,
  type ListPolicy,
  mergeApplied,
  pathString,
  valueAt,
} from "./field-set.ts";
import { clone, deepEqual, isObj, meta, type Obj, str, timestamp } from "./json.ts";

export interface ManagedEntry {
  manager: string;
  operation: "Apply" | "Update";
  apiVersion: string;
  time: string;
  subresource?: string;
  fields: FieldSet;
}

/** Which part of an object a write may touch: all of it, all but status, or only status. */
export type Scope = "all" | "main" | "status";

const UNTRACKED_METADATA = [
  "name",
  "namespace",
  "uid",
  "resourceVersion",
  "generation",
  "creationTimestamp",
  "deletionTimestamp",
  "managedFields",
  "selfLink",
];

/** The part of an object field management looks at. */
export function trackedPart(obj: Obj, scope: Scope): Obj {
  const out: Obj = {};
  for (const [k, v] of Object.entries(obj)) {
    if (k === "apiVersion" || k === "kind") continue;
    if (scope === "main" && k === "status") continue;
    if (scope === "status" && k !== "status") continue;
    if (k === "metadata" && isObj(v)) {
      const md: Obj = {};
      for (const [mk, mv] of Object.entries(v)) if (!UNTRACKED_METADATA.includes(mk)) md[mk] = mv;
      if (Object.keys(md).length > 0) out[k] = md;
      continue;
    }
    out[k] = v;
  }
  return out;
}

export function readManaged(obj: Obj | undefined): ManagedEntry[] {
  const raw = obj && isObj(obj["metadata"]) ? obj["metadata"]["managedFields"] : undefined;
  if (!Array.isArray(raw)) return [];
  return raw.filter(isObj).map((e) => ({
    manager: str(e["manager"]) ?? "",
    operation: e["operation"] === "Apply" ? "Apply" : "Update",
    apiVersion: str(e["apiVersion"]) ?? "",
    time: str(e["time"]) ?? timestamp(),
    ...(str(e["subresource"]) ? { subresource: str(e["subresource"]) } : {}),
    fields: FieldSet.fromFieldsV1(e["fieldsV1"]),
  }));
}

export function writeManaged(obj: Obj, entries: ManagedEntry[]): void {
  const md = meta(obj);
  const kept = entries.filter((e) => e.fields.size > 0);
  if (kept.length === 0) {
    delete md["managedFields"];
    return;
  }
  md["managedFields"] = kept.map((e) => ({
    manager: e.manager,
    operation: e.operation,
    apiVersion: e.apiVersion,
    time: e.time,
    fieldsType: "FieldsV1",
    fieldsV1: e.fields.toFieldsV1(),
    ...(e.subresource ? { subresource: e.subresource } : {}),
  }));
}

function sameIdentity(
  e: ManagedEntry,
  manager: string,
  op: "Apply" | "Update",
  sub: string | undefined,
): boolean {
  return e.manager === manager && e.operation === op && e.subresource === sub;
}

/** How the real server names a manager in conflict messages. */
function describeManager(e: ManagedEntry): string {
  let s = JSON.stringify(e.manager);
  if (e.subresource) s += ` with subresource ${JSON.stringify(e.subresource)}`;
  if (e.operation === "Update") s += ` using ${e.apiVersion}`;
  return s;
}

function conflictError(conflicts: { entry: ManagedEntry; path: FieldPath }[]): ApiError {
  let message: string;
  if (conflicts.length === 1) {
    const c = conflicts[0]!;
    message = `Apply failed with 1 conflict: conflict with ${describeManager(c.entry)}: ${pathString(c.path)}`;
  } else {
    const byManager = new Map<string, string[]>();
    for (const c of conflicts) {
      const name = describeManager(c.entry);
      byManager.set(name, [...(byManager.get(name) ?? []), pathString(c.path)]);
    }
    const lines: string[] = [];
    for (const name of [...byManager.keys()].sort()) {
      lines.push(`conflicts with ${name}:`, ...byManager.get(name)!.map((p) => `- ${p}`));
    }
    message = `Apply failed with ${conflicts.length} conflicts: ${lines.join("\n")}`;
  }
  return new ApiError(409, "Conflict", message, {
    causes: conflicts.map((c) => ({
      reason: "FieldManagerConflict",
      message: `conflict with ${describeManager(c.entry)}`,
      field: pathString(c.path),
    })),
  });
}

export interface ApplyRequest {
  live: Obj | undefined;
  applied: Obj;
  manager: string;
  force: boolean;
  apiVersion: string;
  scope: Scope;
  subresource?: string;
  policy: ListPolicy;
}

/** Server-side apply: the merged object with updated managedFields, or a 409 on conflicts. */
export function serverSideApply(req: ApplyRequest): Obj {
  const live = req.live ? clone(req.live) : {};
  const entries = readManaged(live);
  const applied = trackedPart(req.applied, req.scope);
  const appliedSet = fieldSetOf(applied, req.policy);
  const self = entries.find((e) => sameIdentity(e, req.manager, "Apply", req.subresource));
  const others = entries.filter((e) => e !== self);

  const conflicts: { entry: ManagedEntry; path: FieldPath }[] = [];
  for (const entry of others) {
    for (const p of appliedSet.paths()) {
      if (!entry.fields.has(p) || p.at(-1)?.startsWith("k:")) continue;
      if (!deepEqual(valueAt(live, p), valueAt(applied, p))) conflicts.push({ entry, path: p });
    }
  }
  if (conflicts.length > 0 && !req.force) throw conflictError(conflicts);
  for (const c of conflicts) c.entry.fields.delete(c.path);

  const merged = mergeApplied(live, applied, req.policy) as Obj;
  for (const p of (self?.fields ?? new FieldSet()).minus(appliedSet).paths()) {
    if (appliedSet.touches(p) || others.some((e) => e.fields.touches(p))) continue;
    deleteAt(merged, p);
  }

  const now = timestamp();
  if (self) {
    if (!self.fields.equals(appliedSet) || self.apiVersion !== req.apiVersion) self.time = now;
    self.fields = appliedSet;
    self.apiVersion = req.apiVersion;
  } else {
    entries.push({
      manager: req.manager,
      operation: "Apply",
      apiVersion: req.apiVersion,
      time: now,
      ...(req.subresource ? { subresource: req.subresource } : {}),
      fields: appliedSet,
    });
  }
  writeManaged(merged, entries);
  return merged;
}

export interface UpdateRequest {
  old: Obj | undefined;
  next: Obj;
  manager: string;
  apiVersion: string;
  scope: Scope;
  subresource?: string;
  policy: ListPolicy;
}

/** Ordinary writes: the writer takes every field it changed, others lose them, removed fields vanish. */
export function recordUpdate(req: UpdateRequest): void {
  const entries = readManaged(req.old);
  const oldPart = req.old ? trackedPart(req.old, req.scope) : {};
  const newPart = trackedPart(req.next, req.scope);
  const changed = fieldSetOf(newPart, req.policy)
    .paths()
    .filter((p) => {
      const before = valueAt(oldPart, p);
      if (p.at(-1)?.startsWith("k:")) return !before.found;
      return !before.found || !deepEqual(before.value, valueAt(newPart, p).value);
    });
  const gone = fieldSetOf(oldPart, req.policy)
    .paths()
    .filter((p) => !valueAt(newPart, p).found);

  let self = entries.find((e) => sameIdentity(e, req.manager, "Update", req.subresource));
  for (const e of entries) for (const p of [...changed, ...gone]) if (e !== self) e.fields.delete(p);
  if (changed.length > 0 || gone.length > 0) {
    if (!self) {
      self = {
        manager: req.manager,
        operation: "Update",
        apiVersion: req.apiVersion,
        time: timestamp(),
        ...(req.subresource ? { subresource: req.subresource } : {}),
        fields: new FieldSet(),
      };
      entries.push(self);
    }
    const before = new FieldSet(self.fields.paths());
    for (const p of gone) self.fields.delete(p);
    for (const p of changed) self.fields.add(p);
    if (!before.equals(self.fields)) self.time = timestamp();
  }
  writeManaged(req.next, entries);
}
