import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { finishHook } from "./core.ts";
import { open, related } from "./test-fixtures.ts";

function stageEverything(t: ReturnType<typeof open>, awsIam: number) {
  t("relation-set", ["-r", String(awsIam), "--file", "-"], "webhook_status: 'true'\n");
  t("relation-set", ["-r", String(awsIam), "--app", "--file", "-"], "k: v\n");
  t("state-set", ["a=1"]);
  t("open-port", ["8080"]);
  t("secret-add", ["val=one"]);
  t("status-set", ["active", "--", "done"]);
  t("juju-log", ["--", "hello"]);
  t("application-version-set", ["1.0"]);
}

describe("commit and rollback", () => {
  test("exit 0 commits relation data, charm state, ports and secrets and reports what changed", () => {
    const f = related();
    stageEverything(open(f.state, { unit: "aws-iam/0" }), f.awsIam);
    const summary = finishHook(f.state, 0);
    assert.deepEqual([summary.unitDataChanged, summary.appDataChanged], [[f.awsIam], [f.awsIam]]);
    const rel = f.state.relations[f.awsIam]!;
    assert.equal(rel.unitData["aws-iam/0"]!["webhook_status"], "true");
    assert.equal(rel.appData["aws-iam"]!["k"], "v");
    const unit = f.state.units["aws-iam/0"]!;
    assert.deepEqual(
      [unit.charmState, unit.openedPorts, f.state.secrets.length],
      [{ a: "1" }, ["8080/tcp"], 1],
    );
  });

  test("non-zero exit drops staged changes but keeps status, logs and version, and sets error", () => {
    const f = related();
    stageEverything(open(f.state, { unit: "aws-iam/0", hookName: "config-changed" }), f.awsIam);
    const summary = finishHook(f.state, 1);
    assert.equal(summary.committed, false);
    const rel = f.state.relations[f.awsIam]!;
    assert.equal(rel.unitData["aws-iam/0"]!["webhook_status"], undefined);
    assert.deepEqual(rel.appData["aws-iam"], {});
    const unit = f.state.units["aws-iam/0"]!;
    assert.deepEqual([unit.charmState, unit.openedPorts, f.state.secrets.length], [{}, [], 0]);
    assert.deepEqual(
      unit.statusHistory.map((s) => s.status),
      ["active", "error"],
    );
    assert.equal(unit.status.message, 'hook failed: "config-changed"');
    assert.equal(unit.logs[0]!.message, "hello");
    assert.equal(f.state.applications["aws-iam"]!.workloadVersion, "1.0");
  });

  test("an action that called action-fail still commits; a crashing action does not, and no error status", () => {
    const f = related();
    const t = open(f.state, { unit: "aws-iam/0", action: { name: "get-kubeconfig", params: { user: "u" } } });
    t("state-set", ["a=1"]);
    t("action-fail", ["--", "nope"]);
    finishHook(f.state, 0);
    assert.deepEqual(f.state.units["aws-iam/0"]!.charmState, { a: "1" });
    const u = open(f.state, { unit: "aws-iam/0", action: { name: "get-kubeconfig", params: { user: "u" } } });
    u("state-set", ["b=2"]);
    const summary = finishHook(f.state, 3);
    assert.deepEqual(f.state.units["aws-iam/0"]!.charmState, { a: "1" });
    assert.equal(summary.hook.action!.failed, "exit status 3");
    assert.notEqual(f.state.units["aws-iam/0"]!.status.status, "error");
  });

  test("every call is logged with argv, stdin, exit code and a duration, and counted", () => {
    const f = related();
    const t = open(f.state, { unit: "aws-iam/0" });
    t("state-set", ["--file", "-"], "a: b\n");
    t("is-leader", ["--format=json"]);
    t("is-leader", ["--bad"]);
    const calls = f.state.hook!.calls;
    assert.deepEqual(
      calls.map((c) => [c.tool, c.args, c.stdin, c.exitCode]),
      [
        ["state-set", ["--file", "-"], "a: b\n", 0],
        ["is-leader", ["--format=json"], undefined, 0],
        ["is-leader", ["--bad"], undefined, 2],
      ],
    );
    assert.ok(calls.every((c) => c.durationMs >= 0));
    assert.equal(f.state.toolStats["is-leader"]!.count, 2);
  });
});
