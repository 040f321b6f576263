import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { legacyRequirerWrites, parseControlPlaneUnits } from "../../../src/control-plane/legacy-relation.ts";

// Expected databag strings are what python3's json.dumps(v, sort_keys=True) prints for the same values.
describe("legacyRequirerWrites", () => {
  it("writes cluster_id as a JSON string and webhook_status as JSON true", () => {
    assert.deepEqual(legacyRequirerWrites({ clusterId: "Ab3xYz09", webhookReady: true }), {
      cluster_id: '"Ab3xYz09"',
      webhook_status: "true",
      api_extra_args: "",
    });
  });

  it("writes webhook_status false when the webhook is not ready", () => {
    assert.equal(legacyRequirerWrites({ clusterId: "c1", webhookReady: false }).webhook_status, "false");
  });

  it("publishes api_extra_args as a JSON string", () => {
    const bag = legacyRequirerWrites({
      clusterId: "c1",
      webhookReady: true,
      apiExtraArgs:
        "api-audiences=https://kubernetes.default.svc authentication-token-webhook-cache-ttl=2m0s",
    });
    assert.equal(
      bag.api_extra_args,
      '"api-audiences=https://kubernetes.default.svc authentication-token-webhook-cache-ttl=2m0s"',
    );
  });

  it("clears cluster_id (empty value = delete in Juju) until one exists", () => {
    assert.equal(legacyRequirerWrites({ clusterId: undefined, webhookReady: false }).cluster_id, "");
  });

  it("refuses an invalid cluster ID instead of publishing it", () => {
    assert.throws(() => legacyRequirerWrites({ clusterId: "bad id", webhookReady: true }), RangeError);
  });
});

describe("parseControlPlaneUnits", () => {
  const juju = { "private-address": "10.0.0.5", "ingress-address": "10.0.0.5" };

  it("is up when every unit published JSON true", () => {
    const view = parseControlPlaneUnits({
      "kubernetes-control-plane/0": { ...juju, api_server_state: "true" },
      "kubernetes-control-plane/1": { api_server_state: "true" },
    });
    assert.equal(view.allApiServersUp, true);
    assert.deepEqual(view.problems, []);
    assert.equal(view.units["kubernetes-control-plane/1"]?.apiServerState, "up");
  });

  it("is not up when one unit says false", () => {
    const view = parseControlPlaneUnits({
      "cp/0": { api_server_state: "true" },
      "cp/1": { api_server_state: "false" },
    });
    assert.equal(view.allApiServersUp, false);
    assert.equal(view.units["cp/1"]?.apiServerState, "down");
    assert.deepEqual(view.problems, []);
  });

  it("treats a missing or empty key as unknown, not a problem", () => {
    const view = parseControlPlaneUnits({ "cp/0": { ...juju }, "cp/1": { api_server_state: "" } });
    assert.equal(view.allApiServersUp, false);
    assert.equal(view.units["cp/0"]?.apiServerState, "unknown");
    assert.equal(view.units["cp/1"]?.apiServerState, "unknown");
    assert.deepEqual(view.problems, []);
  });

  it("reports non-JSON and non-boolean values as problems and does not count them as up", () => {
    const view = parseControlPlaneUnits({
      "cp/0": { api_server_state: "yes" },
      "cp/1": { api_server_state: '"true"' },
    });
    assert.equal(view.allApiServersUp, false);
    assert.equal(view.units["cp/0"]?.apiServerState, "invalid");
    assert.equal(view.units["cp/1"]?.apiServerState, "invalid");
    assert.deepEqual(view.problems, [
      "cp/0: api_server_state is not JSON",
      "cp/1: api_server_state is string, expected true or false",
    ]);
  });

  it("is not up with no units (unlike Python's all([]))", () => {
    assert.equal(parseControlPlaneUnits({}).allApiServersUp, false);
  });
});
