// The JSON codec charms.reactive Endpoints use for relation data, so that a reactive peer reads our
// values byte-for-byte as if a reactive charm had written them.
//
// charms.reactive `JSONUnitDataView.__setitem__` stores `json.dumps(value, sort_keys=True)`; every other
// json.dumps argument is Python's default: separators ", " and ": ", ensure_ascii=True (anything outside
// 0x20-0x7e becomes a lowercase \uXXXX escape, astral characters as surrogate pairs), allow_nan=True.
// `__getitem__` returns a falsy raw value ("" or missing) unchanged and otherwise json.loads it, falling
// back to the raw string when that fails.

/** A value this codec cannot encode, or relation data that is not JSON. Never carries the full value. */
export class ReactiveJsonError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = "ReactiveJsonError";
  }
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

/** Python's `json.dumps(s)` with ensure_ascii=True, per UTF-16 code unit (lone surrogates included, as Python does). */
function encodeString(s: string): string {
  let out = '"';
  for (let i = 0; i < s.length; i++) {
    const ch = s[i]!;
    const code = s.charCodeAt(i);
    const short = SHORT_ESCAPES[ch];
    if (short !== undefined) out += short;
    else if (code >= 0x20 && code <= 0x7e) out += ch;
    else out += `\\u${code.toString(16).padStart(4, "0")}`;
  }
  return `${out}"`;
}

/**
 * Python's `repr(float)`: shortest round-trip digits (same digits JS picks), scientific notation when the
 * decimal exponent is < -4 or >= 16, exponent signed and at least two digits, and fixed notation always
 * showing a fractional part.
 */
function pythonFloatRepr(n: number): string {
  const [mantissa, expText] = n.toExponential().split("e") as [string, string];
  const exp = Number(expText);
  const negative = mantissa.startsWith("-");
  const digits = mantissa.replace("-", "").replace(".", "");
  const sign = negative ? "-" : "";
  if (exp < -4 || exp >= 16) {
    const frac = digits.length > 1 ? `.${digits.slice(1)}` : "";
    const expSign = exp < 0 ? "-" : "+";
    return `${sign}${digits[0]}${frac}e${expSign}${String(Math.abs(exp)).padStart(2, "0")}`;
  }
  if (exp < 0) return `${sign}0.${"0".repeat(-exp - 1)}${digits}`;
  const intPart = digits.slice(0, exp + 1).padEnd(exp + 1, "0");
  const fracPart = digits.slice(exp + 1) || "0";
  return `${sign}${intPart}.${fracPart}`;
}

function encodeNumber(n: number): string {
  // Python's allow_nan would write NaN/Infinity, which no strict JSON parser (including ours) reads back.
  if (!Number.isFinite(n)) throw new ReactiveJsonError(`cannot encode non-finite number ${n}`);
  // JS has one number type: integral values are written as Python ints, the rest as Python floats.
  if (Number.isInteger(n)) return BigInt(n).toString();
  return pythonFloatRepr(n);
}

/** Python sorts str keys by code point; JS's default sort compares UTF-16 code units. */
function compareCodePoints(a: string, b: string): number {
  const ca = Array.from(a, (c) => c.codePointAt(0)!);
  const cb = Array.from(b, (c) => c.codePointAt(0)!);
  for (let i = 0; i < Math.min(ca.length, cb.length); i++) {
    if (ca[i] !== cb[i]) return ca[i]! - cb[i]!;
  }
  return ca.length - cb.length;
}

function isPlainObject(value: object): value is Record<string, unknown> {
  const proto = Object.getPrototypeOf(value);
  return proto === Object.prototype || proto === null;
}

function encodeValue(value: unknown, path: string): string {
  if (value === null) return "null";
  switch (typeof value) {
    case "boolean":
      return value ? "true" : "false";
    case "string":
      return encodeString(value);
    case "number":
      return encodeNumber(value);
    case "bigint":
      return value.toString();
    case "object": {
      if (Array.isArray(value)) {
        return `[${value.map((item, i) => encodeValue(item, `${path}[${i}]`)).join(", ")}]`;
      }
      if (!isPlainObject(value)) throw new ReactiveJsonError(`cannot encode a non-plain object at ${path}`);
      const keys = Object.keys(value).sort(compareCodePoints);
      const members = keys.map((k) => `${encodeString(k)}: ${encodeValue(value[k], `${path}.${k}`)}`);
      return `{${members.join(", ")}}`;
    }
    default:
      // undefined, functions, symbols: Python has no such values; refusing beats silently dropping them.
      throw new ReactiveJsonError(`cannot encode a value of type ${typeof value} at ${path}`);
  }
}

/** Exactly what charms.reactive's `relation.to_publish[key] = value` writes into the databag. */
export function encodeReactive(value: unknown): string {
  return encodeValue(value, "$");
}

/**
 * What charms.reactive's `unit.received[key]` returns: missing → undefined (Python None), "" → "",
 * otherwise the parsed JSON. Where reactive would silently fall back to the raw string on invalid JSON,
 * this throws ReactiveJsonError so callers decide explicitly. (Python also accepts the non-standard
 * tokens NaN/Infinity; JSON.parse does not, and nothing on these relations writes them.)
 */
export function decodeReactive(raw: string | undefined): unknown {
  if (raw === undefined || raw === "") return raw;
  try {
    return JSON.parse(raw) as unknown;
  } catch (error) {
    throw new ReactiveJsonError(`relation value is not JSON (${raw.length} characters)`, { cause: error });
  }
}
