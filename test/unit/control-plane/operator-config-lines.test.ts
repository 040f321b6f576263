import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { operatorConfigLines } from "../../../src/control-plane/operator-config-lines.ts";

describe("operatorConfigLines", () => {
  it("gives the full authn-webhook-endpoint line for the loopback URL", () => {
    const lines = operatorConfigLines({ app: "kubernetes-control-plane", port: 21362, apiExtraArgs: "" });
    assert.equal(
      lines.authnWebhookEndpoint,
      "juju config kubernetes-control-plane authn-webhook-endpoint=https://127.0.0.1:21362/authenticate",
    );
    assert.equal(
      lines.resetAuthnWebhookEndpoint,
      "juju config kubernetes-control-plane --reset authn-webhook-endpoint",
    );
  });

  it("has no api-extra-args line or warning when there is nothing to add", () => {
    const lines = operatorConfigLines({ app: "kubernetes-control-plane", port: 21362, apiExtraArgs: "" });
    assert.equal(lines.apiExtraArgs, "");
    assert.equal(lines.warning, "");
  });

  it("leaves a single flag unquoted and warns that the option is replaced wholesale", () => {
    const lines = operatorConfigLines({
      app: "k8s-cp",
      port: 8443,
      apiExtraArgs: "authentication-token-webhook-cache-ttl=2m0s",
    });
    assert.equal(
      lines.apiExtraArgs,
      "juju config k8s-cp api-extra-args=authentication-token-webhook-cache-ttl=2m0s",
    );
    assert.match(lines.warning, /replaces the whole option/);
    assert.match(lines.warning, /`juju config k8s-cp api-extra-args`/);
    assert.match(lines.authnWebhookEndpoint, /https:\/\/127\.0\.0\.1:8443\/authenticate$/);
  });

  it("single-quotes several flags so the shell passes them as one value", () => {
    const lines = operatorConfigLines({
      app: "kubernetes-control-plane",
      port: 21362,
      apiExtraArgs:
        "api-audiences=https://kubernetes.default.svc authentication-token-webhook-cache-ttl=2m0s",
    });
    assert.equal(
      lines.apiExtraArgs,
      "juju config kubernetes-control-plane 'api-extra-args=api-audiences=https://kubernetes.default.svc authentication-token-webhook-cache-ttl=2m0s'",
    );
  });

  it("refuses names that are not Juju application names and bad ports", () => {
    assert.throws(
      () => operatorConfigLines({ app: "cp; rm -rf /", port: 1, apiExtraArgs: "" }),
      /application name/,
    );
    assert.throws(
      () => operatorConfigLines({ app: "Kubernetes", port: 1, apiExtraArgs: "" }),
      /application name/,
    );
    assert.throws(() => operatorConfigLines({ app: "cp", port: 70000, apiExtraArgs: "" }), /port/);
    assert.throws(() => operatorConfigLines({ app: "cp", port: 1.5, apiExtraArgs: "" }), /port/);
  });
});
