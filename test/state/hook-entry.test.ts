/** The single-hook entry itself (test/support/hook.ts): state in, one hook or action, state out. */
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { PATHS } from "../../src/machine/paths.ts";
import { withProvider } from "../support/certificates.ts";
import { action, copyState, hook, jujuWrites, type Ran, run, settled, statusOf } from "../support/hook.ts";
import { csrProvider } from "../support/providers.ts";

const base = () =>
  settled("hook-entry: current, self-signed", async () => ({
    d: (await withProvider(csrProvider({ flavour: "self-signed" }), "self-signed-certificates:certificates"))
      .d,
  }));
const WEBHOOK = PATHS.webhookKubeconfig.replace(/^\//, "");
/** "LEVEL message" of each juju-log call. */
const logLines = (ran: Ran): string[] =>
  ran.calls
    .filter((c) => c.tool === "juju-log")
    .map((c) => c.args.filter((a) => a !== "--log-level" && a !== "--").join(" "));

describe("run(event, state)", () => {
  test("returns the new state and leaves its input untouched", async () => {
    const state = await base();
    const before = JSON.stringify({ model: state.model, machines: state.machines });
    const bad = copyState(state);
    bad.model.applications["aws-iam"]!.config["port"] = 1;
    const ran = await run(hook("aws-iam/0", "config-changed"), bad);
    assert.equal(ran.exitCode, 0, ran.stderr);
    assert.match(statusOf(ran.state, "aws-iam/0"), /^blocked: invalid config: port must be/);
    assert.equal(statusOf(bad, "aws-iam/0"), statusOf(state, "aws-iam/0"), "the input keeps its status");
    assert.equal(JSON.stringify({ model: state.model, machines: state.machines }), before);
  });

  test("machine files go in and come out: a removed webhook kubeconfig is written back, mode 600", async () => {
    const state = await base();
    const machine = state.model.units["aws-iam/2"]!.machineId;
    const written = state.machines[machine]![WEBHOOK];
    assert.ok(written, "the settled unit wrote its webhook kubeconfig");
    const { [WEBHOOK]: _gone, ...rest } = state.machines[machine]!;
    const without = { ...state, machines: { ...state.machines, [machine]: rest } };
    const ran = await run(hook("aws-iam/2", "update-status"), without);
    assert.equal(ran.exitCode, 0, ran.stderr);
    assert.deepEqual(ran.state.machines[machine]![WEBHOOK], { content: written.content, mode: 0o600 });
    assert.deepEqual(jujuWrites(ran), [], "a file on the machine is no Juju write");
    assert.deepEqual(
      logLines(ran).filter((line) => line.includes(PATHS.webhookKubeconfig)),
      [`INFO wrote ${PATHS.webhookKubeconfig} (https://127.0.0.1:21362/authenticate)`],
      "one log line for the file",
    );
  });

  test("a file the reactive charm left is removed once, with one log line; the next hook does not look at it again", async () => {
    const state = await base();
    const machine = state.model.units["aws-iam/1"]!.machineId;
    const leftover = "root/cdk/addons/aws-iam-deployment.yaml";
    const withLeftover = {
      ...state,
      machines: {
        ...state.machines,
        [machine]: {
          ...state.machines[machine]!,
          [leftover]: { content: "kind: Deployment\n", mode: 0o644 },
        },
      },
    };
    const ran = await run(hook("aws-iam/1", "update-status"), withLeftover);
    assert.equal(ran.exitCode, 0, ran.stderr);
    assert.equal(ran.state.machines[machine]![leftover], undefined);
    assert.deepEqual(
      logLines(ran).filter((line) => line.includes(leftover)),
      [`INFO removed /${leftover}, left by the reactive aws-iam charm`],
    );
    const again = await run(hook("aws-iam/1", "update-status"), ran.state);
    assert.deepEqual(logLines(again), [], "an idle hook logs nothing");
  });

  test("an action gives its results", async () => {
    const ran = await run(action("aws-iam/1", "get-control-plane-config"), await base());
    assert.equal(ran.exitCode, 0, ran.stderr);
    assert.equal(ran.action?.results["control-plane"], "kubernetes-control-plane");
    assert.equal(ran.action?.failed, undefined);
  });
});
