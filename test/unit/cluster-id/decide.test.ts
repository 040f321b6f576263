import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { clusterIdNeeds, decideClusterId, planClusterId } from "../../../src/cluster-id/decide.ts";
import type { CharmConfig } from "../../../src/config/charm-config.ts";
import { forgetReactiveTls } from "../../../src/migration/decide.ts";
import { PEER_APP_KEYS } from "../../../src/plan/peer-databag.ts";
import { parsedConfig } from "../../support/config-defaults.ts";
import { observed } from "../plan/observed.ts";

const config = (clusterId?: string): CharmConfig =>
  parsedConfig(clusterId !== undefined ? { "cluster-id": clusterId } : {});
const counting = (): ((n: number) => Buffer) => (n) =>
  Buffer.from(Array.from({ length: n }, (_, i) => i % 62));

describe("planClusterId", () => {
  test("given a leader and no ID yet then it generates one and shares it", () => {
    const plan = planClusterId(config(), {}, true, counting());
    assert.equal(plan.clusterId, "ABCDEFGHIJKLMNOPQRSTUVWX");
    assert.deepEqual(plan.peerWrites, { [PEER_APP_KEYS.clusterId]: "ABCDEFGHIJKLMNOPQRSTUVWX" });
  });

  test("given a shared ID then nobody writes and everybody uses it", () => {
    for (const leader of [true, false]) {
      const plan = planClusterId(config(), { [PEER_APP_KEYS.clusterId]: "abc" }, leader, counting());
      assert.deepEqual(plan, { clusterId: "abc", peerWrites: {} });
    }
  });

  test("given a non-leader before the leader shared one then it has none and writes nothing", () => {
    assert.deepEqual(planClusterId(config(), {}, false, counting()), {
      clusterId: undefined,
      peerWrites: {},
    });
  });

  test("given config then config wins, and the generated ID is still kept for later", () => {
    assert.deepEqual(planClusterId(config("prod"), { [PEER_APP_KEYS.clusterId]: "abc" }, true, counting()), {
      clusterId: "prod",
      peerWrites: {},
    });
    const fresh = planClusterId(config("prod"), {}, true, counting());
    assert.equal(fresh.clusterId, "prod");
    assert.ok(fresh.peerWrites[PEER_APP_KEYS.clusterId]);
  });

  test("given no peer relation yet then even the leader waits", () => {
    assert.deepEqual(planClusterId(config(), undefined, true, counting()), {
      clusterId: undefined,
      peerWrites: {},
    });
  });
});

describe("decideClusterId", () => {
  test("given a leader without an ID then it reads leader settings and adopts the reactive charm's ID", () => {
    const seen = { peerApp: {}, leaderSettings: { cluster_id: "oldid", cert: "C", key: "K" } };
    assert.deepEqual(clusterIdNeeds(observed({ peerApp: {} })), [{ kind: "leader-settings" }]);
    const decided = decideClusterId(observed(seen), config(), counting());
    assert.equal(decided.clusterId, "oldid");
    assert.deepEqual(decided.plan.peerApp, { clusterId: "oldid" });
    assert.match(decided.plan.logs![0]!.message, /adopted cluster ID oldid/);
    assert.deepEqual(forgetReactiveTls(observed(seen)).leaderSettings, { cert: "", key: "" });
  });

  test("given the ID in the peer bag then nothing is read and nothing written", () => {
    const seen = { peerApp: { [PEER_APP_KEYS.clusterId]: "abc" } };
    assert.deepEqual(clusterIdNeeds(observed(seen)), []);
    assert.deepEqual(decideClusterId(observed(seen), config(), counting()), { plan: {}, clusterId: "abc" });
    assert.deepEqual(forgetReactiveTls(observed(seen)), {});
  });

  test("given a non-leader before the leader shared one then it waits, on unit and app", () => {
    const decided = decideClusterId(observed({ leader: false, peerApp: {} }), config(), counting());
    const status = { name: "waiting", message: "waiting for the leader to share the cluster ID" };
    assert.equal(decided.clusterId, undefined);
    assert.deepEqual(decided.plan.unitStatus, [status]);
    assert.deepEqual(decided.plan.appStatus, [status]);
  });
});
