import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { finishHook } from "./core.ts";
import { open, related } from "./test-fixtures.ts";

const json = (out: { stdout: string; exitCode: number; stderr: string }) => {
  assert.equal(out.exitCode, 0, out.stderr);
  return JSON.parse(out.stdout) as unknown;
};

describe("relation tools", () => {
  test("relation-ids lists endpoint:id for live relations", () => {
    const f = related();
    const t = open(f.state, { unit: "aws-iam/0" });
    assert.deepEqual(json(t("relation-ids", ["--format=json", "aws-iam"])), [`aws-iam:${f.awsIam}`]);
    assert.deepEqual(json(t("relation-ids", ["--format=json", "certificates"])), []);
  });

  test("relation-list shows only the principal on the same machine (container scope)", () => {
    const f = related();
    const t = open(f.state, { unit: "aws-iam/1" });
    assert.deepEqual(json(t("relation-list", ["--format=json", "-r", String(f.awsIam)])), [
      "kubernetes-control-plane/1",
    ]);
    assert.equal(
      json(t("relation-list", ["--format=json", "--app", "-r", `aws-iam:${f.awsIam}`])),
      "kubernetes-control-plane",
    );
    assert.deepEqual(json(t("relation-list", ["--format=json", "-r", String(f.peers)])), [
      "aws-iam/0",
      "aws-iam/2",
    ]);
  });

  test("relation-get reads remote unit and app bags; missing key is null", () => {
    const f = related();
    const t = open(f.state, { unit: "aws-iam/0" });
    const r = String(f.awsIam);
    const bag = json(
      t("relation-get", ["--format=json", "-r", r, "-", "kubernetes-control-plane/0"]),
    ) as Record<string, string>;
    assert.equal(bag["api_server_state"], "true");
    assert.equal(bag["ingress-address"], "10.0.0.10");
    assert.equal(
      json(t("relation-get", ["--format=json", "-r", r, "nope", "kubernetes-control-plane/0"])),
      null,
    );
    assert.deepEqual(
      json(t("relation-get", ["--format=json", "-r", r, "--app", "-", "kubernetes-control-plane"])),
      {
        shared: "x",
      },
    );
  });

  test("relation-get errors: unknown relation (2), unknown unit (1), app name without --app (2)", () => {
    const f = related();
    const t = open(f.state, { unit: "aws-iam/0" });
    const bad = t("relation-get", ["--format=json", "-r", "99", "-", "kubernetes-control-plane/0"]);
    assert.deepEqual(
      [bad.exitCode, bad.stderr],
      [2, 'ERROR invalid value "99" for option -r: relation not found\n'],
    );
    const other = t("relation-get", [
      "--format=json",
      "-r",
      String(f.awsIam),
      "-",
      "kubernetes-control-plane/1",
    ]);
    assert.deepEqual([other.exitCode, other.stderr], [1, "ERROR unknown unit kubernetes-control-plane/1\n"]);
    const app = t("relation-get", ["--format=json", "-r", String(f.awsIam), "-", "mysql"]);
    assert.deepEqual(
      [app.exitCode, app.stderr],
      [2, 'ERROR expected unit name, got application name "mysql"\n'],
    );
    const noRel = t("relation-get", ["--format=json", "-", "aws-iam/0"]);
    assert.deepEqual([noRel.exitCode, noRel.stderr], [2, "ERROR no relation id specified\n"]);
  });

  test("own app bag: non-leader read is denied in a non-peer relation, allowed in the peer relation", () => {
    const f = related();
    const t = open(f.state, { unit: "aws-iam/1" });
    const denied = t("relation-get", ["--format=json", "-r", String(f.awsIam), "--app", "-", "aws-iam"]);
    assert.deepEqual([denied.exitCode, denied.stderr], [1, "ERROR permission denied\n"]);
    assert.deepEqual(
      json(t("relation-get", ["--format=json", "-r", String(f.peers), "--app", "-", "aws-iam"])),
      {},
    );
  });

  test("relation-set --app needs leadership; unit writes are staged and visible to the writer", () => {
    const f = related();
    const t = open(f.state, { unit: "aws-iam/1" });
    const r = String(f.awsIam);
    const denied = t("relation-set", ["-r", r, "--app", "--file", "-"], "k: v\n");
    assert.deepEqual([denied.exitCode, denied.stderr], [1, "ERROR cannot write relation settings\n"]);
    assert.equal(
      t("relation-set", ["-r", r, "--file", "-"], '{"cluster_id": "\\"abc\\"", "private-address": ""}')
        .exitCode,
      0,
    );
    const own = json(t("relation-get", ["--format=json", "-r", r, "-", "aws-iam/1"])) as Record<
      string,
      string
    >;
    assert.equal(own["cluster_id"], '"abc"');
    assert.equal(own["private-address"], undefined);
    // Not committed yet: the model still has the old bag.
    assert.equal(f.state.relations[f.awsIam]!.unitData["aws-iam/1"]!["cluster_id"], undefined);
  });

  test("unknown flag is a usage error", () => {
    const f = related();
    const t = open(f.state, { unit: "aws-iam/0" });
    const out = t("relation-ids", ["--bogus", "aws-iam"]);
    assert.deepEqual([out.exitCode, out.stderr], [2, "ERROR option provided but not defined: --bogus\n"]);
  });
});

