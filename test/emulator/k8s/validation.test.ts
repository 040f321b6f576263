/** MutatingWebhookConfiguration create checks, worded and ordered as kube-apiserver words and orders them. */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { ApiError, invalid } from "./errors.ts";
import { goParseUrl, goUrlString } from "./go-url.ts";
import type { Obj } from "./json.ts";
import { ResourceRegistry } from "./resources.ts";
import { validateObject } from "./validation.ts";

const MWC = new ResourceRegistry().find(
  "admissionregistration.k8s.io",
  "v1",
  "mutatingwebhookconfigurations",
)!;

const HOOK = {
  name: "pod-identity-webhook.amazonaws.com",
  clientConfig: { url: "https://127.0.0.1:21364/mutate" },
  rules: [{ operations: ["CREATE"], apiGroups: [""], apiVersions: ["v1"], resources: ["pods"] }],
  sideEffects: "None",
  admissionReviewVersions: ["v1beta1"],
};

/** The 422's causes as `field: message`, or [] when the object is valid. */
function causes(...webhooks: Obj[]): string[] {
  const obj = {
    apiVersion: "admissionregistration.k8s.io/v1",
    kind: MWC.kind,
    metadata: { name: "irsa" },
    webhooks,
  };
  try {
    validateObject(MWC, obj);
    return [];
  } catch (e) {
    assert.ok(e instanceof ApiError);
    assert.equal(e.code, 422);
    return (e.details.causes ?? []).map((c) => `${c.field}: ${c.message}`);
  }
}

const url = (u: string): Obj => ({ ...HOOK, clientConfig: { url: u } });
const FORM = "; desired format: https://host[/path]";

describe("webhook clientConfig.url, read as Go's net/url reads it", () => {
  it("accepts an https URL with a host, port and path", () => {
    assert.deepEqual(causes(url("https://127.0.0.1:21364/mutate")), []);
  });

  it("finds no host in https:///path or https:/host/path (WHATWG URL would find one)", () => {
    for (const u of ["https:///mutate", "https:/127.0.0.1/mutate", "https:127.0.0.1"]) {
      assert.deepEqual(
        causes(url(u)),
        [`webhooks[0].clientConfig.url: Invalid value: "": host must be provided${FORM}`],
        u,
      );
    }
  });

  it("names the user information as user:password, and the raw query and the fragment", () => {
    assert.deepEqual(causes(url("https://me:secret@h.example/p?a=b%20c#frag%21")), [
      'webhooks[0].clientConfig.url: Invalid value: "me:secret": user information is not permitted in the URL',
      'webhooks[0].clientConfig.url: Invalid value: "frag!": fragments are not permitted in the URL',
      'webhooks[0].clientConfig.url: Invalid value: "a=b%20c": query parameters are not permitted in the URL',
    ]);
    assert.deepEqual(causes(url("https://@h.example/")), [
      'webhooks[0].clientConfig.url: Invalid value: "": user information is not permitted in the URL',
    ]);
  });

  it("calls a URL Go cannot parse a required value, with url.Parse's error", () => {
    assert.deepEqual(causes(url("https://h.example:80a/")), [
      `webhooks[0].clientConfig.url: Required value: url must be a valid URL: parse "https://h.example:80a/": invalid port ":80a" after host${FORM}`,
    ]);
    assert.deepEqual(causes(url("https://a b/")), [
      `webhooks[0].clientConfig.url: Required value: url must be a valid URL: parse "https://a b/": invalid character " " in host name${FORM}`,
    ]);
  });

  it("lowercases the scheme and reports any other one", () => {
    assert.deepEqual(causes(url("HTTPS://h.example/p")), []);
    assert.deepEqual(causes(url("http://h.example/p")), [
      `webhooks[0].clientConfig.url: Invalid value: "http": 'https' is the only allowed URL scheme${FORM}`,
    ]);
  });

  it("prints URLs back as URL.String does", () => {
    const print = (u: string) => {
      const p = goParseUrl(u);
      assert.ok(p.ok);
      return goUrlString(p.url);
    };
    assert.equal(print("http://x.example/openid/v1/jwks"), "http://x.example/openid/v1/jwks");
    assert.equal(print("http:/x/y"), "http:/x/y");
    assert.equal(print("http://h/a b?q#f g"), "http://h/a%20b?q#f%20g");
  });
});

