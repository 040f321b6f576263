import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { HookToolError } from "../../../src/juju/errors.ts";
import { HookTools } from "../../../src/juju/hook-tools.ts";
import type { ToolRunner } from "../../../src/juju/runner.ts";

interface Call {
  tool: string;
  args: readonly string[];
  stdin: string | undefined;
}

/** Records argv and answers from a table: argv construction is tested apart from Juju's rules. */
function recordingRunner(answers: Record<string, string> = {}): { runner: ToolRunner; calls: Call[] } {
  const calls: Call[] = [];
  const runner: ToolRunner = {
    async run(tool, args, stdin) {
      calls.push({ tool, args, stdin });
      return answers[tool] ?? "";
    },
  };
  return { runner, calls };
}

describe("HookTools argv", () => {
  it("reads whole databags with one call each, always as JSON", async () => {
    const { runner, calls } = recordingRunner({ "relation-get": '{"ca":"x","ingress-address":"10.0.0.1"}' });
    const tools = new HookTools(runner);
    assert.deepEqual(await tools.relationGetUnit("certificates:3", "easyrsa/0"), {
      ca: "x",
      "ingress-address": "10.0.0.1",
    });
    await tools.relationGetApp("certificates:3", "vault");
    assert.deepEqual(
      calls.map((call) => [call.tool, ...call.args]),
      [
        ["relation-get", "--format=json", "-r", "certificates:3", "-", "easyrsa/0"],
        ["relation-get", "--format=json", "-r", "certificates:3", "--app", "-", "vault"],
      ],
    );
  });

  it("writes relation data through stdin, unit or app scope", async () => {
    const { runner, calls } = recordingRunner();
    const tools = new HookTools(runner);
    await tools.relationSet("aws-iam:1", { cluster_id: '"abc"' }, "unit");
    await tools.relationSet("aws-iam-peers:2", { "cluster-id": "abc" }, "app");
    assert.deepEqual(calls[0], {
      tool: "relation-set",
      args: ["-r", "aws-iam:1", "--file", "-"],
      stdin: '{"cluster_id":"\\"abc\\""}',
    });
    assert.deepEqual(calls[1]!.args, ["-r", "aws-iam-peers:2", "--app", "--file", "-"]);
  });

  it("puts free text after -- so a leading dash is never an option", async () => {
    const { runner, calls } = recordingRunner();
    const tools = new HookTools(runner);
    await tools.statusSet("blocked", "-x is wrong", "app");
    await tools.jujuLog("WARNING", "--help");
    await tools.applicationVersionSet("v0.7.4");
    await tools.actionFail("-no");
    assert.deepEqual(
      calls.map((call) => [call.tool, ...call.args]),
      [
        ["status-set", "--application=true", "blocked", "--", "-x is wrong"],
        ["juju-log", "--log-level", "WARNING", "--", "--help"],
        ["application-version-set", "--", "v0.7.4"],
        ["action-fail", "--", "-no"],
      ],
    );
  });

  it("passes secret content through files, never argv, and removes the files", async () => {
    const seen: string[] = [];
    const runner: ToolRunner = {
      async run(_tool, args) {
        const { readFileSync } = await import("node:fs");
        for (const arg of args.filter((a) => a.includes("#file="))) {
          seen.push(readFileSync(arg.split("#file=")[1]!, "utf8"));
        }
        return "secret:abc\n";
      },
    };
    const tools = new HookTools(runner);
    const uri = await tools.secretAdd({ "tls-key": "PRIVATE" }, { label: "authenticator-tls" });
    assert.equal(uri, "secret:abc");
    assert.deepEqual(seen, ["PRIVATE"]);
  });

  it("parses relation-ids and config-get, and treats null as empty", async () => {
    const { runner } = recordingRunner({
      "relation-ids": '["aws-iam:4"]',
      "config-get": "null",
    });
    const tools = new HookTools(runner);
    assert.deepEqual(await tools.relationIds("aws-iam"), ["aws-iam:4"]);
    assert.deepEqual(await tools.configGet(), {});
  });

  it("rejects output of the wrong shape with a HookToolError", async () => {
    const { runner } = recordingRunner({ "relation-ids": '{"not":"a list"}', "is-leader": "yes" });
    const tools = new HookTools(runner);
    await assert.rejects(tools.relationIds("aws-iam"), HookToolError);
    await assert.rejects(tools.isLeader(), /output is not JSON/);
  });

  it("secretInfoGet answers undefined for a secret Juju does not know", async () => {
    const runner: ToolRunner = {
      async run(tool, args) {
        throw new HookToolError(tool, args, 1, 'ERROR secret "authenticator-tls" not found\n');
      },
    };
    assert.equal(await new HookTools(runner).secretInfoGet({ label: "authenticator-tls" }), undefined);
  });
});

describe("HookToolError", () => {
  it("says which command failed, how, and classifies Juju's answers", () => {
    const error = new HookToolError(
      "relation-set",
      ["-r", "certificates:1", "--app"],
      1,
      "ERROR cannot write relation settings\n",
    );
    assert.equal(
      error.message,
      "`relation-set -r certificates:1 --app` failed with exit code 1: ERROR cannot write relation settings",
    );
    assert.equal(error.isPermissionDenied, true);
    assert.equal(error.isNotFound, false);
  });
});
