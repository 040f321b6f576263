/** Server-side defaults kube-apiserver fills in on every write, for the kinds whose defaults a client sees
 * when it reads back what it applied. */
import { isObj, type Obj } from "./json.ts";

/**
 * kubernetes pkg/apis/admissionregistration/v1/defaults.go: SetDefaults_MutatingWebhook (failurePolicy Fail,
 * matchPolicy Equivalent, empty namespace/object selectors, timeoutSeconds 10, reinvocationPolicy Never),
 * SetDefaults_Rule (scope "*") and SetDefaults_ServiceReference (port 443).
 */
export function defaultMutatingWebhookConfiguration(obj: Obj): void {
  const hooks = Array.isArray(obj["webhooks"]) ? obj["webhooks"].filter(isObj) : [];
  for (const hook of hooks) {
    hook["failurePolicy"] ??= "Fail";
    hook["matchPolicy"] ??= "Equivalent";
    hook["namespaceSelector"] ??= {};
    hook["objectSelector"] ??= {};
    hook["timeoutSeconds"] ??= 10;
    hook["reinvocationPolicy"] ??= "Never";
    for (const rule of Array.isArray(hook["rules"]) ? hook["rules"].filter(isObj) : []) rule["scope"] ??= "*";
    const cc = isObj(hook["clientConfig"]) ? hook["clientConfig"] : undefined;
    if (cc && isObj(cc["service"])) cc["service"]["port"] ??= 443;
  }
}
