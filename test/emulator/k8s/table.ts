/** meta.k8s.io/v1 Table responses for `kubectl get` without -o: Name and Age columns. */
import { isObj, type Obj, str } from "./json.ts";

function age(created: string | undefined, now = Date.now()): string {
  if (!created) return "<unknown>";
  const s = Math.max(0, Math.floor((now - Date.parse(created)) / 1000));
  if (s < 120) return `${s}s`;
  if (s < 7200) return `${Math.floor(s / 60)}m`;
  if (s < 172800) return `${Math.floor(s / 3600)}h`;
  return `${Math.floor(s / 86400)}d`;
}

export function wantsTable(accept: string): boolean {
  return /as=Table/.test(accept);
}

export function toTable(objects: Obj[], resourceVersion: string, includeObject: string | null): Obj {
  return {
    kind: "Table",
    apiVersion: "meta.k8s.io/v1",
    metadata: { resourceVersion },
    columnDefinitions: [
      {
        name: "Name",
        type: "string",
        format: "name",
        description: "Name must be unique within a namespace.",
        priority: 0,
      },
      { name: "Age", type: "string", format: "", description: "Time since creation.", priority: 0 },
    ],
    rows: objects.map((o) => {
      const md = isObj(o["metadata"]) ? o["metadata"] : {};
      const object =
        includeObject === "Object"
          ? o
          : includeObject === "None"
            ? undefined
            : { kind: "PartialObjectMetadata", apiVersion: "meta.k8s.io/v1", metadata: md };
      return {
        cells: [str(md["name"]) ?? "", age(str(md["creationTimestamp"]))],
        ...(object ? { object } : {}),
      };
    }),
  };
}
