import assert from "node:assert/strict";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, test } from "node:test";
import { finishHook } from "./core.ts";
import { open, related } from "./test-fixtures.ts";

describe("secret tools", () => {
  test("leader adds an app secret from a file; peers can view it; commit publishes it", () => {
    const f = related();
    const dir = mkdtempSync(join(tmpdir(), "secret-"));
    writeFileSync(join(dir, "key"), "PRIVATE");
    const t = open(f.state, { unit: "aws-iam/0" });
    const add = t("secret-add", [
      "--label",
      "tls",
      "--owner",
      "application",
      `key#file=${join(dir, "key")}`,
      "cert=C",
    ]);
    assert.equal(add.exitCode, 0, add.stderr);
    const uri = add.stdout.trim();
    assert.match(uri, /^secret:[0-9a-v]{20}$/);
    assert.deepEqual(JSON.parse(t("secret-get", ["--format=json", "--label", "tls"]).stdout), {
      key: "PRIVATE",
      cert: "C",
    });
    assert.equal(f.state.secrets.length, 0, "staged until the hook exits 0");
    finishHook(f.state, 0);
    assert.equal(f.state.secrets.length, 1);
    const peer = open(f.state, { unit: "aws-iam/2" });
    assert.equal(JSON.parse(peer("secret-get", ["--format=json", uri]).stdout).cert, "C");
    const denied = peer("secret-set", [uri, "cert=D"]);
    assert.deepEqual([denied.exitCode, denied.stderr], [1, "ERROR permission denied\n"]);
    const info = peer("secret-info-get", ["--format=json", uri]);
    assert.equal(info.exitCode, 0, "units of the owning app see the info");
  });

  test("non-leader cannot add an app secret; key rule and empty content", () => {
    const f = related();
    const t = open(f.state, { unit: "aws-iam/1" });
    const notLeader = t("secret-add", ["foo=bar"]);
    assert.deepEqual([notLeader.exitCode, notLeader.stderr], [1, "ERROR this unit is not the leader\n"]);
    assert.equal(t("secret-add", ["--owner", "unit", "foo=bar"]).exitCode, 0);
    const badKey = t("secret-add", ["--owner", "unit", "Ab=1"]);
    assert.deepEqual([badKey.exitCode, badKey.stderr], [2, 'ERROR key "Ab" not valid\n']);
    assert.equal(t("secret-add", ["--owner", "unit"]).exitCode, 2);
  });

  test("revisions: tracked vs --peek vs --refresh; secret-set with same content is a no-op", () => {
    const f = related();
    const t = open(f.state, { unit: "aws-iam/0" });
    const uri = t("secret-add", ["val=one"]).stdout.trim();
    finishHook(f.state, 0);
    const reader = open(f.state, { unit: "aws-iam/1" });
    assert.equal(JSON.parse(reader("secret-get", ["--format=json", uri]).stdout).val, "one");
    finishHook(f.state, 0);
    const writer = open(f.state, { unit: "aws-iam/0" });
    assert.equal(writer("secret-set", [uri, "val=two"]).exitCode, 0);
    assert.equal(writer("secret-set", [uri, "val=two"]).exitCode, 0);
    const summary = finishHook(f.state, 0);
    assert.deepEqual(summary.newRevisions, [uri]);
    assert.equal(f.state.secrets[0]!.revisions.length, 2);
    const r = open(f.state, { unit: "aws-iam/1" });
    assert.equal(JSON.parse(r("secret-get", ["--format=json", uri]).stdout).val, "one");
    assert.equal(JSON.parse(r("secret-get", ["--format=json", uri, "--peek"]).stdout).val, "two");
    assert.equal(JSON.parse(r("secret-get", ["--format=json", uri]).stdout).val, "one");
    assert.equal(JSON.parse(r("secret-get", ["--format=json", uri, "--refresh"]).stdout).val, "two");
    assert.equal(JSON.parse(r("secret-get", ["--format=json", uri]).stdout).val, "two");
    assert.equal(r("secret-get", ["--format=json", uri, "--refresh", "--peek"]).exitCode, 2);
  });

  test("other applications need a grant over a live relation; unknown secrets are not found", () => {
    const f = related();
    const t = open(f.state, { unit: "aws-iam/0" });
    const uri = t("secret-add", ["val=one"]).stdout.trim();
    assert.equal(
      t("secret-grant", [uri, "--relation", String(f.awsIam), "--unit", "kubernetes-control-plane/0"])
        .exitCode,
      0,
    );
    const missing = t("secret-get", ["--format=json", "secret:aaaaaaaaaaaaaaaaaaaa"]);
    assert.deepEqual(
      [missing.exitCode, missing.stderr],
      [1, 'ERROR secret "aaaaaaaaaaaaaaaaaaaa" not found\n'],
    );
    assert.deepEqual(JSON.parse(t("secret-ids", ["--format=json"]).stdout), [uri]);
    const info = JSON.parse(t("secret-info-get", ["--format=json", uri]).stdout);
    assert.equal(info[uri.slice("secret:".length)].revision, 1);
    assert.equal(t("secret-revoke", [uri, "--relation", String(f.awsIam)]).exitCode, 0);
    finishHook(f.state, 0);
    assert.deepEqual(f.state.secrets[0]!.grants, []);
  });

  test("secret-remove of one revision and of the whole secret", () => {
    const f = related();
    const t = open(f.state, { unit: "aws-iam/0" });
    const uri = t("secret-add", ["val=one"]).stdout.trim();
    t("secret-set", [uri, "val=two"]);
    assert.equal(t("secret-remove", [uri, "--revision", "1"]).exitCode, 0);
    assert.deepEqual(f.state.hook!.pending.secrets![0]!.removedRevisions, [1]);
    assert.equal(t("secret-remove", [uri]).exitCode, 0);
    assert.equal(t("secret-get", ["--format=json", uri]).exitCode, 1);
  });
});
