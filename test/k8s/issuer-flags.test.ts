/**
 * Every issuer the charm accepts is one kube-apiserver starts with and serves discovery for, as the emulated
 * API server reads the flags the charm renders (Go's url.Parse, BuiltInAuthenticationOptions.Validate and
 * NewOpenIDMetadataProvider), and the issuer has a host there too.
 */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { irsaApiExtraArgs } from "../../src/irsa/api-args.ts";
import { type IrsaSettings, issuerUrlProblem } from "../../src/irsa/settings.ts";
import { goParseUrl } from "../emulator/k8s/go-url.ts";
import { ServiceAccountIssuer } from "../emulator/k8s/oidc.ts";

/** Issuers where WHATWG URL (which the charm has) and Go's net/url (which kube-apiserver has) disagree. */
const CANDIDATES = [
  "https://my-bucket.s3.eu-west-1.amazonaws.com/my-cluster",
  "https://d111111abcdef8.cloudfront.net",
  "https://my-bucket.s3.amazonaws.com/c%2Fd",
  "https://my-bucket.s3.amazonaws.com/c%zz",
  "https://my-bucket.s3.amazonaws.com/c%",
  "https://my%2Dbucket.s3.amazonaws.com/c",
  "https:///my-bucket.s3.amazonaws.com/c",
  "https:/my-bucket.s3.amazonaws.com/c",
  "https://my-bucket.s3.amazonaws.com:/c",
];

describe("issuer URLs the charm accepts, as kube-apiserver reads them", () => {
  const issuer = new ServiceAccountIssuer();

  it("start kube-apiserver, get discovery served, and have a host", () => {
    const accepted = CANDIDATES.filter((v) => issuerUrlProblem(v) === undefined);
    assert.ok(accepted.length >= 3, "the ordinary issuers are accepted");
    for (const value of accepted) {
      const flags = irsaApiExtraArgs({ issuerUrl: value } as IrsaSettings);
      issuer.flags = { issuer: flags.serviceAccountIssuer, jwksUri: flags.serviceAccountJwksUri };
      assert.deepEqual(issuer.startupErrors(), [], value);
      assert.ok(issuer.configJson("127.0.0.1:6443") !== undefined, value);
      const parsed = goParseUrl(value);
      assert.ok(parsed.ok && parsed.url.host !== "", value);
    }
  });

  it("refuses the ones Go cannot parse or finds no host in", () => {
    assert.equal(
      issuerUrlProblem("https://my-bucket.s3.amazonaws.com/c%zz"),
      "has a '%' that kube-apiserver cannot parse",
    );
    assert.equal(
      issuerUrlProblem("https://my%2Dbucket.s3.amazonaws.com/c"),
      "has a '%' that kube-apiserver cannot parse",
    );
    assert.equal(issuerUrlProblem("https:///my-bucket.s3.amazonaws.com/c"), "has no host");
    assert.equal(issuerUrlProblem("https:/my-bucket.s3.amazonaws.com/c"), "has no host");
  });
});