describe("config, leadership, status, logs", () => {
  test("config-get returns typed values; unknown key is null", () => {
    const f = related();
    f.state.applications["aws-iam"]!.config["replicas"] = 3;
    const t = open(f.state, { unit: "aws-iam/0" });
    const all = json(t("config-get", ["--format=json"])) as Record<string, unknown>;
    assert.deepEqual(all, { image: "aws-iam-authenticator:v0.7", replicas: 3, debug: false });
    assert.equal(json(t("config-get", ["--format=json", "nope"])), null);
    assert.equal(
      (json(t("config-get", ["--format=json", "--all"])) as Record<string, unknown>)["ratio"],
      null,
    );
  });

  test("is-leader", () => {
    const f = related();
    assert.equal(json(open(f.state, { unit: "aws-iam/0" })("is-leader", ["--format=json"])), true);
    finishHook(f.state, 0);
    assert.equal(json(open(f.state, { unit: "aws-iam/2" })("is-leader", ["--format=json"])), false);
  });

  test("status-set/get for unit and app, with leader rule and invalid status", () => {
    const f = related();
    const t = open(f.state, { unit: "aws-iam/0" });
    assert.equal(t("status-set", ["active", "--", "-ready"]).exitCode, 0);
    assert.equal(t("status-set", ["--application=true", "waiting", "--", "app msg"]).exitCode, 0);
    assert.deepEqual(json(t("status-get", ["--format=json", "--include-data"])), {
      message: "-ready",
      status: "active",
      "status-data": {},
    });
    type Details = { status: string; units: Record<string, { status: string }> };
    const app = json(t("status-get", ["--format=json", "--include-data", "--application"])) as {
      "application-status": Details;
    };
    assert.equal(app["application-status"].status, "waiting");
    assert.equal(app["application-status"].units["aws-iam/0"]!.status, "active");
    const invalid = t("status-set", ["happy"]);
    assert.equal(invalid.exitCode, 2);
    assert.equal(
      invalid.stderr,
      'ERROR invalid status "happy", expected one of [maintenance blocked waiting active]\n',
    );
    finishHook(f.state, 0);
    const u = open(f.state, { unit: "aws-iam/1" });
    const denied = u("status-set", ["--application", "active"]);
    assert.deepEqual([denied.exitCode, denied.stderr], [1, "ERROR this unit is not the leader\n"]);
    assert.equal(u("status-get", ["--format=json", "--application=true"]).exitCode, 1);
    assert.equal(f.state.units["aws-iam/0"]!.statusHistory.length, 1);
  });

  test("juju-log prefixes relation hooks; application-version-set", () => {
    const f = related();
    const t = open(f.state, {
      unit: "aws-iam/0",
      hookName: "aws-iam-relation-changed",
      relationId: f.awsIam,
    });
    assert.equal(t("juju-log", ["--log-level", "WARNING", "--", "hello", "world"]).exitCode, 0);
    assert.equal(t("application-version-set", ["--", "0.7.18"]).exitCode, 0);
    assert.deepEqual(f.state.units["aws-iam/0"]!.logs[0], {
      level: "WARNING",
      message: `aws-iam:${f.awsIam}: hello world`,
      hook: "aws-iam-relation-changed",
    });
    assert.equal(f.state.applications["aws-iam"]!.workloadVersion, "0.7.18");
  });

  test("leader-set is leader-only and immediate; leader-get reads it", () => {
    const f = related();
    const t = open(f.state, { unit: "aws-iam/0" });
    assert.equal(t("leader-set", ["a=1"]).exitCode, 0);
    assert.deepEqual(json(t("leader-get", ["--format=json"])), { a: "1" });
    finishHook(f.state, 1);
    assert.equal(f.state.applications["aws-iam"]!.leaderSettings["a"], "1");
    const denied = open(f.state, { unit: "aws-iam/1" })("leader-set", ["a=2"]);
    assert.equal(denied.exitCode, 1);
  });

  test("goal-state, network-get and ports", () => {
    const f = related();
    const t = open(f.state, { unit: "aws-iam/0" });
    const goal = json(t("goal-state", ["--format=json"])) as {
      units: object;
      relations: Record<string, Record<string, { status: string }>>;
    };
    // uniter.go goalStateUnits(app, unit.Name()): a subordinate never sees its own application's units.
    assert.deepEqual(goal.units, {});
    // The principal application's units are listed under the container relation; peers never are.
    f.state.units["kubernetes-control-plane/1"]!.dying = true;
    const again = json(t("goal-state", ["--format=json"])) as typeof goal;
    assert.deepEqual(Object.keys(again.relations), ["aws-iam"]);
    assert.deepEqual(
      Object.fromEntries(Object.entries(again.relations["aws-iam"]!).map(([k, v]) => [k, v.status])),
      {
        "kubernetes-control-plane": "joined",
        "kubernetes-control-plane/0": "active",
        "kubernetes-control-plane/1": "dying",
        "kubernetes-control-plane/2": "active",
      },
    );
    // A principal sees its own units (a Dead one dropped).
    const g = related();
    g.state.units["kubernetes-control-plane/2"]!.removed = true;
    const principal = json(
      open(g.state, { unit: "kubernetes-control-plane/0" })("goal-state", ["--format=json"]),
    ) as typeof goal;
    assert.deepEqual(Object.keys(principal.units), [
      "kubernetes-control-plane/0",
      "kubernetes-control-plane/1",
    ]);
    const net = json(t("network-get", ["--format=json", "aws-iam"])) as { "ingress-addresses": string[] };
    assert.deepEqual(net["ingress-addresses"], ["10.0.0.10"]);
    const bad = t("network-get", ["--format=json", "nope"]);
    assert.deepEqual([bad.exitCode, bad.stderr], [1, 'ERROR no network config found for binding "nope"\n']);
    assert.equal(t("open-port", ["21362/tcp"]).exitCode, 0);
    assert.equal(t("open-port", ["icmp"]).exitCode, 0);
    assert.equal(t("close-port", ["icmp"]).exitCode, 0);
    assert.deepEqual(json(t("opened-ports", ["--format=json"])), ["21362/tcp"]);
    assert.equal(t("open-port", ["70000"]).exitCode, 2);
  });

  test("a tool whose API call fails says ERROR <error> on stderr and exits 1; the others still answer", () => {
    const f = related();
    f.state.failingTools = { "goal-state": "connection is shut down" };
    const t = open(f.state, { unit: "aws-iam/0" });
    const out = t("goal-state", ["--format=json"]);
    assert.deepEqual([out.exitCode, out.stdout, out.stderr], [1, "", "ERROR connection is shut down\n"]);
    assert.deepEqual(json(t("relation-ids", ["--format=json", "aws-iam"])), [`aws-iam:${f.awsIam}`]);
  });

  test("unknown tool is command not found", () => {
    const f = related();
    const out = open(f.state, { unit: "aws-iam/0" })("payload-register", []);
    assert.equal(out.exitCode, 127);
    assert.match(out.stderr, /not found/);
  });
});

