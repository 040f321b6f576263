import assert from "node:assert/strict";
import { chmodSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { before, describe, test } from "node:test";
import { build } from "esbuild";
import { beginHook } from "./core.ts";
import { spawnCollect, viaDispatch } from "./hook-runner.ts";
import { loadModel, MODEL_ENV, saveModel, UNIT_ENV } from "./model-file.ts";
import { related } from "./test-fixtures.ts";
import { writeToolShims } from "./tool-shims.ts";

// Bundle cli.ts ourselves (as scripts/build.mjs does) so the test needs no prior build.
const work = mkdtempSync(join(tmpdir(), "emulator-shims-"));
const bundle = join(work, "hook-tool.mjs");
const bin = join(work, "bin");

before(async () => {
  await build({
    entryPoints: [new URL("./cli.ts", import.meta.url).pathname],
    outfile: bundle,
    bundle: true,
    platform: "node",
    format: "esm",
    target: "node20",
    logLevel: "error",
    banner: {
      js: 'import { createRequire as __cr } from "node:module"; const require = __cr(import.meta.url);',
    },
  });
  writeToolShims(bin, bundle);
});

function modelFile(): { path: string; awsIam: number } {
  const f = related();
  beginHook(f.state, { unit: "aws-iam/0", hookName: "config-changed" });
  const path = join(work, `model-${Math.random().toString(36).slice(2)}.json`);
  saveModel(path, f.state);
  return { path, awsIam: f.awsIam };
}

const env = (path: string) => ({ PATH: `${bin}:/usr/bin:/bin`, [MODEL_ENV]: path, [UNIT_ENV]: "aws-iam/0" });

describe("hook tools as executables on PATH", () => {
  test("a getter prints JSON and exits 0", async () => {
    const m = modelFile();
    const out = await spawnCollect(join(bin, "relation-ids"), {
      cwd: work,
      env: env(m.path),
      timeoutMs: 20_000,
      args: ["--format=json", "aws-iam"],
    });
    assert.deepEqual([out.code, JSON.parse(out.stdout)], [0, [`aws-iam:${m.awsIam}`]]);
  });

  test("relation-set reads stdin and the model file keeps the staged write", async () => {
    const m = modelFile();
    const out = await spawnCollect(join(bin, "relation-set"), {
      cwd: work,
      env: env(m.path),
      timeoutMs: 20_000,
      args: ["-r", String(m.awsIam), "--file", "-"],
      input: "cluster_id: '\"abc\"'\n",
    });
    assert.equal(out.code, 0, out.stderr);
    const state = loadModel(m.path);
    assert.equal(state.hook!.pending.unitData[m.awsIam]!["cluster_id"], '"abc"');
    assert.equal(state.hook!.calls.at(-1)!.tool, "relation-set");
  });

  test("errors go to stderr with Juju's exit codes", async () => {
    const m = modelFile();
    const out = await spawnCollect(join(bin, "relation-get"), {
      cwd: work,
      env: env(m.path),
      timeoutMs: 20_000,
      args: ["--format=json", "-r", "42", "-", "aws-iam/0"],
    });
    assert.deepEqual(
      [out.code, out.stdout, out.stderr],
      [2, "", 'ERROR invalid value "42" for option -r: relation not found\n'],
    );
  });

  test("dispatch runs with a clean Juju-like environment and its changes commit", async () => {
    const f = related();
    const charmDir = mkdtempSync(join(tmpdir(), "fake-charm-"));
    writeFileSync(
      join(charmDir, "dispatch"),
      [
        "#!/bin/sh",
        'env > "$AWS_IAM_CHARM_TEST_ROOT/env.txt"',
        'status-set active -- "ran $JUJU_HOOK_NAME"',
        'echo "k: v" | relation-set -r "$JUJU_RELATION_ID" --file -',
        "exit 0",
        "",
      ].join("\n"),
    );
    chmodSync(join(charmDir, "dispatch"), 0o755);
    const run = viaDispatch({ charmDir, workDir: work, binDir: bin });
    const result = await run(f.model, {
      unit: "aws-iam/1",
      hookName: "aws-iam-relation-changed",
      relationId: f.awsIam,
      remoteUnit: "kubernetes-control-plane/1",
    });
    assert.equal(result.exitCode, 0, result.stderr);
    assert.equal(f.state.units["aws-iam/1"]!.status.message, "ran aws-iam-relation-changed");
    assert.equal(f.state.relations[f.awsIam]!.unitData["aws-iam/1"]!["k"], "v");
    assert.deepEqual(result.commit.unitDataChanged, [f.awsIam]);
    const envText = readFileSync(join(f.state.units["aws-iam/1"]!.machineRoot, "env.txt"), "utf8");
    assert.match(envText, /^JUJU_DISPATCH_PATH=hooks\/aws-iam-relation-changed$/m);
    assert.match(envText, new RegExp(`^JUJU_RELATION_ID=aws-iam:${f.awsIam}$`, "m"));
    assert.match(envText, /^JUJU_PRINCIPAL_UNIT=kubernetes-control-plane\/1$/m);
    assert.match(envText, /^LANG=C.UTF-8$/m);
    assert.doesNotMatch(envText, /^HOME=/m);
    assert.equal(result.calls.length, 2);
  });
});
