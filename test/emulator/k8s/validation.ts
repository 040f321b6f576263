/** The few validations whose errors tests are likely to meet. */
import { type FieldCause, invalid } from "./errors.ts";
import { goParseUrl, goQuote, goUserString } from "./go-url.ts";
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

/*
 * Field errors as apimachinery renders them (staging/src/k8s.io/apimachinery/pkg/util/validation/field/errors.go:
 * Invalid, Required, NotSupported, Duplicate and Error.ErrorBody, which prints a string bad value with %q, a number
 * with %v and anything else, such as a []string, with %#v).
 */
type BadValue = string | number | { goType: string; items: unknown[] };
function goValue(v: BadValue): string {
  if (typeof v === "string") return goQuote(v);
  if (typeof v === "number") return String(v);
  return `${v.goType}{${v.items.map((x) => goQuote(String(x))).join(", ")}}`;
}
const strings = (items: unknown[]): BadValue => ({ goType: "[]string", items });
const invalidValue = (field: string, value: BadValue, detail: string): FieldCause => ({
  type: "FieldValueInvalid",
  field,
  message: `Invalid value: ${goValue(value)}: ${detail}`,
});
const required = (field: string, detail: string): FieldCause => ({
  type: "FieldValueRequired",
  field,
  message: `Required value${detail ? `: ${detail}` : ""}`,
});
/** field.NotSupported with the sorted list the Go code passes (sets.String.List()). */
function notSupported(field: string, value: unknown, supported: string[]): FieldCause | undefined {
  if (value === undefined || (typeof value === "string" && supported.includes(value))) return undefined;
  return {
    type: "FieldValueNotSupported",
    field,
    message: `Unsupported value: ${goValue(typeof value === "number" ? value : String(value))}: supported values: ${supported.map((v) => goQuote(v)).join(", ")}`,
  };
}
const duplicate = (field: string, value: string): FieldCause => ({
  type: "FieldValueDuplicate",
  field,
  message: `Duplicate value: ${goQuote(value)}`,
});

/** apimachinery pkg/util/validation/validation.go RegexError (two examples: note Go's double space). */
const regexError = (msg: string, fmt: string, examples: string[]): string =>
  `${msg} (e.g. ${examples.map((e) => `'${e}', `).join(" or ")}regex used for validation is '${fmt}')`;

/** apimachinery pkg/util/validation/validation.go IsDNS1123Subdomain. */
function dns1123SubdomainErrors(value: string): string[] {
  const errs: string[] = [];
  if (value.length > 253) errs.push("must be no more than 253 characters");
  if (!DNS1123_SUBDOMAIN.test(value)) errs.push(DNS1123_MSG);
  return errs;
}

/** apimachinery pkg/util/validation/validation.go IsDNS1035Label. */
function dns1035LabelErrors(value: string): string[] {
  const fmt = "[a-z]([-a-z0-9]*[a-z0-9])?";
  const errs: string[] = [];
  if (value.length > 63) errs.push("must be no more than 63 characters");
  if (!new RegExp(`^${fmt}$`).test(value)) {
    const msg =
      "a DNS-1035 label must consist of lower case alphanumeric characters or '-', start with an alphabetic character, and end with an alphanumeric character";
    errs.push(regexError(msg, fmt, ["my-name", "abc-123"]));
  }
  return errs;
}

/**
 * apimachinery pkg/util/validation/validation.go IsFullyQualifiedName: a DNS subdomain (no trailing dot:
 * that is IsFullyQualifiedDomainName) with at least three segments.
 */
function fullyQualifiedNameCause(field: string, name: string): FieldCause | undefined {
  if (name === "") return required(field, "");
  const errs = dns1123SubdomainErrors(name);
  if (errs.length > 0) return invalidValue(field, name, errs.join(","));
  if (name.split(".").length < 3)
    return invalidValue(field, name, "should be a domain with at least three segments separated by dots");
  return undefined;
}

