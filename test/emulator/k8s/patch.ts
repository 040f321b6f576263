/** JSON merge patch (RFC 7386) and JSON patch (RFC 6902). Strategic merge patch is served as a
 * merge patch: good enough for the maps-and-scalars patches tests send. */
import { badRequest, invalid } from "./errors.ts";
import { clone, deepEqual, isObj, type Obj } from "./json.ts";

export function mergePatch(target: unknown, patch: unknown): unknown {
  if (!isObj(patch)) return clone(patch);
  const out: Obj = isObj(target) ? { ...target } : {};
  for (const [k, v] of Object.entries(patch)) {
    if (v === null) delete out[k];
    else out[k] = mergePatch(out[k], v);
  }
  return out;
}

function pointer(path: string): string[] {
  if (path === "") return [];
  if (!path.startsWith("/")) throw badRequest(`json patch path must start with "/": ${path}`);
  return path
    .slice(1)
    .split("/")
    .map((s) => s.replace(/~1/g, "/").replace(/~0/g, "~"));
}

function parentOf(root: Obj, tokens: string[], op: string): { parent: unknown; last: string } {
  let cur: unknown = root;
  for (const t of tokens.slice(0, -1)) {
    if (Array.isArray(cur)) cur = cur[Number(t)];
    else if (isObj(cur)) cur = cur[t];
    else cur = undefined;
    if (cur === undefined) throw invalidPatch(`unable to find the path for ${op}`);
  }
  return { parent: cur, last: tokens.at(-1) ?? "" };
}

function invalidPatch(message: string) {
  return invalid("Patch", "", "", [{ type: "FieldValueInvalid", field: "patch", message }]);
}

function get(root: Obj, path: string): unknown {
  const { parent, last } = parentOf(root, pointer(path), "get");
  return Array.isArray(parent) ? parent[Number(last)] : isObj(parent) ? parent[last] : undefined;
}

function remove(root: Obj, path: string): unknown {
  const { parent, last } = parentOf(root, pointer(path), "remove");
  if (Array.isArray(parent)) return parent.splice(Number(last), 1)[0];
  if (isObj(parent) && Object.hasOwn(parent, last)) {
    const v = parent[last];
    delete parent[last];
    return v;
  }
  throw invalidPatch(
    `the server rejected our request due to an error in our request: unable to remove nonexistent key: ${last}`,
  );
}

function add(root: Obj, path: string, value: unknown, replace: boolean): void {
  const { parent, last } = parentOf(root, pointer(path), replace ? "replace" : "add");
  if (Array.isArray(parent)) {
    const i = last === "-" ? parent.length : Number(last);
    parent.splice(i, replace ? 1 : 0, clone(value));
  } else if (isObj(parent)) parent[last] = clone(value);
  else throw invalidPatch(`unable to find the path for ${path}`);
}

export function jsonPatch(target: Obj, ops: unknown): Obj {
  if (!Array.isArray(ops)) throw badRequest("the body of a json patch must be an array of operations");
  const doc = clone(target);
  for (const raw of ops) {
    if (!isObj(raw)) throw badRequest("invalid json patch operation");
    const path = String(raw["path"] ?? "");
    switch (raw["op"]) {
      case "add":
        add(doc, path, raw["value"], false);
        break;
      case "replace":
        add(doc, path, raw["value"], true);
        break;
      case "remove":
        remove(doc, path);
        break;
      case "move":
        add(doc, path, remove(doc, String(raw["from"])), false);
        break;
      case "copy":
        add(doc, path, get(doc, String(raw["from"])), false);
        break;
      case "test":
        if (!deepEqual(get(doc, path), raw["value"])) throw invalidPatch(`testing value ${path} failed`);
        break;
      default:
        throw badRequest(`Unexpected kind: ${String(raw["op"])}`);
    }
  }
  return doc;
}
