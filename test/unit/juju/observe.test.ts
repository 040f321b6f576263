/** What a hook reads from Juju, and how many hook-tool calls it costs. */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { parseHookContext } from "../../../src/juju/context.ts";
import { HookToolError } from "../../../src/juju/errors.ts";
import { HookTools } from "../../../src/juju/hook-tools.ts";
import type { ToolRunner } from "../../../src/juju/runner.ts";
import { observeJuju } from "../../../src/observe/juju.ts";
import { charmDeployment } from "../../support/deployments.ts";
import { csrProvider } from "../../support/providers.ts";

const ENV = { JUJU_UNIT_NAME: "aws-iam/1", JUJU_MODEL_NAME: "ck", JUJU_VERSION: "3.6.14" };
/** relation-ids answers an earlier hook saw: every endpoint, the peer relation as given. */
const cached = (peers: string) => ({
  "aws-iam": [],
  "juju-info": [],
  certificates: [],
  "aws-iam-peers": [peers],
});
const hook = (name: string) =>
  parseHookContext({ ...ENV, JUJU_DISPATCH_PATH: `hooks/${name}`, JUJU_HOOK_NAME: name });

/** A non-leader whose only live relation is the peer one, aws-iam-peers:4. */
function peerOnlyRunner(): { runner: ToolRunner; calls: string[] } {
  const calls: string[] = [];
  const runner: ToolRunner = {
    async run(tool, args) {
      calls.push([tool, ...args.filter((a) => a !== "--format=json")].join(" "));
      if (tool === "is-leader") return "false";
      if (tool === "config-get") return "{}";
      if (tool === "relation-ids") return args.includes("aws-iam-peers") ? '["aws-iam-peers:4"]' : "[]";
      if (tool === "relation-get" && args.includes("aws-iam-peers:9")) {
        throw new HookToolError(tool, args, 2, "ERROR relation not found\n");
      }
      if (tool === "relation-get") return "{}";
      throw new Error(`unexpected ${tool}`);
    },
  };
  return { runner, calls };
}

describe("observeJuju", () => {
  it("given relation refs from an earlier hook when update-status runs then it asks no relation-ids", async () => {
    const { runner, calls } = peerOnlyRunner();
    const { snapshot } = await observeJuju(
      new HookTools(runner),
      hook("update-status"),
      cached("aws-iam-peers:4"),
    );
    assert.equal(snapshot.peers?.ref, "aws-iam-peers:4");
    assert.deepEqual(calls, ["is-leader", "config-get", "relation-get -r aws-iam-peers:4 --app - aws-iam"]);
  });

  it("given cached refs when upgrade-charm runs then it asks relation-ids again", async () => {
    const { runner, calls } = peerOnlyRunner();
    await observeJuju(new HookTools(runner), hook("upgrade-charm"), { "aws-iam-peers": [] });
    assert.equal(calls.filter((c) => c.startsWith("relation-ids")).length, 4);
  });

  it("given a cached relation that is gone then its failed read makes it ask relation-ids, once", async () => {
    const { runner, calls } = peerOnlyRunner();
    const { snapshot, relationIds } = await observeJuju(
      new HookTools(runner),
      hook("update-status"),
      cached("aws-iam-peers:9"),
    );
    assert.equal(snapshot.peers?.ref, "aws-iam-peers:4");
    assert.deepEqual(relationIds["aws-iam-peers"], ["aws-iam-peers:4"]);
    assert.equal(calls.filter((c) => c.startsWith("relation-ids")).length, 4);
  });
});

describe("hook-tool budget of a no-change update-status (settled, self-signed provider)", () => {
  it("is at most 8 calls for the leader and for a non-leader, with no writes", async () => {
    const { d, integration } = charmDeployment({
      generation: "current",
      extraApps: [csrProvider({ flavour: "self-signed" })],
    });
    await d.integrate(...integration);
    await d.integrate("aws-iam:certificates", "self-signed-certificates:certificates");
    await d.settle();
    await d.updateStatus("aws-iam");
    const leader = d.state.applications["aws-iam"]!.leader!;
    const other = ["aws-iam/0", "aws-iam/1"].find((unit) => unit !== leader)!;
    for (const unit of [leader, other]) {
      const result = await d.runHook(unit, "update-status", {});
      assert.equal(result.exitCode, 0, result.stderr);
      const tools = result.calls.map((c) => c.tool);
      assert.ok(tools.length <= 8, `${unit}: ${tools.join(", ")}`);
      assert.deepEqual(
        tools.filter((t) => /-set$|^secret-(add|set|remove)/.test(t)),
        [],
        unit,
      );
      assert.ok(!tools.includes("relation-ids"), `${unit} reused the relation refs`);
    }
  });
});
