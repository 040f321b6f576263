/** Label selectors (k8s.io/apimachinery/pkg/labels syntax) and the few field selectors we serve. */
import { badRequest } from "./errors.ts";
import { isObj, type Obj, str, strMap } from "./json.ts";

type Requirement =
  | { op: "eq" | "neq"; key: string; value: string }
  | { op: "in" | "notin"; key: string; values: string[] }
  | { op: "exists" | "notexists"; key: string };

/** Split on commas that are not inside `( ... )`. */
function splitTopLevel(s: string): string[] {
  const parts: string[] = [];
  let depth = 0;
  let cur = "";
  for (const ch of s) {
    if (ch === "(") depth++;
    if (ch === ")") depth--;
    if (ch === "," && depth === 0) {
      parts.push(cur);
      cur = "";
    } else cur += ch;
  }
  parts.push(cur);
  return parts.map((p) => p.trim()).filter((p) => p !== "");
}

function parseRequirement(raw: string, whole: string): Requirement {
  const setMatch = /^(\S+)\s+(in|notin)\s*\(([^)]*)\)$/.exec(raw);
  if (setMatch) {
    const values = setMatch[3]!
      .split(",")
      .map((v) => v.trim())
      .filter((v) => v !== "");
    return { op: setMatch[2] === "in" ? "in" : "notin", key: setMatch[1]!, values };
  }
  const cmp = /^([^!=\s]+)\s*(==|!=|=)\s*(\S*)$/.exec(raw);
  if (cmp) return { op: cmp[2] === "!=" ? "neq" : "eq", key: cmp[1]!, value: cmp[3]! };
  if (/^![^\s!=()]+$/.test(raw)) return { op: "notexists", key: raw.slice(1) };
  if (/^[^\s!=()]+$/.test(raw)) return { op: "exists", key: raw };
  throw badRequest(
    `unable to parse requirement: found '${raw}', expected: in, notin, =, ==, !=, gt, lt (selector: ${whole})`,
  );
}

export type LabelSelector = (labels: Record<string, string>) => boolean;

export function parseLabelSelector(selector: string | null | undefined): LabelSelector {
  if (!selector) return () => true;
  const reqs = splitTopLevel(selector).map((r) => parseRequirement(r, selector));
  return (labels) =>
    reqs.every((r) => {
      const has = Object.hasOwn(labels, r.key);
      const v = labels[r.key];
      switch (r.op) {
        case "eq":
          return has && v === r.value;
        case "neq":
          return !has || v !== r.value;
        case "in":
          return has && r.values.includes(v!);
        case "notin":
          return !has || !r.values.includes(v!);
        case "exists":
          return has;
        default:
          return !has; // notexists
      }
    });
}

/** Selectable fields by kind; everything supports metadata.name/namespace. */
function fieldValue(obj: Obj, field: string): string | undefined {
  const md = isObj(obj["metadata"]) ? obj["metadata"] : {};
  const spec = isObj(obj["spec"]) ? obj["spec"] : {};
  const status = isObj(obj["status"]) ? obj["status"] : {};
  switch (field) {
    case "metadata.name":
      return str(md["name"]) ?? "";
    case "metadata.namespace":
      return str(md["namespace"]) ?? "";
    case "spec.nodeName":
      return obj["kind"] === "Pod" ? (str(spec["nodeName"]) ?? "") : undefined;
    case "status.phase":
      return obj["kind"] === "Pod" || obj["kind"] === "Namespace" ? (str(status["phase"]) ?? "") : undefined;
    case "spec.unschedulable":
      return obj["kind"] === "Node" ? String(spec["unschedulable"] === true) : undefined;
    default:
      return undefined;
  }
}

export type FieldSelector = (obj: Obj) => boolean;

/** Parse `a=b,c!=d`; throws 400 like the server for a field the kind does not support. */
export function parseFieldSelector(selector: string | null | undefined, kind: string): FieldSelector {
  if (!selector) return () => true;
  const reqs = splitTopLevel(selector).map((raw) => {
    const m = /^([^!=\s]+)\s*(==|!=|=)\s*(.*)$/.exec(raw);
    if (!m) throw badRequest(`invalid selector: '${selector}'; can't understand '${raw}'`);
    return { field: m[1]!, neq: m[2] === "!=", value: m[3]! };
  });
  const probe: Obj = { kind, metadata: {}, spec: {}, status: {} };
  for (const r of reqs) {
    if (fieldValue(probe, r.field) === undefined) {
      throw badRequest(`field label not supported: ${r.field}`);
    }
  }
  return (obj) =>
    reqs.every((r) => {
      const v = fieldValue(obj, r.field);
      return r.neq ? v !== r.value : v === r.value;
    });
}

export function labelsOf(obj: Obj): Record<string, string> {
  return isObj(obj["metadata"]) ? strMap(obj["metadata"]["labels"]) : {};
}