/**
 * k8s.io/apiserver pkg/util/webhook/validation.go ValidateWebhookURL (forceHttps), on Go's url.Parse: a URL
 * such as `https:///p` or `https:/h/p` has no host there, whatever WHATWG URL makes of it.
 */
function webhookUrlCauses(field: string, raw: string): FieldCause[] {
  const form = "; desired format: https://host[/path]";
  const parsed = goParseUrl(raw);
  if (!parsed.ok) return [required(field, `url must be a valid URL: ${parsed.error}${form}`)];
  const u = parsed.url;
  const causes: FieldCause[] = [];
  if (u.scheme !== "https")
    causes.push(invalidValue(field, u.scheme, `'https' is the only allowed URL scheme${form}`));
  if (u.host === "") causes.push(invalidValue(field, u.host, `host must be provided${form}`));
  if (u.user !== undefined)
    causes.push(invalidValue(field, goUserString(u.user), "user information is not permitted in the URL"));
  if (u.fragment !== "")
    causes.push(invalidValue(field, u.fragment, "fragments are not permitted in the URL"));
  if (u.rawQuery !== "")
    causes.push(invalidValue(field, u.rawQuery, "query parameters are not permitted in the URL"));
  return causes;
}

const list = (v: unknown): unknown[] => (Array.isArray(v) ? v : []);
const hasWildcard = (items: unknown[]): boolean => items.includes("*");

/** pkg/apis/admissionregistration/validation/validation.go validateResources (subresources allowed). */
function resourcesCauses(at: string, resources: unknown[]): FieldCause[] {
  const causes: FieldCause[] = [];
  if (resources.length === 0) causes.push(required(at, ""));
  const withWildcardSub = new Set<string>();
  const subWithWildcardRes = new Set<string>();
  let doubleWildcard = false;
  let singleWildcard = false;
  let plain = false;
  resources.forEach((item, i) => {
    const resSub = String(item);
    if (resSub === "") {
      causes.push(required(`${at}[${i}]`, ""));
      return;
    }
    if (resSub === "*/*") doubleWildcard = true;
    if (resSub === "*") singleWildcard = true;
    const slash = resSub.indexOf("/");
    if (slash < 0) {
      plain = resSub !== "*";
      return;
    }
    const [res, sub] = [resSub.slice(0, slash), resSub.slice(slash + 1)];
    if (withWildcardSub.has(res))
      causes.push(
        invalidValue(`${at}[${i}]`, resSub, `if '${res}/*' is present, must not specify ${resSub}`),
      );
    if (subWithWildcardRes.has(sub))
      causes.push(
        invalidValue(`${at}[${i}]`, resSub, `if '*/${sub}' is present, must not specify ${resSub}`),
      );
    if (sub === "*") withWildcardSub.add(res);
    if (res === "*") subWithWildcardRes.add(sub);
  });
  if (resources.length > 1 && doubleWildcard)
    causes.push(
      invalidValue(at, strings(resources), "if '*/*' is present, must not specify other resources"),
    );
  if (singleWildcard && plain)
    causes.push(
      invalidValue(
        at,
        strings(resources),
        "if '*' is present, must not specify other resources without subresources",
      ),
    );
  return causes;
}

