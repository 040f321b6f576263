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
  if (t.kind === "MutatingWebhookConfiguration") causes.push(...mutatingWebhookCauses(obj));
  if (causes.length > 0) throw invalid(t.kind, t.group, name, causes);
}

const quoted = (v: unknown): string => (typeof v === "string" ? `"${v}"` : String(v));
const invalidValue = (field: string, value: unknown, message: string): FieldCause => ({
  type: "FieldValueInvalid",
  field,
  message: `Invalid value: ${quoted(value)}: ${message}`,
});
const required = (field: string, message: string): FieldCause => ({
  type: "FieldValueRequired",
  field,
  message: `Required value${message ? `: ${message}` : ""}`,
});
function notSupported(field: string, value: unknown, supported: string[]): FieldCause | undefined {
  if (value === undefined || (typeof value === "string" && supported.includes(value))) return undefined;
  return {
    type: "FieldValueNotSupported",
    field,
    message: `Unsupported value: ${quoted(value)}: supported values: ${supported.map((v) => `"${v}"`).join(", ")}`,
  };
}

/** k8s.io/apiserver pkg/util/webhook/validation.go ValidateWebhookURL (forceHttps). */
function webhookUrlCauses(field: string, raw: string): FieldCause[] {
  const form = "; desired format: https://host[/path]";
  let u: URL;
  try {
    u = new URL(raw);
  } catch (e) {
    return [required(field, `url must be a valid URL: ${(e as Error).message}${form}`)];
  }
  const causes: FieldCause[] = [];
  if (u.protocol !== "https:")
    causes.push(
      invalidValue(field, u.protocol.replace(/:$/, ""), `'https' is the only allowed URL scheme${form}`),
    );
  if (u.host === "") causes.push(invalidValue(field, u.host, `host must be specified${form}`));
  if (u.username !== "" || u.password !== "")
    causes.push(invalidValue(field, u.username, "user information is not permitted in the URL"));
  if (u.hash !== "")
    causes.push(invalidValue(field, u.hash.slice(1), "fragments are not permitted in the URL"));
  if (u.search !== "")
    causes.push(invalidValue(field, u.search.slice(1), "query parameters are not permitted in the URL"));
  return causes;
}

/** apimachinery pkg/util/validation IsFullyQualifiedName: a DNS subdomain with at least three segments. */
function fullyQualifiedNameCause(field: string, name: unknown): FieldCause | undefined {
  if (typeof name !== "string" || name === "") return required(field, "");
  const trimmed = name.endsWith(".") ? name.slice(0, -1) : name;
  if (!DNS1123_SUBDOMAIN.test(trimmed) || trimmed.length > 253)
    return invalidValue(field, trimmed, DNS1123_MSG);
  if (trimmed.split(".").length < 3)
    return invalidValue(field, trimmed, "should be a domain with at least three segments separated by dots");
  return undefined;
}

/**
 * The create-time checks of kubernetes pkg/apis/admissionregistration/validation/validation.go
 * (validateMutatingWebhookConfiguration → validateMutatingWebhook, validateAdmissionReviewVersions,
 * validateRuleWithOperations) for the fields a charm sets: fully qualified unique names, the enums,
 * sideEffects None/NoneOnDryRun, timeoutSeconds 1..30, exactly one of url/service, and the URL rules.
 * Not emulated: label-selector syntax, matchConditions (CEL), service references' port/path.
 */
function mutatingWebhookCauses(obj: Obj): FieldCause[] {
  const causes: FieldCause[] = [];
  const hooks = Array.isArray(obj["webhooks"]) ? obj["webhooks"] : [];
  const names = new Set<string>();
  hooks.forEach((hook: unknown, i) => {
    const at = `webhooks[${i}]`;
    const h = isObj(hook) ? hook : {};
    const bad = (c: FieldCause | undefined): void => {
      if (c) causes.push(c);
    };
    bad(fullyQualifiedNameCause(`${at}.name`, h["name"]));
    const name = str(h["name"]);
    if (name) {
      if (names.has(name))
        causes.push({
          type: "FieldValueDuplicate",
          field: `${at}.name`,
          message: `Duplicate value: "${name}"`,
        });
      names.add(name);
    }
    const rules = Array.isArray(h["rules"]) ? h["rules"] : [];
    rules.forEach((rule: unknown, j) => {
      const r = isObj(rule) ? rule : {};
      const ops = Array.isArray(r["operations"]) ? r["operations"] : [];
      if (ops.length === 0) causes.push(required(`${at}.rules[${j}].operations`, ""));
      for (const [k, op] of ops.entries()) {
        const supported = ["*", "CONNECT", "CREATE", "DELETE", "UPDATE"];
        bad(notSupported(`${at}.rules[${j}].operations[${k}]`, op, supported));
      }
      for (const list of ["apiGroups", "apiVersions", "resources"])
        if (!Array.isArray(r[list]) || r[list].length === 0)
          causes.push(required(`${at}.rules[${j}].${list}`, ""));
    });
    bad(notSupported(`${at}.failurePolicy`, h["failurePolicy"], ["Fail", "Ignore"]));
    bad(notSupported(`${at}.matchPolicy`, h["matchPolicy"], ["Equivalent", "Exact"]));
    if (h["sideEffects"] === undefined)
      causes.push(required(`${at}.sideEffects`, "must specify one of None, NoneOnDryRun"));
    else bad(notSupported(`${at}.sideEffects`, h["sideEffects"], ["None", "NoneOnDryRun"]));
    const timeout = h["timeoutSeconds"];
    if (typeof timeout === "number" && (timeout < 1 || timeout > 30))
      causes.push(
        invalidValue(`${at}.timeoutSeconds`, timeout, "the timeout value must be between 1 and 30 seconds"),
      );
    bad(notSupported(`${at}.reinvocationPolicy`, h["reinvocationPolicy"], ["IfNeeded", "Never"]));
    const cc = isObj(h["clientConfig"]) ? h["clientConfig"] : {};
    const url = str(cc["url"]);
    if ((url === undefined) === (cc["service"] === undefined))
      causes.push(required(`${at}.clientConfig`, "exactly one of url or service is required"));
    else if (url !== undefined) causes.push(...webhookUrlCauses(`${at}.clientConfig.url`, url));
    const versions = Array.isArray(h["admissionReviewVersions"]) ? h["admissionReviewVersions"] : [];
    if (versions.length === 0)
      causes.push(required(`${at}.admissionReviewVersions`, "must specify one of v1, v1beta1"));
    else if (!versions.some((v) => v === "v1" || v === "v1beta1"))
      causes.push(
        invalidValue(
          `${at}.admissionReviewVersions`,
          versions.join(","),
          "must include at least one of v1, v1beta1",
        ),
      );
  });
  return causes;
}
