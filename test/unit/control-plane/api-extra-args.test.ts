import assert from "node:assert/strict";
import { describe, it } from "node:test";
import fc from "fast-check";
import { parseCharmConfig } from "../../../src/config/charm-config.ts";
import {
  ApiExtraArgsError,
  charmApiExtraArgs,
  displacingFlags,
  parseApiExtraArgs,
  renderApiExtraArgs,
} from "../../../src/control-plane/api-extra-args.ts";
import { CONFIG_DEFAULTS } from "../../support/config-defaults.ts";

describe("renderApiExtraArgs", () => {
  it("renders every token-webhook-cache-ttl the config accepts (5µs was accepted, then blocked the unit)", () => {
    const ttl = fc.oneof(
      fc.constantFrom("0", "0s", "1m0s", "1.5h", "5µs", "5μs", "5us", ".5s", "5.s", "-1s", "1m 0s", "1d"),
      fc.stringMatching(/^[0-9.]{0,4}(ns|us|µs|ms|s|m|h|d|)[0-9.]{0,3}(s|m|)$/),
    );
    let accepted = 0;
    fc.assert(
      fc.property(ttl, (value) => {
        const parsed = parseCharmConfig({ ...CONFIG_DEFAULTS, "token-webhook-cache-ttl": value });
        if (parsed.ok) {
          accepted += 1;
          // Empty is unset: nothing rendered.
          const ttl = parsed.config.tokenWebhookCacheTtl;
          const expected = ttl === undefined ? "" : `authentication-token-webhook-cache-ttl=${value}`;
          assert.equal(renderApiExtraArgs({ tokenWebhookCacheTtl: ttl }), expected);
        } else {
          const rendered = () => renderApiExtraArgs({ tokenWebhookCacheTtl: value });
          assert.throws(rendered, ApiExtraArgsError, `the config refused ${value} but it renders`);
        }
      }),
      { numRuns: 2000 },
    );
    assert.ok(accepted > 100, `only ${accepted} values were accepted`);
  });

  it("renders nothing when there is nothing to set", () => {
    assert.equal(renderApiExtraArgs({}), "");
  });

  it("renders the token webhook cache TTL", () => {
    assert.equal(
      renderApiExtraArgs({ tokenWebhookCacheTtl: "2m0s" }),
      "authentication-token-webhook-cache-ttl=2m0s",
    );
  });

  it("sorts keys so the string is stable", () => {
    assert.equal(
      renderApiExtraArgs({
        tokenWebhookCacheTtl: "30s",
        serviceAccountIssuer: "https://s3.eu-west-1.amazonaws.com/my-oidc",
        serviceAccountJwksUri: "https://s3.eu-west-1.amazonaws.com/my-oidc/keys.json",
        apiAudiences: ["https://kubernetes.default.svc", "extra"],
      }),
      "api-audiences=https://kubernetes.default.svc,extra authentication-token-webhook-cache-ttl=30s " +
        "service-account-issuer=https://s3.eu-west-1.amazonaws.com/my-oidc " +
        "service-account-jwks-uri=https://s3.eu-west-1.amazonaws.com/my-oidc/keys.json",
    );
  });

  it("reads back through CK's parse_extra_args rules to the same flags", () => {
    const rendered = renderApiExtraArgs({
      tokenWebhookCacheTtl: "1h30m",
      serviceAccountIssuer: "https://x.example/a=b",
    });
    assert.deepEqual(
      parseApiExtraArgs(rendered),
      new Map([
        ["authentication-token-webhook-cache-ttl", "1h30m"],
        ["service-account-issuer", "https://x.example/a=b"],
      ]),
    );
  });

  it("refuses a TTL that is not a Go duration", () => {
    for (const bad of ["2 minutes", "2", "-1s", "1d", ""]) {
      assert.throws(() => renderApiExtraArgs({ tokenWebhookCacheTtl: bad }), ApiExtraArgsError, bad);
    }
  });

  it("refuses non-https issuer URLs and values CK cannot quote", () => {
    assert.throws(() => renderApiExtraArgs({ serviceAccountIssuer: "http://x.example" }), /https URL/);
    assert.throws(() => renderApiExtraArgs({ serviceAccountIssuer: "not a url" }), /https URL/);
    assert.throws(() => renderApiExtraArgs({ serviceAccountIssuer: 'https://x.example/"q"' }), /cannot pass/);
    assert.throws(() => renderApiExtraArgs({ apiAudiences: ["a,b"] }), /commas/);
  });
});

describe("charmApiExtraArgs", () => {
  it("gives the rendered line, or the renderer's refusal as a message (what hooks block on and the action fails with)", () => {
    assert.deepEqual(charmApiExtraArgs("2m0s", {}), {
      ok: true,
      args: "authentication-token-webhook-cache-ttl=2m0s",
    });
    assert.deepEqual(charmApiExtraArgs(undefined, { serviceAccountIssuer: "http://plain" }), {
      ok: false,
      message: "service-account-issuer must be an https URL",
    });
  });
});

describe("parseApiExtraArgs (CK's reading of the option)", () => {
  it("splits on any whitespace, cuts at the first '=' and turns bare words into true", () => {
    assert.deepEqual(
      parseApiExtraArgs("  runtime-config=batch/v2alpha1=true\tprofiling \n v=4 "),
      new Map([
        ["runtime-config", "batch/v2alpha1=true"],
        ["profiling", "true"],
        ["v", "4"],
      ]),
    );
  });

  it("keeps the last value of a repeated key, as a Python dict does", () => {
    assert.equal(parseApiExtraArgs("v=1 v=2").get("v"), "2");
  });
});

describe("displacingFlags", () => {
  it("flags every authenticator the control plane owns, with or without dashes", () => {
    assert.deepEqual(
      displacingFlags([
        "--authentication-token-webhook-config-file",
        "authentication-token-webhook-version",
        "client-ca-file",
        "anonymous-auth",
        "requestheader-allowed-names",
        "service-account-key-file",
      ]),
      [
        "authentication-token-webhook-config-file",
        "authentication-token-webhook-version",
        "client-ca-file",
        "anonymous-auth",
        "requestheader-allowed-names",
        "service-account-key-file",
      ],
    );
  });

  it("lets through what we render: the cache TTL and the IRSA issuer flags", () => {
    const rendered = renderApiExtraArgs({
      tokenWebhookCacheTtl: "2m0s",
      serviceAccountIssuer: "https://x.example",
      serviceAccountJwksUri: "https://x.example/jwks",
      apiAudiences: ["https://kubernetes.default.svc"],
    });
    assert.deepEqual(displacingFlags(parseApiExtraArgs(rendered).keys()), []);
  });
});
