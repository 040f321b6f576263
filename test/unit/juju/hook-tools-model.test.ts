/** Each hook-tool adapter of src/juju against the emulated model: the happy path and
 * Juju's refusals, as typed HookToolErrors. */
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { HookToolError } from "../../../src/juju/errors.ts";
import { HookTools } from "../../../src/juju/hook-tools.ts";
import { REACTIVE_CONTROL_PLANE_META } from "../../emulator/charms/reactive-control-plane.ts";
import { loadCharmMeta } from "../../emulator/juju/charm-meta.ts";
import { beginHook, finishHook, type HookSpec } from "../../emulator/juju/core.ts";
import { InProcessRunner } from "../../emulator/juju/in-process-runner.ts";
import { ModelBuilder } from "../../emulator/juju/model-builder.ts";
import type { ModelState } from "../../emulator/juju/model-state.ts";
import { REPO_ROOT } from "../../emulator/juju/tool-shims.ts";

function model(): { state: ModelState; legacy: number; peers: number } {
  const b = new ModelBuilder();
  b.addApplication(REACTIVE_CONTROL_PLANE_META, { standIn: true });
  b.addApplication(loadCharmMeta(REPO_ROOT));
  for (let i = 0; i < 2; i++) b.addUnit("aws-iam", { principal: b.addUnit("kubernetes-control-plane") });
  const legacy = b.addRelation({
    endpoints: ["aws-iam:aws-iam", "kubernetes-control-plane:aws-iam"],
    unitData: { "kubernetes-control-plane/0": { api_server_state: "true" } },
  });
  const peers = b.addRelation({ endpoints: ["aws-iam:aws-iam-peers"] });
  return { state: b.build().state, legacy, peers };
}

/** Runs `use` inside a hook of `unit` and commits (exit 0) afterwards. */
async function inHook<T>(
  state: ModelState,
  spec: Partial<HookSpec> & { unit: string },
  use: (tools: HookTools) => Promise<T>,
): Promise<T> {
  beginHook(state, { hookName: "update-status", ...spec });
  try {
    return await use(new HookTools(new InProcessRunner(state)));
  } finally {
    finishHook(state, 0);
  }
}

const refusal = (pattern: RegExp, exitCode?: number) => (error: unknown) =>
  error instanceof HookToolError &&
  pattern.test(error.stderr) &&
  (exitCode === undefined || error.exitCode === exitCode);

describe("HookTools against the emulated model", () => {
  test("relation reads and writes, with the leader's and the non-leader's rights", async () => {
    const { state, legacy, peers } = model();
    const ref = `aws-iam:${legacy}`;
    await inHook(state, { unit: "aws-iam/0" }, async (tools) => {
      assert.equal(await tools.isLeader(), true);
      assert.deepEqual(await tools.relationIds("aws-iam"), [ref]);
      assert.deepEqual(await tools.relationList(ref), ["kubernetes-control-plane/0"]);
      assert.equal(
        (await tools.relationGetUnit(ref, "kubernetes-control-plane/0"))["api_server_state"],
        "true",
      );
      await tools.relationSet(ref, { cluster_id: '"abc"' }, "unit");
      await tools.relationSet(`aws-iam-peers:${peers}`, { "cluster-id": "abc" }, "app");
    });
    assert.equal(state.relations.find((r) => r.id === legacy)!.unitData["aws-iam/0"]!["cluster_id"], '"abc"');
    await inHook(state, { unit: "aws-iam/1" }, async (tools) => {
      assert.equal(await tools.isLeader(), false);
      // Peers can read the app databag; outside the peer relation a non-leader cannot.
      assert.deepEqual(await tools.relationGetApp(`aws-iam-peers:${peers}`, "aws-iam"), {
        "cluster-id": "abc",
      });
      await assert.rejects(
        tools.relationGetApp(`aws-iam:${legacy}`, "aws-iam"),
        refusal(/permission denied/, 1),
      );
      await assert.rejects(
        tools.relationSet(`aws-iam-peers:${peers}`, { x: "1" }, "app"),
        (error: unknown) => error instanceof HookToolError && error.isPermissionDenied,
      );
      await assert.rejects(tools.statusSet("active", "", "app"), refusal(/not the leader/));
      await assert.rejects(
        tools.relationGetUnit("aws-iam:99", "aws-iam/0"),
        refusal(/relation not found/, 2),
      );
    });
  });

  test("config, status, version and logs", async () => {
    const { state } = model();
    await inHook(state, { unit: "aws-iam/0" }, async (tools) => {
      assert.equal((await tools.configGet())["port"], 21362);
      await tools.statusSet("blocked", "-leading dash kept", "unit");
      await tools.statusSet("waiting", "app-wide", "app");
      await tools.applicationVersionSet("v0.7.4");
      await tools.jujuLog("INFO", "hello");
    });
    assert.equal(state.units["aws-iam/0"]!.status.message, "-leading dash kept");
    assert.equal(state.applications["aws-iam"]!.status.status, "waiting");
    assert.equal(state.applications["aws-iam"]!.workloadVersion, "v0.7.4");
    assert.ok(state.units["aws-iam/0"]!.logs.some((line) => line.message === "hello"));
  });

  test("secrets: the leader owns and manages, a peer unit reads, others are refused", async () => {
    const { state } = model();
    const id = await inHook(state, { unit: "aws-iam/0" }, async (tools) => {
      const uri = await tools.secretAdd(
        { certificate: "CERT", "request-key": "KEY" },
        { label: "authenticator-tls" },
      );
      assert.equal((await tools.secretInfoGet({ label: "authenticator-tls" }))?.id, uri);
      return uri;
    });
    await inHook(state, { unit: "aws-iam/0" }, (tools) =>
      tools.secretSet(id, { certificate: "CERT2", "request-key": "KEY" }),
    );
    await inHook(state, { unit: "aws-iam/1" }, async (tools) => {
      assert.deepEqual(await tools.secretGet({ id }, { refresh: true }), {
        certificate: "CERT2",
        "request-key": "KEY",
      });
      await assert.rejects(tools.secretSet(id, { certificate: "X" }), HookToolError);
    });
    await inHook(state, { unit: "aws-iam/0" }, async (tools) => {
      await assert.rejects(tools.secretGet({ id: "secret:nope" }), refusal(/not found/));
      await assert.rejects(tools.secretAdd({ ca: "x" }, { label: "other" }), HookToolError);
    });
  });

  test("action tools work only inside an action", async () => {
    const { state } = model();
    await inHook(
      state,
      { unit: "aws-iam/0", hookName: "", action: { name: "get-control-plane-config", params: {} } },
      async (tools) => {
        assert.deepEqual(await tools.actionGet(), {});
        await tools.actionSet({ "authn-webhook-endpoint": "juju config x a=b" });
      },
    );
    await inHook(state, { unit: "aws-iam/0" }, async (tools) => {
      await assert.rejects(tools.actionSet({ a: "b" }), refusal(/not running an action/));
    });
  });
});
