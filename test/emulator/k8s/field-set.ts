/** Field paths and sets in the managedFields "FieldsV1" vocabulary: `f:<field>` for a map
 * field, `k:{"name":"x"}` for an item of a keyed list. Lists the policy does not key are atomic:
 * the whole list is one leaf, as for CRD lists without x-kubernetes-list-type. */
import { deepEqual, isObj, type Obj } from "./json.ts";

export type FieldPath = readonly string[];

/** Key field names for a list at `path`, or undefined if the list is atomic. */
export type ListPolicy = (path: FieldPath, items: unknown[]) => string[] | undefined;

export const atomicLists: ListPolicy = (path) =>
  path.join(".") === "f:metadata.f:ownerReferences" ? ["uid"] : undefined;

/** Keyed lists of the built-in types we serve (a subset of the real OpenAPI merge keys). */
export const builtinLists: ListPolicy = (path, items) => {
  const field = path.at(-1)?.slice(2);
  const allHave = (k: string) => items.every((i) => isObj(i) && i[k] !== undefined);
  switch (field) {
    case "containers":
    case "initContainers":
    case "ephemeralContainers":
    case "env":
    case "volumes":
    case "imagePullSecrets":
      return allHave("name") ? ["name"] : undefined;
    case "volumeMounts":
      return allHave("mountPath") ? ["mountPath"] : undefined;
    case "ports":
      if (allHave("containerPort")) return ["containerPort"];
      return allHave("port") ? ["port"] : undefined;
    case "ownerReferences":
      return allHave("uid") ? ["uid"] : undefined;
    case "conditions":
      return allHave("type") ? ["type"] : undefined;
    default:
      return undefined;
  }
};

function keyToken(item: unknown, keys: string[]): string {
  const o = isObj(item) ? item : {};
  const key: Obj = {};
  for (const k of [...keys].sort()) key[k] = o[k];
  return `k:${JSON.stringify(key)}`;
}

function itemMatches(item: unknown, token: string): boolean {
  const key = JSON.parse(token.slice(2)) as Obj;
  return isObj(item) && Object.entries(key).every(([k, v]) => deepEqual(item[k], v));
}

export class FieldSet {
  private readonly items = new Map<string, FieldPath>();

  constructor(paths: Iterable<FieldPath> = []) {
    for (const p of paths) this.add(p);
  }

  add(p: FieldPath): void {
    this.items.set(JSON.stringify(p), p);
  }
  has(p: FieldPath): boolean {
    return this.items.has(JSON.stringify(p));
  }
  delete(p: FieldPath): void {
    this.items.delete(JSON.stringify(p));
  }
  get size(): number {
    return this.items.size;
  }
  paths(): FieldPath[] {
    return [...this.items.values()];
  }
  /** True if `p` or anything below it is a member. */
  touches(p: FieldPath): boolean {
    return this.paths().some((q) => q.length >= p.length && p.every((e, i) => q[i] === e));
  }
  minus(other: FieldSet): FieldSet {
    return new FieldSet(this.paths().filter((p) => !other.has(p)));
  }
  equals(other: FieldSet): boolean {
    return this.size === other.size && this.paths().every((p) => other.has(p));
  }

  /** Parse a managedFields `fieldsV1` tree. */
  static fromFieldsV1(tree: unknown, prefix: FieldPath = []): FieldSet {
    const out = new FieldSet();
    const walk = (node: unknown, path: FieldPath) => {
      if (!isObj(node)) return;
      const entries = Object.entries(node);
      if (entries.length === 0 && path.length > 0) out.add(path);
      for (const [k, v] of entries) {
        if (k === ".") out.add(path);
        else walk(v, [...path, k]);
      }
    };
    walk(tree, prefix);
    return out;
  }

