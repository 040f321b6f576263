// Block-style YAML for documents whose every string is plainly safe, written without js-yaml: the
// authenticator's config.yaml is rendered in every hook of the leader, and loading js-yaml is a good part of
// such a hook's start-up. The output is what js-yaml's dump (indent 2, lineWidth -1, noRefs) gives for the
// same value; anything this writer is not sure of (a string that might need quotes, a float, nested
// sequences) gives undefined and the caller dumps with js-yaml. test/unit/util/plain-yaml.test.ts holds it
// equal to js-yaml over random documents.
import { isRecord } from "./is-record.ts";

/** Strings js-yaml writes unquoted, by a conservative rule: a letter or '/' first, then letters, digits and
 * `_./-`, not a YAML 1.1 boolean or null; or a dotted quad; or letters and digits with a letter no number
 * form uses (so neither decimal, hex, octal, binary nor exponent). */
const NAME = /^[A-Za-z/][A-Za-z0-9_./-]*$/;
const DOTTED_QUAD = /^[0-9]{1,3}(?:\.[0-9]{1,3}){3}$/;
const ALNUM = /^[0-9][A-Za-z0-9]*$/;
const NOT_A_NUMBER_LETTER = /[g-np-wyzG-NP-WYZ]/;
const KEYWORDS = new Set(["true", "false", "null", "yes", "no", "on", "off", "y", "n"]);

export function isPlainSafe(text: string): boolean {
  if (NAME.test(text)) return !KEYWORDS.has(text.toLowerCase());
  return DOTTED_QUAD.test(text) || (ALNUM.test(text) && NOT_A_NUMBER_LETTER.test(text));
}

function scalar(value: unknown): string | undefined {
  if (typeof value === "string") return isPlainSafe(value) ? value : undefined;
  if (typeof value === "boolean") return String(value);
  if (typeof value === "number")
    return Number.isSafeInteger(value) && !Object.is(value, -0) ? String(value) : undefined;
  if (value === null) return "null";
  return undefined;
}

/** Lines of `value` as a block node at `indent`; undefined when unsure. */
function block(value: unknown, indent: string): string[] | undefined {
  if (Array.isArray(value)) {
    const lines: string[] = [];
    for (const item of value) {
      if (Array.isArray(item)) return undefined;
      if (isRecord(item) && Object.keys(item).length > 0) {
        const inner = block(item, `${indent}  `);
        if (inner === undefined) return undefined;
        // The first key goes on the dash's line.
        lines.push(`${indent}- ${inner[0]!.slice(indent.length + 2)}`, ...inner.slice(1));
      } else {
        const text = isRecord(item) ? "{}" : scalar(item);
        if (text === undefined) return undefined;
        lines.push(`${indent}- ${text}`);
      }
    }
    return lines;
  }
  if (!isRecord(value)) return undefined;
  const lines: string[] = [];
  for (const [key, item] of Object.entries(value)) {
    if (!isPlainSafe(key)) return undefined;
    const empty = Array.isArray(item) ? item.length === 0 : isRecord(item) && Object.keys(item).length === 0;
    if (empty) {
      lines.push(`${indent}${key}: ${Array.isArray(item) ? "[]" : "{}"}`);
    } else if (Array.isArray(item) || isRecord(item)) {
      const inner = block(item, `${indent}  `);
      if (inner === undefined) return undefined;
      lines.push(`${indent}${key}:`, ...inner);
    } else {
      const text = scalar(item);
      if (text === undefined) return undefined;
      lines.push(`${indent}${key}: ${text}`);
    }
  }
  return lines;
}

/** The document as js-yaml would dump it, or undefined when this writer is not sure it would. */
export function plainBlockYaml(document: Readonly<Record<string, unknown>>): string | undefined {
  if (Object.keys(document).length === 0) return undefined;
  const lines = block(document, "");
  return lines === undefined ? undefined : `${lines.join("\n")}\n`;
}