/** validation.go validateRuleWithOperations, then validateRule on the same path (the Rule is embedded). */
function ruleCauses(at: string, r: Obj): FieldCause[] {
  const causes: FieldCause[] = [];
  const ops = list(r["operations"]);
  if (ops.length === 0) causes.push(required(`${at}.operations`, ""));
  if (ops.length > 1 && hasWildcard(ops))
    causes.push(
      invalidValue(
        `${at}.operations`,
        { goType: "[]admissionregistration.OperationType", items: ops },
        "if '*' is present, must not specify other operations",
      ),
    );
  ops.forEach((op, k) => {
    const c = notSupported(`${at}.operations[${k}]`, op, ["*", "CONNECT", "CREATE", "DELETE", "UPDATE"]);
    if (c) causes.push(c);
  });
  const groups = list(r["apiGroups"]);
  if (groups.length === 0) causes.push(required(`${at}.apiGroups`, ""));
  if (groups.length > 1 && hasWildcard(groups))
    causes.push(
      invalidValue(
        `${at}.apiGroups`,
        strings(groups),
        "if '*' is present, must not specify other API groups",
      ),
    );
  const versions = list(r["apiVersions"]);
  if (versions.length === 0) causes.push(required(`${at}.apiVersions`, ""));
  if (versions.length > 1 && hasWildcard(versions))
    causes.push(
      invalidValue(
        `${at}.apiVersions`,
        strings(versions),
        "if '*' is present, must not specify other API versions",
      ),
    );
  versions.forEach((v, k) => {
    if (v === "") causes.push(required(`${at}.apiVersions[${k}]`, ""));
  });
  causes.push(...resourcesCauses(`${at}.resources`, list(r["resources"])));
  const scope = notSupported(`${at}.scope`, r["scope"], ["*", "Cluster", "Namespaced"]);
  if (scope) causes.push(scope);
  return causes;
}

/** validation.go validateAdmissionReviewVersions (create: a recognised version is required). */
function admissionReviewVersionsCauses(at: string, versions: unknown[]): FieldCause[] {
  if (versions.length === 0) return [required(at, "must specify one of v1, v1beta1")];
  const causes: FieldCause[] = [];
  const seen = new Set<string>();
  versions.forEach((item, i) => {
    const v = String(item);
    if (seen.has(v)) {
      causes.push(invalidValue(`${at}[${i}]`, v, "duplicate version"));
      return;
    }
    seen.add(v);
    for (const e of dns1035LabelErrors(v)) causes.push(invalidValue(`${at}[${i}]`, v, e));
  });
  if (!versions.some((v) => v === "v1" || v === "v1beta1"))
    causes.push(invalidValue(at, strings(versions), "must include at least one of v1, v1beta1"));
  return causes;
}

/**
 * The create-time checks of kubernetes pkg/apis/admissionregistration/validation/validation.go
 * validateMutatingWebhookConfiguration, in its order: per webhook, validateMutatingWebhook (fully qualified
 * name, rules, failurePolicy, matchPolicy, sideEffects None/NoneOnDryRun, timeoutSeconds 1..30,
 * reinvocationPolicy, exactly one of url/service, the URL rules), then validateAdmissionReviewVersions, then
 * the Duplicate name check. Updates are checked the same way; the real server relaxes a few checks on update
 * when the stored object already broke them (ValidateMutatingWebhookConfigurationUpdate), which an object
 * created here cannot. Not emulated (the charm sends none of them, or sends them fixed):
 * namespaceSelector/objectSelector syntax (metav1validation.ValidateLabelSelector), matchConditions (CEL),
 * and clientConfig.service (ValidateWebhookService: name, namespace, port 1..65535, path segments).
 */
function mutatingWebhookCauses(obj: Obj): FieldCause[] {
  const causes: FieldCause[] = [];
  const names = new Set<string>();
  list(obj["webhooks"]).forEach((hook: unknown, i) => {
    const at = `webhooks[${i}]`;
    const h = isObj(hook) ? hook : {};
    const bad = (c: FieldCause | undefined): void => {
      if (c) causes.push(c);
    };
    const name = str(h["name"]) ?? "";
    bad(fullyQualifiedNameCause(`${at}.name`, name));
    list(h["rules"]).forEach((rule, j) => {
      causes.push(...ruleCauses(`${at}.rules[${j}]`, isObj(rule) ? rule : {}));
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
    causes.push(
      ...admissionReviewVersionsCauses(`${at}.admissionReviewVersions`, list(h["admissionReviewVersions"])),
    );
    if (name !== "") {
      if (names.has(name)) causes.push(duplicate(`${at}.name`, name));
      else names.add(name);
    }
  });
  return causes;
}
