import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { decideIrsa } from "../../../src/irsa/decide.ts";
import { ServiceAccountIssuer } from "../../emulator/k8s/oidc.ts";
import { generateTls } from "../../emulator/k8s/tls.ts";
import { BROKEN_DOCUMENTS, ISSUER, SETTINGS } from "./fixtures.ts";

const { caPem } = generateTls();
const issuer = new ServiceAccountIssuer();
function served(flags: { issuer: string; jwksUri?: string }) {
  issuer.flags = flags;
  return { ok: true as const, config: issuer.configJson("10.0.0.1:6443") ?? "", jwks: issuer.keysetJson() };
}

describe("decideIrsa", () => {
  it("off: no objects, no flags, nothing to say", () => {
    assert.deepEqual(decideIrsa({ appName: "aws-iam", irsa: undefined, caPem, served: undefined }), {
      objects: [],
      apiExtraArgs: {},
      status: undefined,
    });
  });

  it("on without a CA: waits, deploys nothing, still renders the flags", () => {
    const d = decideIrsa({ appName: "aws-iam", irsa: SETTINGS, caPem: undefined, served: undefined });
    assert.deepEqual(d.objects, []);
    assert.equal(d.apiExtraArgs.serviceAccountIssuer, ISSUER);
    assert.deepEqual(d.status, {
      name: "waiting",
      message: "IRSA: waiting for the CA from the certificates relation",
    });
  });

  it("on, API server still on CK's issuer: deploys the webhook and blocks on the mismatch", () => {
    const d = decideIrsa({
      appName: "aws-iam",
      irsa: SETTINGS,
      caPem,
      served: served({ issuer: "https://kubernetes.default.svc" }),
    });
    assert.deepEqual(
      d.objects.map((o) => o.kind),
      ["ServiceAccount", "ClusterRole", "ClusterRoleBinding", "DaemonSet", "MutatingWebhookConfiguration"],
    );
    assert.equal(d.status?.name, "blocked");
    assert.match(
      d.status?.message ?? "",
      /^IRSA: API server issuer is https:\/\/kubernetes\.default\.svc, not irsa-issuer-url/,
    );
  });

  it("on, API server serves the configured issuer and JWKS URI: nothing to say", () => {
    const d = decideIrsa({
      appName: "aws-iam",
      irsa: SETTINGS,
      caPem,
      served: served({ issuer: ISSUER, jwksUri: `${ISSUER}/openid/v1/jwks` }),
    });
    assert.equal(d.objects.length, 5);
    assert.equal(d.status, undefined);
  });

  it("on, discovery unreadable: waits with the reason", () => {
    const d = decideIrsa({
      appName: "aws-iam",
      irsa: SETTINGS,
      caPem,
      served: { ok: false, reason: "GET /openid/v1/jwks: connect ECONNREFUSED" },
    });
    assert.deepEqual(d.status, {
      name: "waiting",
      message: "IRSA: GET /openid/v1/jwks: connect ECONNREFUSED",
    });
  });

  it("on, discovery documents STS could not use: deploys the webhook and blocks, listing every problem", () => {
    const d = decideIrsa({
      appName: "aws-iam",
      irsa: SETTINGS,
      caPem,
      served: { ok: true, ...BROKEN_DOCUMENTS },
    });
    assert.equal(d.objects.length, 5);
    assert.deepEqual(d.status, {
      name: "blocked",
      message:
        "IRSA: unusable discovery documents: openid-configuration: issuer is not an https URL; openid-configuration: jwks_uri is not an https URL; openid-configuration: response_types_supported does not list id_token; openid-configuration: subject_types_supported is missing; openid-configuration: id_token_signing_alg_values_supported is missing; jwks: key 0 has no kid; jwks: key 0 has no base64url n; jwks: key 0 has no base64url e",
    });
  });
});
