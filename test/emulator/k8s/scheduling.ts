/** Which nodes a pod template may run on: nodeSelector, required node affinity, taints vs tolerations. */
import { isObj, type Obj, str, strMap } from "./json.ts";

function tolerates(toleration: Obj, taint: Obj): boolean {
  const effect = str(toleration["effect"]);
  if (effect && effect !== taint["effect"]) return false;
  const key = str(toleration["key"]);
  if (toleration["operator"] === "Exists") return !key || key === taint["key"];
  return key === taint["key"] && (str(toleration["value"]) ?? "") === (str(taint["value"]) ?? "");
}

export function taintsTolerated(podSpec: Obj, node: Obj): boolean {
  const spec = isObj(node["spec"]) ? node["spec"] : {};
  const taints = Array.isArray(spec["taints"]) ? spec["taints"].filter(isObj) : [];
  const tolerations = Array.isArray(podSpec["tolerations"]) ? podSpec["tolerations"].filter(isObj) : [];
  return taints
    .filter((t) => t["effect"] === "NoSchedule" || t["effect"] === "NoExecute")
    .every((t) => tolerations.some((tol) => tolerates(tol, t)));
}

function expressionMatches(expr: Obj, value: string | undefined): boolean {
  const values = Array.isArray(expr["values"]) ? expr["values"].map(String) : [];
  switch (expr["operator"]) {
    case "In":
      return value !== undefined && values.includes(value);
    case "NotIn":
      return value === undefined || !values.includes(value);
    case "Exists":
      return value !== undefined;
    case "DoesNotExist":
      return value === undefined;
    case "Gt":
      return value !== undefined && Number(value) > Number(values[0]);
    case "Lt":
      return value !== undefined && Number(value) < Number(values[0]);
    default:
      return false;
  }
}

function termMatches(term: Obj, node: Obj): boolean {
  const md = isObj(node["metadata"]) ? node["metadata"] : {};
  const labels = strMap(md["labels"]);
  const exprs = Array.isArray(term["matchExpressions"]) ? term["matchExpressions"].filter(isObj) : [];
  const fields = Array.isArray(term["matchFields"]) ? term["matchFields"].filter(isObj) : [];
  return (
    exprs.every((e) =>
      expressionMatches(e, Object.hasOwn(labels, String(e["key"])) ? labels[String(e["key"])] : undefined),
    ) && fields.every((e) => expressionMatches(e, e["key"] === "metadata.name" ? str(md["name"]) : undefined))
  );
}

function affinityMatches(podSpec: Obj, node: Obj): boolean {
  const affinity = isObj(podSpec["affinity"]) ? podSpec["affinity"] : {};
  const nodeAffinity = isObj(affinity["nodeAffinity"]) ? affinity["nodeAffinity"] : {};
  const required = nodeAffinity["requiredDuringSchedulingIgnoredDuringExecution"];
  if (!isObj(required)) return true;
  const terms = Array.isArray(required["nodeSelectorTerms"])
    ? required["nodeSelectorTerms"].filter(isObj)
    : [];
  return terms.some((t) => termMatches(t, node));
}

export function nodeEligible(podSpec: Obj, node: Obj): boolean {
  const md = isObj(node["metadata"]) ? node["metadata"] : {};
  const labels = strMap(md["labels"]);
  const selector = strMap(podSpec["nodeSelector"]);
  const selectorOk = Object.entries(selector).every(([k, v]) => labels[k] === v);
  return selectorOk && affinityMatches(podSpec, node) && taintsTolerated(podSpec, node);
}
