/** Writes one `#!/bin/sh` executable per hook tool into a bin dir, each exec'ing the
 * bundled emulator CLI with the tool name as first argument (no argv[0] tricks). */
import { chmodSync, mkdirSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { TOOL_NAMES } from "./tools/index.ts";

export const REPO_ROOT = resolve(fileURLToPath(new URL("../../..", import.meta.url)));
export const HOOK_TOOL_BUNDLE = join(REPO_ROOT, "build", "emulator", "hook-tool.mjs");

function shellQuote(s: string): string {
  return `'${s.replace(/'/g, `'\\''`)}'`;
}

export function writeToolShims(binDir: string, hookToolScript = HOOK_TOOL_BUNDLE): string[] {
  mkdirSync(binDir, { recursive: true });
  return TOOL_NAMES.map((tool) => {
    const path = join(binDir, tool);
    const body = `#!/bin/sh\nexec ${shellQuote(process.execPath)} ${shellQuote(hookToolScript)} ${tool} "$@"\n`;
    writeFileSync(path, body);
    chmodSync(path, 0o755);
    return path;
  });
}
