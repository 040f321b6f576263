/** Switches that make a provider stand-in misbehave on the wire. CA rotation and revocation are
 * one-shot actions (methods on each stand-in) rather than switches. */
export type Misbehaviour =
  /** Hand out a certificate whose validity ended yesterday. */
  | "expired"
  /** Publish a certificate for a different key than the one we hold (or the one published). */
  | "wrong-key"
  /** Leave one requested SAN (the first in sorted order) out of the certificate. */
  | "missing-san"
  /** Publish the JSON-valued answer key as broken JSON. */
  | "malformed-json";

/** The text a legacy provider (a Python charm) publishes for a JSON value: charms.reactive
 * `JSONUnitDataView.__setitem__` stores `json.dumps(value, sort_keys=True)`, and CPython's
 * Lib/json/encoder.py then uses separators (", ", ": ") (no indent) and, with ensure_ascii,
 * `py_encode_basestring_ascii`: quote, backslash, newline, CR, tab, backspace and form feed as short
 * escapes, anything else outside 0x20–0x7e as \uXXXX (lowercase hex, per UTF-16 code unit). Written here, not imported from the charm,
 * so the stand-ins do not test the charm's codec against itself. The stand-ins only publish strings,
 * integers, booleans, null, arrays and objects. */
export function pythonJson(value: unknown): string {
  if (value === null) return "null";
  if (typeof value === "string") return pythonString(value);
  if (typeof value === "boolean") return value ? "true" : "false";
  if (typeof value === "number" && Number.isInteger(value)) return String(value);
  if (Array.isArray(value)) return `[${value.map(pythonJson).join(", ")}]`;
  if (typeof value === "object") {
    const keys = Object.keys(value).sort();
    const record = value as Record<string, unknown>;
    return `{${keys.map((k) => `${pythonString(k)}: ${pythonJson(record[k])}`).join(", ")}}`;
  }
  throw new Error(`the stand-ins never publish ${typeof value}`);
}

const SHORT_ESCAPES: Readonly<Record<string, string>> = {
  '"': '\\"',
  "\\": "\\\\",
  "\n": "\\n",
  "\r": "\\r",
  "\t": "\\t",
  "\b": "\\b",
  "\f": "\\f",
};

function pythonString(s: string): string {
  let out = "";
  for (let i = 0; i < s.length; i++) {
    const code = s.charCodeAt(i);
    out +=
      SHORT_ESCAPES[s[i]!] ??
      (code >= 0x20 && code <= 0x7e ? s[i]! : `\\u${code.toString(16).padStart(4, "0")}`);
  }
  return `"${out}"`;
}

/** Under "missing-san" the first SAN in sorted order is dropped (127.0.0.1 for the authenticator). */
export function sansFor(sans: readonly string[], misbehave: ReadonlySet<Misbehaviour>): string[] {
  if (!misbehave.has("missing-san")) return [...sans];
  const drop = [...sans].sort()[0];
  return sans.filter((s) => s !== drop);
}

export const MALFORMED_JSON = '{"truncated": ';
