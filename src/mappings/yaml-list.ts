// The YAML text of a mapping list (a charm option or an aws-auth data key) read as a list, or what keeps it
// from being one; each caller words the problem for where the text came from.
import { jsYaml } from "../util/lazy-module.ts";
import { typeName } from "./fields.ts";

export type YamlList =
  | { readonly items: readonly unknown[] }
  /** Where and why the YAML does not parse: "line 2, column 1: …". */
  | { readonly invalidYaml: string }
  /** What the document is instead of a list: "a mapping", "a string", … */
  | { readonly notAList: string };

/**
 * Empty text or a null document is an empty list. Account IDs are read with the failsafe schema, so every
 * scalar stays the text the operator wrote (an unquoted 012345678901 keeps its leading zero); role and user
 * lists use YAML 1.2's core schema.
 */
export function loadYamlList(text: string, schema: "failsafe" | "core"): YamlList {
  // Most configs leave the mapping options empty: no js-yaml for them (it is a good part of a hook's start-up).
  if (text.trim() === "") return { items: [] };
  const yaml = jsYaml();
  let doc: unknown;
  try {
    doc = yaml.load(text, { schema: schema === "failsafe" ? yaml.FAILSAFE_SCHEMA : yaml.CORE_SCHEMA });
  } catch (error) {
    if (!(error instanceof yaml.YAMLException)) throw error;
    return { invalidYaml: `line ${error.mark.line + 1}, column ${error.mark.column + 1}: ${error.reason}` };
  }
  if (doc === null || doc === undefined) return { items: [] };
  return Array.isArray(doc) ? { items: doc } : { notAList: typeName(doc) };
}