describe("charm state and actions", () => {
  test("state-set/get/delete with limits", () => {
    const f = related();
    const t = open(f.state, { unit: "aws-iam/0" });
    assert.equal(t("state-set", ["--file", "-"], "a: one\nb: two\n").exitCode, 0);
    assert.equal(t("state-delete", ["b"]).exitCode, 0);
    assert.deepEqual(json(t("state-get", ["--format=json"])), { a: "one" });
    assert.equal(json(t("state-get", ["--format=json", "b"])), null);
    assert.equal(t("state-get", ["--format=json", "--strict", "b"]).exitCode, 1);
    assert.equal(t("state-set", [`${"k".repeat(257)}=v`]).exitCode, 1);
    assert.equal(t("state-set", [`k=${"v".repeat(65537)}`]).exitCode, 1);
  });

  test("action tools fail outside an action", () => {
    const f = related();
    const t = open(f.state, { unit: "aws-iam/0" });
    for (const [tool, args] of [
      ["action-get", ["--format=json"]],
      ["action-set", ["a=b"]],
      ["action-fail", ["--", "x"]],
      ["action-log", ["--", "x"]],
    ] as const) {
      const out = t(tool, [...args]);
      assert.deepEqual([out.exitCode, out.stderr], [1, "ERROR not running an action\n"], tool);
    }
  });

  test("action-get/set/fail/log inside an action, with key rules", () => {
    const f = related();
    const t = open(f.state, {
      unit: "aws-iam/0",
      action: { name: "get-kubeconfig", params: { user: "bob", o: { p: 1 } } },
    });
    assert.equal(json(t("action-get", ["--format=json", "o.p"])), 1);
    assert.equal(t("action-set", ["kubeconfig.path=/x", "user=bob"]).exitCode, 0);
    const reserved = t("action-set", ["stdout=x"]);
    assert.deepEqual(
      [reserved.exitCode, reserved.stderr],
      [2, 'ERROR cannot set reserved action key "stdout"\n'],
    );
    const badKey = t("action-set", ["Bad=x"]);
    assert.equal(badKey.exitCode, 2);
    assert.equal(t("action-log", ["--", "working"]).exitCode, 0);
    assert.equal(t("action-fail", ["--", "no cluster"]).exitCode, 0);
    const action = f.state.hook!.action!;
    assert.deepEqual(action.results, { kubeconfig: { path: "/x" }, user: "bob" });
    assert.deepEqual([action.logs, action.failed], [["working"], "no cluster"]);
  });
});