  toFieldsV1(): Obj {
    const root: Obj = {};
    for (const p of this.paths()) {
      let node = root;
      for (const e of p) {
        const next = isObj(node[e]) ? (node[e] as Obj) : {};
        node[e] = next;
        node = next;
      }
    }
    // A member that also has children (a keyed-list item) is marked with ".".
    for (const p of this.paths()) {
      let node: Obj = root;
      for (const e of p) node = node[e] as Obj;
      if (Object.keys(node).some((k) => k !== ".")) node["."] = {};
    }
    return root;
  }
}

/** Every leaf (and keyed-list item) path of a value. */
export function fieldSetOf(value: unknown, policy: ListPolicy, prefix: FieldPath = []): FieldSet {
  const out = new FieldSet();
  const walk = (v: unknown, path: FieldPath) => {
    if (isObj(v)) {
      const entries = Object.entries(v);
      if (entries.length === 0 && path.length > 0) out.add(path);
      for (const [k, c] of entries) walk(c, [...path, `f:${k}`]);
      return;
    }
    if (Array.isArray(v)) {
      const keys = v.length > 0 ? policy(path, v) : undefined;
      if (!keys) {
        out.add(path);
        return;
      }
      for (const item of v) {
        const itemPath = [...path, keyToken(item, keys)];
        out.add(itemPath);
        for (const [k, c] of Object.entries(item as Obj)) walk(c, [...itemPath, `f:${k}`]);
      }
      return;
    }
    out.add(path);
  };
  walk(value, prefix);
  return out;
}

export function valueAt(root: unknown, path: FieldPath): { found: boolean; value?: unknown } {
  let cur: unknown = root;
  for (const e of path) {
    if (e.startsWith("f:") && isObj(cur) && Object.hasOwn(cur, e.slice(2))) cur = cur[e.slice(2)];
    else if (e.startsWith("k:") && Array.isArray(cur) && cur.some((i) => itemMatches(i, e)))
      cur = cur.find((i) => itemMatches(i, e));
    else return { found: false };
  }
  return { found: true, value: cur };
}

export function deleteAt(root: Obj, path: FieldPath): void {
  const parent = valueAt(root, path.slice(0, -1));
  const last = path.at(-1);
  if (!parent.found || !last) return;
  if (last.startsWith("f:") && isObj(parent.value)) delete parent.value[last.slice(2)];
  if (last.startsWith("k:") && Array.isArray(parent.value)) {
    const i = parent.value.findIndex((x) => itemMatches(x, last));
    if (i >= 0) parent.value.splice(i, 1);
  }
}

/** Merge an applied configuration into a live value: maps merge, keyed lists merge by key,
 * everything else is replaced. */
export function mergeApplied(
  live: unknown,
  applied: unknown,
  policy: ListPolicy,
  path: FieldPath = [],
): unknown {
  if (isObj(applied)) {
    const out: Obj = isObj(live) ? { ...live } : {};
    for (const [k, v] of Object.entries(applied))
      out[k] = mergeApplied(out[k], v, policy, [...path, `f:${k}`]);
    return out;
  }
  if (Array.isArray(applied)) {
    const keys = applied.length > 0 ? policy(path, applied) : undefined;
    if (!keys || !Array.isArray(live)) return structuredClone(applied);
    const out = [...live];
    for (const item of applied) {
      const token = keyToken(item, keys);
      const i = out.findIndex((x) => itemMatches(x, token));
      if (i >= 0) out[i] = mergeApplied(out[i], item, policy, [...path, token]);
      else out.push(structuredClone(item));
    }
    return out;
  }
  return applied;
}

/** `.spec.containers[name="x"].image`, the way structured-merge-diff prints a path. */
export function pathString(p: FieldPath): string {
  return p
    .map((e) => {
      if (e.startsWith("f:")) return `.${e.slice(2)}`;
      const key = JSON.parse(e.slice(2)) as Obj;
      return `[${Object.entries(key)
        .map(([k, v]) => `${k}=${JSON.stringify(v)}`)
        .join(",")}]`;
    })
    .join("");
}
