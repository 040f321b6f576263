/** Service-account issuer discovery and MutatingWebhookConfiguration validation, as kube-apiserver does them. */
import assert from "node:assert/strict";
import { createHash, createPublicKey } from "node:crypto";
import { request } from "node:https";
import { after, before, describe, it } from "node:test";
import type { KubeApiEmulator } from "./emulator.ts";
import { startKubeApiEmulator } from "./emulator.ts";
import type { Obj } from "./json.ts";

interface Reply {
  code: number;
  body: string;
  headers: Record<string, string | string[] | undefined>;
}

function call(
  api: KubeApiEmulator,
  method: string,
  path: string,
  body?: string,
  token = api.token,
): Promise<Reply> {
  return new Promise((resolve, reject) => {
    const req = request(
      `${api.url}${path}`,
      {
        method,
        ca: api.caPem,
        // A new connection each time: a stopped server refuses new ones (a kept-alive one just hangs up).
        agent: false,
        headers: {
          authorization: `Bearer ${token}`,
          ...(body !== undefined ? { "content-type": "application/json" } : {}),
        },
      },
      (res) => {
        let text = "";
        res.setEncoding("utf8");
        res.on("data", (c: string) => {
          text += c;
        });
        res.on("end", () => resolve({ code: res.statusCode ?? 0, body: text, headers: res.headers }));
      },
    );
    req.on("error", reject);
    req.end(body);
  });
}

const WEBHOOK = {
  name: "pod-identity-webhook.amazonaws.com",
  clientConfig: { url: "https://127.0.0.1:21364/mutate" },
  rules: [{ operations: ["CREATE"], apiGroups: [""], apiVersions: ["v1"], resources: ["pods"] }],
  failurePolicy: "Ignore",
  sideEffects: "None",
  admissionReviewVersions: ["v1beta1"],
};

function mwc(webhooks: Obj[]): string {
  return JSON.stringify({
    apiVersion: "admissionregistration.k8s.io/v1",
    kind: "MutatingWebhookConfiguration",
    metadata: { name: "irsa" },
    webhooks,
  });
}

describe("service-account issuer discovery", () => {
  let api: KubeApiEmulator;
  before(async () => {
    api = await startKubeApiEmulator();
  });
  after(async () => {
    await api.close();
  });

  it("serves CK's issuer with the JWKS at the API server's own address by default", async () => {
    const r = await call(api, "GET", "/.well-known/openid-configuration");
    assert.equal(r.code, 200);
    assert.equal(r.headers["content-type"], "application/json");
    assert.equal(r.headers["cache-control"], "public, max-age=3600");
    assert.equal(
      r.body,
      `{"issuer":"https://kubernetes.default.svc","jwks_uri":"https://127.0.0.1:${api.port}/openid/v1/jwks",` +
        `"response_types_supported":["id_token"],"subject_types_supported":["public"],` +
        `"id_token_signing_alg_values_supported":["RS256"]}`,
    );
  });

  it("serves a real RSA key whose kid is the SHA-256 of its PKIX DER, base64url", async () => {
    const r = await call(api, "GET", "/openid/v1/jwks");
    assert.equal(r.code, 200);
    assert.equal(r.headers["content-type"], "application/jwk-set+json");
    const { keys } = JSON.parse(r.body) as { keys: Array<Record<string, string>> };
    assert.equal(keys.length, 1);
    const key = keys[0]!;
    assert.deepEqual(Object.keys(key), ["use", "kty", "kid", "alg", "n", "e"]);
    assert.equal(key["use"], "sig");
    assert.equal(key["alg"], "RS256");
    const pub = createPublicKey({ key: { kty: "RSA", n: key["n"]!, e: key["e"]! }, format: "jwk" });
    assert.equal(pub.asymmetricKeyDetails?.modulusLength, 2048);
    const kid = createHash("sha256")
      .update(pub.export({ type: "spki", format: "der" }))
      .digest("base64url");
    assert.equal(key["kid"], kid);
  });

  it("follows the issuer flags when the API server is restarted with them", async () => {
    const before = JSON.parse((await call(api, "GET", "/openid/v1/jwks")).body) as unknown;
    api.setServiceAccountIssuer(
      "https://bucket.s3.eu-west-1.amazonaws.com/prod",
      "https://bucket.s3.eu-west-1.amazonaws.com/prod/openid/v1/jwks",
    );
    const config = JSON.parse((await call(api, "GET", "/.well-known/openid-configuration")).body) as Obj;
    assert.equal(config["issuer"], "https://bucket.s3.eu-west-1.amazonaws.com/prod");
    assert.equal(config["jwks_uri"], "https://bucket.s3.eu-west-1.amazonaws.com/prod/openid/v1/jwks");
    assert.deepEqual(
      JSON.parse((await call(api, "GET", "/openid/v1/jwks")).body),
      before,
      "same signing key",
    );
  });

  it("installs no discovery endpoints for an issuer that is not https, as kube-apiserver skips them", async () => {
    api.setServiceAccountIssuer("kubernetes/serviceaccount");
    assert.equal((await call(api, "GET", "/.well-known/openid-configuration")).code, 404);
    assert.equal((await call(api, "GET", "/openid/v1/jwks")).code, 404);
    api.setServiceAccountIssuer("https://kubernetes.default.svc");
  });

  it("keeps serving, without discovery, an issuer with a ':' that Go parses but that is not https", async () => {
    await api.setServiceAccountIssuer("http://kubernetes.default.svc");
    assert.deepEqual(api.startupErrors, []);
    assert.equal((await call(api, "GET", "/.well-known/openid-configuration")).code, 404);
    assert.equal((await call(api, "GET", "/version")).code, 200);
    await api.setServiceAccountIssuer("https://kubernetes.default.svc");
  });

  it("does not run at all with flags kube-apiserver refuses, until it gets flags it accepts", async () => {
    const refused = async (issuer: string, jwksUri?: string): Promise<string[]> => {
      await api.setServiceAccountIssuer(issuer, jwksUri);
      await assert.rejects(call(api, "GET", "/version"), { code: "ECONNREFUSED" });
      return api.startupErrors;
    };
    assert.deepEqual(await refused("https://kubernetes.default.svc", "http://x.example/openid/v1/jwks"), [
      "service-account-jwks-uri requires https scheme, parsed as: http://x.example/openid/v1/jwks",
    ]);
    assert.deepEqual(await refused("https://s3.amazonaws.com:bucket/prod"), [
      "service-account-issuer \"https://s3.amazonaws.com:bucket/prod\" contained a ':' but was not a valid URL: " +
        'parse "https://s3.amazonaws.com:bucket/prod": invalid port ":bucket" after host',
    ]);
    await api.restart();
    await assert.rejects(call(api, "GET", "/version"), { code: "ECONNREFUSED" }, "a restart does not help");

    await api.setServiceAccountIssuer("https://kubernetes.default.svc");
    assert.deepEqual(api.startupErrors, []);
    const config = await call(api, "GET", "/.well-known/openid-configuration");
    assert.equal(config.code, 200);
    assert.equal((JSON.parse(config.body) as Obj)["issuer"], "https://kubernetes.default.svc");
  });

  it("answers only GET there, and only with credentials", async () => {
    assert.equal((await call(api, "POST", "/.well-known/openid-configuration", "{}")).code, 405);
    const anonymous = await call(api, "GET", "/.well-known/openid-configuration", undefined, "wrong");
    assert.equal(anonymous.code, 401);
  });
});

