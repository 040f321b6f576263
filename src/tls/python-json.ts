/** JSON text formatted like Python's `json.dumps(value, sort_keys=True)` (", " and ": " separators).
 * Legacy providers and the reactive requirer compare and store these strings, so writing the same
 * bytes the reactive charm wrote avoids a spurious change after an upgrade. */
export type JsonValue =
  | string
  | number
  | boolean
  | null
  | readonly JsonValue[]
  | { readonly [k: string]: JsonValue };

export function pythonJson(value: JsonValue): string {
  if (value === null || typeof value !== "object") return asciiJson(value);
  if (Array.isArray(value)) return `[${value.map((v) => pythonJson(v)).join(", ")}]`;
  const obj = value as { readonly [k: string]: JsonValue };
  const entries = Object.keys(obj)
    .sort()
    .map((k) => `${asciiJson(k)}: ${pythonJson(obj[k]!)}`);
  return `{${entries.join(", ")}}`;
}

/** Python escapes non-ASCII by default (ensure_ascii=True). */
function asciiJson(v: string | number | boolean | null): string {
  return JSON.stringify(v).replace(
    /[\u007f-\uffff]/g,
    (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, "0")}`,
  );
}
