import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { parseApiExtraArgs, renderApiExtraArgs } from "../../../src/control-plane/api-extra-args.ts";
import { ISSUER_CHANGE_CONSEQUENCE, irsaApiExtraArgs } from "../../../src/irsa/api-args.ts";
import {
  checkDiscoveryDocuments,
  type DiscoveryActionInput,
  discoveryActionResult,
  discoveryObjectKeys,
  issuerMismatch,
  oidcProviderArn,
  trustPolicy,
} from "../../../src/irsa/discovery.ts";
import { ServiceAccountIssuer } from "../../emulator/k8s/oidc.ts";
import { BROKEN_DOCUMENTS, BROKEN_PROBLEMS, ISSUER, SETTINGS } from "./fixtures.ts";

/** Documents exactly as kube-apiserver renders them (the emulator follows openidmetadata.go). */
function served(issuer: string, jwks?: string): { config: string; jwks: string; kid: string } {
  const sa = new ServiceAccountIssuer({ issuer, jwksUri: jwks });
  return { config: sa.configJson("10.0.0.1:6443") ?? "", jwks: sa.keysetJson(), kid: sa.kid };
}

describe("IRSA api-extra-args", () => {
  it("sets the issuer, its JWKS URI, and keeps CK's audience next to the new issuer's", () => {
    const line = renderApiExtraArgs(irsaApiExtraArgs(SETTINGS));
    assert.deepEqual(Object.fromEntries(parseApiExtraArgs(line)), {
      "api-audiences": `https://kubernetes.default.svc,${ISSUER}`,
      "service-account-issuer": ISSUER,
      "service-account-jwks-uri": `${ISSUER}/openid/v1/jwks`,
    });
    assert.ok(!line.includes("sts.amazonaws.com"), "a token for STS must not open the Kubernetes API");
  });

  it("says the issuer replaces CK's and what happens to old tokens", () => {
    assert.match(ISSUER_CHANGE_CONSEQUENCE, /replaces https:\/\/kubernetes\.default\.svc/);
    assert.match(ISSUER_CHANGE_CONSEQUENCE, /stop validating until kubelet refreshes them/);
  });
});

