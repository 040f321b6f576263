/** The production hook-tool runner against real processes: how each way a tool can fail comes back. */
import assert from "node:assert/strict";
import { chmodSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, describe, it } from "node:test";
import { HookToolError } from "../../../src/juju/errors.ts";
import { ExecRunner } from "../../../src/juju/exec-runner.ts";

const runner = new ExecRunner();
/** More than any pipe buffer (64 KiB by default, 1 MiB at most unprivileged), so the write is still
 * pending when a tool that never reads it exits. */
const LARGE = "x".repeat(8 * 1024 * 1024);

/** What the runner rejected with, as plain fields. */
async function failure(run: Promise<string>) {
  const error = await run.then(
    (stdout) => assert.fail(`resolved with ${JSON.stringify(stdout.slice(0, 80))}`),
    (error: unknown) => error,
  );
  assert.ok(error instanceof HookToolError, String(error));
  const { tool, args, exitCode, stderr, message } = error;
  return { tool, args, exitCode, stderr, message };
}

describe("ExecRunner", () => {
  const dir = mkdtempSync(join(tmpdir(), "exec-runner-"));
  after(() => rmSync(dir, { recursive: true, force: true }));

  it("passes stdin and returns stdout", async () => {
    assert.equal(await runner.run("sh", ["-c", "tr a-z A-Z"], "relation data"), "RELATION DATA");
  });

  it("a tool that is not there: exit code 127 with the spawn error", async () => {
    const tool = join(dir, "no-such-tool");
    assert.deepEqual(await failure(runner.run(tool, ["--format=json"], "ignored")), {
      tool,
      args: ["--format=json"],
      exitCode: 127,
      stderr: `spawn ${tool} ENOENT`,
      message: `\`${tool} --format=json\` failed with exit code 127: spawn ${tool} ENOENT`,
    });
  });

  it("a tool that is not executable: exit code 127 with the spawn error", async () => {
    const tool = join(dir, "not-executable");
    writeFileSync(tool, "#!/bin/sh\nexit 0\n");
    chmodSync(tool, 0o644);
    const { exitCode, stderr } = await failure(runner.run(tool, []));
    assert.deepEqual({ exitCode, stderr }, { exitCode: 127, stderr: `spawn ${tool} EACCES` });
  });

  it("a non-zero exit: its code and its stderr, not its stdout", async () => {
    const args = ["-c", "echo partial; echo oops >&2; exit 3"];
    assert.deepEqual(await failure(runner.run("sh", args)), {
      tool: "sh",
      args,
      exitCode: 3,
      stderr: "oops\n",
      message: "`sh -c echo partial; echo oops >&2; exit 3` failed with exit code 3: oops",
    });
  });

  it("killed by a signal: exit code 128 + the signal's number (137 for SIGKILL) and the signal's name", async () => {
    const args = ["-c", "kill -9 $$"];
    assert.deepEqual(await failure(runner.run("sh", args)), {
      tool: "sh",
      args,
      exitCode: 137,
      stderr: "killed by SIGKILL",
      message: "`sh -c kill -9 $$` failed with exit code 137: killed by SIGKILL",
    });
  });

  it("killed after writing to stderr: both what it wrote and the signal's name", async () => {
    const args = ["-c", "echo dying >&2; kill -TERM $$"];
    const got = await failure(runner.run("sh", args));
    assert.equal(got.exitCode, 143);
    assert.equal(got.stderr, "dying (killed by SIGTERM)");
  });

  describe("a tool that exits without reading a large stdin (EPIPE on our end)", () => {
    it("exit 0 resolves with its stdout", async () => {
      assert.equal(await runner.run("sh", ["-c", "echo done"], LARGE), "done\n");
    });

    it("a partial read resolves with what it wrote", async () => {
      assert.equal(await runner.run("head", ["-c", "5"], LARGE), "xxxxx");
    });

    it("a non-zero exit rejects with that exit, not the broken pipe", async () => {
      const { exitCode, stderr } = await failure(runner.run("sh", ["-c", "echo refused >&2; exit 2"], LARGE));
      assert.deepEqual({ exitCode, stderr }, { exitCode: 2, stderr: "refused\n" });
    });

    it("a tool that reads it all gets all of it", async () => {
      assert.equal(await runner.run("wc", ["-c"], LARGE), `${LARGE.length}\n`);
    });
  });
});
