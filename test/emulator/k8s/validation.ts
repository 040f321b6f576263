/** The few validations whose errors tests are likely to meet. */
import { type FieldCause, invalid } from "./errors.ts";
import { isObj, type Obj, str } from "./json.ts";
import type { ResourceType } from "./resources.ts";

const DNS1123_SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
const DNS1123_MSG =
  "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')";

/** RBAC objects only need to be valid path segments (names like `system:aws-iam` are fine). */
function nameProblem(t: ResourceType, name: string): string | undefined {
  if (t.group === "rbac.authorization.k8s.io") {
    if (name === "." || name === "..") return `may not be '${name}'`;
    if (/[/%]/.test(name)) return `may not contain '${name.includes("/") ? "/" : "%"}'`;
    return undefined;
  }
  if (name.length > 253) return "must be no more than 253 characters";
  return DNS1123_SUBDOMAIN.test(name) ? undefined : DNS1123_MSG;
}

export function validateObject(t: ResourceType, obj: Obj): void {
  const md = isObj(obj["metadata"]) ? obj["metadata"] : {};
  const name = str(md["name"]) ?? "";
  const causes: FieldCause[] = [];
  if (!name) {
    causes.push({
      type: "FieldValueRequired",
      field: "metadata.name",
      message: "Required value: name or generateName is required",
    });
  } else {
    const problem = nameProblem(t, name);
    if (problem) {
      causes.push({
        type: "FieldValueInvalid",
        field: "metadata.name",
        message: `Invalid value: "${name}": ${problem}`,
      });
    }
  }
  if (t.kind === "CustomResourceDefinition" && name) {
    const spec = isObj(obj["spec"]) ? obj["spec"] : {};
    const names = isObj(spec["names"]) ? spec["names"] : {};
    const expected = `${str(names["plural"]) ?? ""}.${str(spec["group"]) ?? ""}`;
    if (name !== expected) {
      causes.push({
        type: "FieldValueInvalid",
        field: "metadata.name",
        message: `Invalid value: "${name}": must be spec.names.plural+"."+spec.group`,
      });
    }
  }
  if (causes.length > 0) throw invalid(t.kind, t.group, name, causes);
}
