/** Python's `json.dumps(value)` (and `sort_keys=True`) as the Python stand-ins write JSON: CPython
 * Lib/json/encoder.py JSONEncoder with its defaults — separators (", ", ": ") when indent is None, and
 * ensure_ascii=True, so every string (keys too) goes through `py_encode_basestring_ascii`: quote,
 * backslash, \b \f \n \r \t as short escapes (ESCAPE_DCT), anything else outside ' '..'~' as \uXXXX with
 * lowercase hex, a character above U+FFFF as its surrogate pair — i.e. one escape per UTF-16 code unit.
 * Written here, not imported from the charm (src/util/python-json.ts), so the stand-ins do not test the
 * charm's codec against itself. They only ever write strings, integers, booleans, null, lists and dicts. */
export interface DumpsOptions {
  /** `sort_keys=True`: keys in Python's str order (code points). */
  readonly sortKeys?: boolean;
}

export function pyJsonDumps(value: unknown, options: DumpsOptions = {}): string {
  if (value === null) return "null";
  if (typeof value === "string") return pyJsonString(value);
  if (typeof value === "boolean") return value ? "true" : "false";
  if (typeof value === "number" && Number.isInteger(value)) return String(value);
  if (Array.isArray(value)) return `[${value.map((v) => pyJsonDumps(v, options)).join(", ")}]`;
  if (typeof value === "object") {
    const record = value as Record<string, unknown>;
    const keys = Object.keys(record);
    if (options.sortKeys) keys.sort(byCodePoint);
    return `{${keys.map((k) => `${pyJsonString(k)}: ${pyJsonDumps(record[k], options)}`).join(", ")}}`;
  }
  throw new Error(`the stand-ins never write ${typeof value} as JSON`);
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

/** py_encode_basestring_ascii. */
export function pyJsonString(s: string): string {
  let out = "";
  for (let i = 0; i < s.length; i++) {
    const code = s.charCodeAt(i);
    out +=
      SHORT_ESCAPES[s[i]!] ??
      (code >= 0x20 && code <= 0x7e ? s[i]! : `\\u${code.toString(16).padStart(4, "0")}`);
  }
  return `"${out}"`;
}

/** Python compares str by code point; JavaScript's default sort by UTF-16 unit, which differs above U+FFFF. */
function byCodePoint(a: string, b: string): number {
  const x = Array.from(a, (c) => c.codePointAt(0)!);
  const y = Array.from(b, (c) => c.codePointAt(0)!);
  for (let i = 0; i < Math.min(x.length, y.length); i++) {
    if (x[i] !== y[i]) return x[i]! - y[i]!;
  }
  return x.length - y.length;
}