describe("IRSA discovery documents", () => {
  it("object keys are the issuer path plus the API paths, without a leading slash", () => {
    assert.deepEqual(discoveryObjectKeys(ISSUER), {
      openidConfiguration: "prod/.well-known/openid-configuration",
      jwks: "prod/openid/v1/jwks",
    });
    assert.deepEqual(discoveryObjectKeys("https://oidc.example.com"), {
      openidConfiguration: ".well-known/openid-configuration",
      jwks: "openid/v1/jwks",
    });
  });

  it("provider ARNs name host and path in the right partition", () => {
    assert.equal(
      oidcProviderArn("aws", "111122223333", ISSUER),
      "arn:aws:iam::111122223333:oidc-provider/irsa-bucket.s3.eu-west-1.amazonaws.com/prod",
    );
    assert.equal(
      oidcProviderArn("aws-cn", "111122223333", "https://oidc.example.cn"),
      "arn:aws-cn:iam::111122223333:oidc-provider/oidc.example.cn",
    );
    assert.throws(() => oidcProviderArn("aws", "1234", ISSUER), /12 digits/);
  });

  it("trust policy: StringEquals for one service account", () => {
    const provider = "irsa-bucket.s3.eu-west-1.amazonaws.com/prod";
    assert.deepEqual(
      trustPolicy({
        partition: "aws-us-gov",
        accountId: "111122223333",
        issuerUrl: ISSUER,
        audience: "sts.amazonaws.com",
        namespace: "apps",
        serviceAccount: "s3-reader",
      }),
      {
        Version: "2012-10-17",
        Statement: [
          {
            Effect: "Allow",
            Principal: { Federated: `arn:aws-us-gov:iam::111122223333:oidc-provider/${provider}` },
            Action: "sts:AssumeRoleWithWebIdentity",
            Condition: {
              StringEquals: {
                [`${provider}:sub`]: "system:serviceaccount:apps:s3-reader",
                [`${provider}:aud`]: "sts.amazonaws.com",
              },
            },
          },
        ],
      },
    );
  });

  it("trust policy: StringLike for a wildcard subject, audience still exact", () => {
    const policy = trustPolicy({
      partition: "aws",
      accountId: "111122223333",
      issuerUrl: ISSUER,
      audience: "sts.amazonaws.com",
      namespace: "apps",
      serviceAccount: "*",
    }) as { Statement: [{ Condition: Record<string, Record<string, string>> }] };
    assert.deepEqual(policy.Statement[0].Condition, {
      StringEquals: { "irsa-bucket.s3.eu-west-1.amazonaws.com/prod:aud": "sts.amazonaws.com" },
      StringLike: { "irsa-bucket.s3.eu-west-1.amazonaws.com/prod:sub": "system:serviceaccount:apps:*" },
    });
  });

  it("trust policy refuses names Kubernetes cannot have", () => {
    const base = {
      partition: "aws",
      accountId: "111122223333",
      issuerUrl: ISSUER,
      audience: "sts.amazonaws.com",
    } as const;
    assert.throws(() => trustPolicy({ ...base, namespace: "Apps", serviceAccount: "x" }), /namespace "Apps"/);
    assert.throws(
      () => trustPolicy({ ...base, namespace: "apps", serviceAccount: "a:b" }),
      /service account "a:b"/,
    );
  });

  it("validates what kube-apiserver serves, and finds the key IDs", () => {
    const docs = served(ISSUER, `${ISSUER}/openid/v1/jwks`);
    const check = checkDiscoveryDocuments(docs.config, docs.jwks);
    assert.ok(check.ok);
    assert.equal(check.config.issuer, ISSUER);
    assert.deepEqual(check.kids, [docs.kid]);
  });

  it("lists every problem of a broken document pair", () => {
    const check = checkDiscoveryDocuments(BROKEN_DOCUMENTS.config, BROKEN_DOCUMENTS.jwks);
    assert.ok(!check.ok);
    assert.deepEqual(check.problems, BROKEN_PROBLEMS);
    assert.deepEqual((checkDiscoveryDocuments("nope", "{}") as { problems: readonly string[] }).problems, [
      "openid-configuration is not JSON",
      "jwks: keys is missing or empty",
    ]);
  });

  it("reports the mismatch while the API server still serves CK's issuer, then nothing", () => {
    const before = checkDiscoveryDocuments(
      served("https://kubernetes.default.svc").config,
      served(ISSUER).jwks,
    );
    assert.ok(before.ok);
    assert.equal(
      issuerMismatch(SETTINGS, before.config),
      `API server issuer is https://kubernetes.default.svc, not irsa-issuer-url ${ISSUER}: merge the api-extra-args from get-control-plane-config into kubernetes-control-plane`,
    );
    const noJwksFlag = checkDiscoveryDocuments(served(ISSUER).config, served(ISSUER).jwks);
    assert.ok(noJwksFlag.ok);
    assert.match(
      issuerMismatch(SETTINGS, noJwksFlag.config) ?? "",
      /^API server jwks_uri is https:\/\/10\.0\.0\.1:6443/,
    );
    const after = checkDiscoveryDocuments(
      served(ISSUER, `${ISSUER}/openid/v1/jwks`).config,
      served(ISSUER).jwks,
    );
    assert.ok(after.ok);
    assert.equal(issuerMismatch(SETTINGS, after.config), undefined);
  });

  /** The discovery action for the s3-reader service account in apps, account 111122223333. */
  const actionFor = (docs: { config: string; jwks: string }, more: Partial<DiscoveryActionInput> = {}) =>
    discoveryActionResult({
      settings: SETTINGS,
      servedConfig: docs.config,
      servedJwks: docs.jwks,
      partition: "aws",
      accountId: "111122223333",
      namespace: "apps",
      serviceAccount: "s3-reader",
      ...more,
    });

  it("action result: the documents byte for byte, keys, provider, audience and policy", () => {
    const docs = served(ISSUER, `${ISSUER}/openid/v1/jwks`);
    const result = actionFor(docs);
    assert.ok(result.ok);
    assert.equal(result.results["openid-configuration"], docs.config);
    assert.equal(result.results["jwks"], docs.jwks);
    assert.equal(result.results["openid-configuration-key"], "prod/.well-known/openid-configuration");
    assert.equal(result.results["jwks-key"], "prod/openid/v1/jwks");
    assert.equal(result.results["provider-url"], ISSUER);
    assert.equal(result.results["audience"], "sts.amazonaws.com");
    const policy = JSON.parse(result.results["trust-policy"] ?? "") as {
      Statement: [{ Principal: unknown }];
    };
    assert.deepEqual(policy.Statement[0].Principal, { Federated: result.results["provider-arn"] });
    for (const key of Object.keys(result.results)) assert.match(key, /^[a-z][a-z0-9-]*$/, "Juju result key");
  });

  it("action refuses to hand out documents for another issuer", () => {
    const docs = served("https://kubernetes.default.svc");
    const result = actionFor(docs);
    assert.ok(!result.ok);
    assert.match(result.message, /^API server issuer is https:\/\/kubernetes\.default\.svc/);
  });

  it("action refuses documents STS could not use, listing every problem", () => {
    assert.deepEqual(actionFor(BROKEN_DOCUMENTS), {
      ok: false,
      message: `the API server's discovery documents are unusable: ${BROKEN_PROBLEMS.join("; ")}`,
    });
    assert.deepEqual(actionFor({ config: "nope", jwks: "{}" }), {
      ok: false,
      message:
        "the API server's discovery documents are unusable: openid-configuration is not JSON; jwks: keys is missing or empty",
    });
  });

  it("action fails, saying which, on an account ID, namespace or service account a policy cannot name", () => {
    const docs = served(ISSUER, `${ISSUER}/openid/v1/jwks`);
    assert.deepEqual(actionFor(docs, { accountId: "1234" }), {
      ok: false,
      message: 'account ID "1234" is not 12 digits',
    });
    assert.deepEqual(actionFor(docs, { namespace: "Apps" }), {
      ok: false,
      message: 'namespace "Apps" is not a valid name',
    });
    assert.deepEqual(actionFor(docs, { serviceAccount: "a:b" }), {
      ok: false,
      message: 'service account "a:b" is not a valid name',
    });
  });
});