describe("webhook rules and admissionReviewVersions", () => {
  it("refuses '*' next to other operations, API groups, versions or resources", () => {
    const rule = {
      operations: ["CREATE", "*"],
      apiGroups: ["", "*"],
      apiVersions: ["*", "v1"],
      resources: ["*", "pods"],
    };
    assert.deepEqual(causes({ ...HOOK, rules: [rule] }), [
      `webhooks[0].rules[0].operations: Invalid value: []admissionregistration.OperationType{"CREATE", "*"}: if '*' is present, must not specify other operations`,
      `webhooks[0].rules[0].apiGroups: Invalid value: []string{"", "*"}: if '*' is present, must not specify other API groups`,
      `webhooks[0].rules[0].apiVersions: Invalid value: []string{"*", "v1"}: if '*' is present, must not specify other API versions`,
      `webhooks[0].rules[0].resources: Invalid value: []string{"*", "pods"}: if '*' is present, must not specify other resources without subresources`,
    ]);
  });

  it("requires each API version and resource to be non-empty, and knows the scopes", () => {
    const rule = { ...HOOK.rules[0], apiVersions: ["v1", ""], resources: ["pods", ""], scope: "Pod" };
    assert.deepEqual(causes({ ...HOOK, rules: [rule] }), [
      "webhooks[0].rules[0].apiVersions[1]: Required value",
      "webhooks[0].rules[0].resources[1]: Required value",
      'webhooks[0].rules[0].scope: Unsupported value: "Pod": supported values: "*", "Cluster", "Namespaced"',
    ]);
  });

  it("refuses a repeated or malformed review version, and lists the versions with %#v", () => {
    assert.deepEqual(causes({ ...HOOK, admissionReviewVersions: ["v2", "v2", "V3"] }), [
      'webhooks[0].admissionReviewVersions[1]: Invalid value: "v2": duplicate version',
      `webhooks[0].admissionReviewVersions[2]: Invalid value: "V3": a DNS-1035 label must consist of lower case alphanumeric characters or '-', start with an alphabetic character, and end with an alphanumeric character (e.g. 'my-name',  or 'abc-123', regex used for validation is '[a-z]([-a-z0-9]*[a-z0-9])?')`,
      'webhooks[0].admissionReviewVersions: Invalid value: []string{"v2", "v2", "V3"}: must include at least one of v1, v1beta1',
    ]);
  });

  it("reports a duplicate name after that webhook's other problems, as the real loop does", () => {
    assert.deepEqual(causes(HOOK, { ...HOOK, admissionReviewVersions: [] }), [
      "webhooks[1].admissionReviewVersions: Required value: must specify one of v1, v1beta1",
      'webhooks[1].name: Duplicate value: "pod-identity-webhook.amazonaws.com"',
    ]);
  });

  it("takes a name with a trailing dot for what it is: not a DNS subdomain", () => {
    assert.deepEqual(causes({ ...HOOK, name: "pod-identity-webhook.amazonaws.com." }), [
      "webhooks[0].name: Invalid value: \"pod-identity-webhook.amazonaws.com.\": a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')",
    ]);
  });
});

describe("the 422 Status", () => {
  it("keeps every cause but prints a repeated message once, as ErrorList.ToAggregate does", () => {
    const cause = { type: "FieldValueRequired" as const, field: "spec.x", message: "Required value" };
    const e = invalid("Thing", "example.com", "t", [cause, cause]);
    assert.equal(e.message, 'Thing.example.com "t" is invalid: spec.x: Required value');
    assert.equal(e.details.causes?.length, 2);
  });
});
