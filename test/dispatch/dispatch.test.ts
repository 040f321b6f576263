/** End-to-end: the real built dispatch, with the emulated hook tools as executables on PATH. */
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { describe, test } from "node:test";
import { REPO_ROOT } from "../emulator/juju/tool-shims.ts";
import { charmDeployment } from "../support/deployments.ts";
import { silentProvider } from "../support/providers.ts";

describe("the built dispatch in an emulated model", () => {
  test("install, relation hooks, update-status and an action run through real processes", async () => {
    const { d, integration } = charmDeployment({
      generation: "current",
      mode: "dispatch",
      units: 1,
      extraApps: [silentProvider()],
    });
    await d.integrate(...integration);
    await d.settle();
    const hooks = d.log.filter((s) => s.result !== undefined);
    assert.ok(hooks.length >= 8, "setup ran the install-to-changed sequence");
    assert.deepEqual(
      hooks.filter((s) => s.result!.exitCode !== 0).map((s) => `${s.description}: ${s.result!.stderr}`),
      [],
    );
    const installRun = hooks.find((s) => s.description === "aws-iam/0 install")!;
    assert.ok(
      installRun.result!.calls.some((c) => c.tool === "config-get"),
      "install called hook tools",
    );
    const certs = await d.integrate("aws-iam:certificates", "easyrsa:client");
    await d.settle();
    const changed = await d.runHook("aws-iam/0", "certificates-relation-changed", {
      relationId: certs,
      remoteUnit: "easyrsa/0",
    });
    assert.equal(changed.exitCode, 0, changed.stderr);
    assert.equal(d.state.units["aws-iam/0"]!.status.message, "waiting for a server certificate from easyrsa");

    const idle = await d.runHook("aws-iam/0", "update-status");
    assert.equal(idle.exitCode, 0, idle.stderr);
    assert.deepEqual(
      idle.calls.filter((c) => c.tool === "status-set"),
      [],
      "an idle update-status sets no status",
    );

    const action = await d.runAction("aws-iam/0", "get-control-plane-config");
    assert.equal(action.exitCode, 0, action.stderr);
    assert.equal(
      action.action!.results["authn-webhook-endpoint"],
      "juju config kubernetes-control-plane authn-webhook-endpoint=https://127.0.0.1:21362/authenticate",
    );

    // The bundle validates config with the schema precompiled at build time: same verdicts.
    await d.configure("aws-iam", { port: 21363, "cluster-id": "-x" });
    assert.equal(
      d.state.units["aws-iam/0"]!.status.message,
      "invalid config: cluster-id must be letters, digits, '-' or '_', starting with a letter or digit, " +
        "at most 100 characters; port must be an integer from 1024 to 65535 other than 21363 (the server's health port)",
    );
  });

  test("outside a hook context dispatch exits 2 and says why", () => {
    const result = spawnSync(`${REPO_ROOT}/dispatch`, [], {
      env: { PATH: process.env["PATH"] },
      encoding: "utf8",
    });
    assert.equal(result.status, 2);
    assert.match(result.stderr, /JUJU_UNIT_NAME is not set/);
  });

  test("a Juju that runs hooks/<name> directly still dispatches the right hook", () => {
    const result = spawnSync(`${REPO_ROOT}/hooks/install`, [], {
      env: {
        PATH: process.env["PATH"],
        JUJU_UNIT_NAME: "aws-iam/0",
        JUJU_MODEL_NAME: "m",
        JUJU_VERSION: "2.9.0",
      },
      encoding: "utf8",
    });
    // No hook tools on PATH: the charm gets as far as calling one and reports it as a failed hook.
    assert.equal(result.status, 1);
    assert.match(result.stderr, /hooks\/install failed|is-leader/);
  });
});