describe("MutatingWebhookConfiguration", () => {
  let api: KubeApiEmulator;
  before(async () => {
    api = await startKubeApiEmulator();
  });
  after(async () => {
    await api.close();
  });
  const create = (body: string) =>
    call(api, "POST", "/apis/admissionregistration.k8s.io/v1/mutatingwebhookconfigurations", body);

  it("stores a valid loopback url webhook, with the server's defaults filled in", async () => {
    const r = await create(mwc([WEBHOOK]));
    assert.equal(r.code, 201, r.body);
    const stored = JSON.parse(r.body) as { webhooks: Obj[] };
    // What kube-apiserver defaults (admissionregistration/v1 defaults.go) comes back to the client.
    assert.deepEqual(stored.webhooks[0], {
      ...WEBHOOK,
      rules: [{ ...WEBHOOK.rules[0], scope: "*" }],
      matchPolicy: "Equivalent",
      namespaceSelector: {},
      objectSelector: {},
      timeoutSeconds: 10,
      reinvocationPolicy: "Never",
    });
    await call(api, "DELETE", "/apis/admissionregistration.k8s.io/v1/mutatingwebhookconfigurations/irsa");
  });

  it("refuses what kube-apiserver refuses, naming each field", async () => {
    const r = await create(
      mwc([
        {
          ...WEBHOOK,
          name: "short.name",
          clientConfig: { url: "http://127.0.0.1:21364/mutate?x=1" },
          sideEffects: undefined,
          timeoutSeconds: 31,
          admissionReviewVersions: [],
        },
      ]),
    );
    assert.equal(r.code, 422);
    const status = JSON.parse(r.body) as { details: { causes: Array<{ field: string; message: string }> } };
    assert.deepEqual(
      status.details.causes.map((c) => `${c.field}: ${c.message}`),
      [
        'webhooks[0].name: Invalid value: "short.name": should be a domain with at least three segments separated by dots',
        "webhooks[0].sideEffects: Required value: must specify one of None, NoneOnDryRun",
        "webhooks[0].timeoutSeconds: Invalid value: 31: the timeout value must be between 1 and 30 seconds",
        `webhooks[0].clientConfig.url: Invalid value: "http": 'https' is the only allowed URL scheme; desired format: https://host[/path]`,
        'webhooks[0].clientConfig.url: Invalid value: "x=1": query parameters are not permitted in the URL',
        "webhooks[0].admissionReviewVersions: Required value: must specify one of v1, v1beta1",
      ],
    );
  });

  it("refuses duplicate webhook names and a webhook with both url and service", async () => {
    const r = await create(
      mwc([
        WEBHOOK,
        {
          ...WEBHOOK,
          clientConfig: { url: WEBHOOK.clientConfig.url, service: { name: "x", namespace: "y" } },
        },
      ]),
    );
    assert.equal(r.code, 422);
    assert.match(r.body, /Duplicate value: \\"pod-identity-webhook.amazonaws.com\\"/);
    assert.match(r.body, /exactly one of url or service is required/);
  });
});
