/** One hook of the real charm in a fresh Node process, with the hook tools answered in process from a
 * recorded fixture (bench/charm-only.ts) and the machine's files in memory: the charm's own cost, no
 * tool process spawned. Prints the exit code and the peak RSS as JSON. */

import { readFileSync, writeSync } from "node:fs";
import nodeModule from "node:module";

// As src/main.ts: the compile cache, before the charm loads.
(nodeModule as { enableCompileCache?: () => unknown }).enableCompileCache?.();

interface RecordedCall {
  readonly tool: string;
  readonly args: readonly string[];
  readonly stdout?: string;
  readonly exitCode?: number;
  readonly stderr?: string;
}

interface Fixture {
  readonly env: Record<string, string>;
  readonly calls: readonly RecordedCall[];
  readonly files: readonly [string, { content: string; mode: number }][];
}

async function main(): Promise<void> {
  const fixture = JSON.parse(readFileSync(process.argv[2]!, "utf8")) as Fixture;
  const { runCharm } = await import("../src/charm.ts");
  const { MemoryFiles } = await import("../test/support/memory-files.ts");
  const { HookToolError } = await import("../src/juju/errors.ts");

  let next = 0;
  const code = await runCharm({
    env: fixture.env,
    rootDir: "/",
    files: new MemoryFiles(fixture.files),
    sleep: async () => {},
    runner: {
      async run(tool, args) {
        const call = fixture.calls[next++];
        // The same hook on the same state makes the same calls: anything else is a broken fixture.
        if (call === undefined || call.tool !== tool || call.args.join(" ") !== args.join(" ")) {
          throw new Error(
            `replay: expected ${call ? `${call.tool} ${call.args.join(" ")}` : "no call"}, got ${tool}`,
          );
        }
        if (call.exitCode) throw new HookToolError(tool, args, call.exitCode, call.stderr ?? "");
        return call.stdout ?? "";
      },
    },
  });
  // Straight to fd 1: process.stdout would load Node's stream modules, a cost the charm itself never pays.
  writeSync(1, `${JSON.stringify({ code, calls: next, maxRssKiB: process.resourceUsage().maxRSS })}\n`);
}

// No top-level await: the bundle is CommonJS, as the charm's (scripts/charm-bundle.mjs).
void main();
