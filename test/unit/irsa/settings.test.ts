import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { parseCharmConfig } from "../../../src/config/charm-config.ts";
import { issuerUrlProblem } from "../../../src/irsa/settings.ts";
import { CONFIG_DEFAULTS as defaults } from "../../support/config-defaults.ts";
import { ISSUER, SETTINGS } from "./fixtures.ts";

describe("IRSA settings", () => {
  it("are off by default: no irsa in the config", () => {
    const result = parseCharmConfig(defaults);
    assert.ok(result.ok);
    assert.equal(result.config.irsa, undefined);
  });

  it("do not check the other IRSA options while the issuer is empty", () => {
    const result = parseCharmConfig({
      ...defaults,
      "irsa-default-region": "nowhere",
      "irsa-webhook-image": "",
    });
    assert.ok(result.ok);
    assert.equal(result.config.irsa, undefined);
  });

  it("with an issuer, parse the defaults into settings", () => {
    const result = parseCharmConfig({ ...defaults, "irsa-issuer-url": ISSUER });
    assert.ok(result.ok);
    assert.deepEqual(result.config.irsa, SETTINGS);
  });

  it("list every bad IRSA option with exactly what it must be", () => {
    const result = parseCharmConfig({
      ...defaults,
      "irsa-issuer-url": "http://example.com/x?y=1",
      "irsa-default-region": "Europe",
      "irsa-token-audience": "a,b",
      "irsa-annotation-prefix": "Not_A_Domain",
      "irsa-webhook-image": "https://x",
    });
    assert.ok(!result.ok);
    assert.deepEqual(result.invalid, [
      "irsa-annotation-prefix must be a lowercase DNS subdomain of at most 253 characters, such as eks.amazonaws.com",
      "irsa-default-region must be empty or an AWS region such as us-east-1",
      "irsa-issuer-url must be empty (IRSA off) or an https URL with a host, no query, fragment, user info, comma or trailing '/', such as https://my-bucket.s3.us-east-1.amazonaws.com/my-cluster",
      "irsa-token-audience must be a non-empty audience without spaces or commas, such as sts.amazonaws.com",
      "irsa-webhook-image must be an image reference such as public.ecr.aws/eks/amazon-eks-pod-identity-webhook:v0.6.17",
    ]);
  });

  it("refuse the webhook's host ports for the authenticator while IRSA is on, and only then", () => {
    assert.ok(parseCharmConfig({ ...defaults, port: 21364 }).ok);
    const result = parseCharmConfig({ ...defaults, port: 21364, "irsa-issuer-url": ISSUER });
    assert.ok(!result.ok);
    assert.deepEqual(result.invalid, [
      "port must be an integer from 1024 to 65535 other than 21363 (the server's health port), and other than 21364 and 21365 (the pod identity webhook's host ports) while IRSA is on",
    ]);
  });

  it("issuer: https only, no query, fragment, user info or trailing slash", () => {
    assert.equal(issuerUrlProblem(ISSUER), undefined);
    assert.equal(issuerUrlProblem("https://oidc.example.com"), undefined);
    assert.equal(issuerUrlProblem("http://oidc.example.com"), "must use https");
    assert.equal(issuerUrlProblem("https://oidc.example.com/a?b"), "must not have a query");
    assert.equal(issuerUrlProblem("https://oidc.example.com/a#b"), "must not have a fragment");
    assert.equal(issuerUrlProblem("https://u:p@oidc.example.com"), "must not carry user info");
    assert.equal(issuerUrlProblem("https://oidc.example.com/a/"), "must not end with '/'");
    assert.equal(
      issuerUrlProblem("https://oidc.example.com/a,b"),
      "has characters the control plane's api-extra-args cannot carry",
    );
    assert.equal(issuerUrlProblem("oidc.example.com"), "is not a URL");
  });
});
