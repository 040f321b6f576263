/** The emulators are test infrastructure that could become a package of their own: outside their own
 * tests they reach into the charm's src/ only for the hook-tool runner's interface and its error type. */
import assert from "node:assert/strict";
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { test } from "node:test";

const ALLOWED = ["src/juju/errors.ts", "src/juju/runner.ts"];

function sources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return sources(path);
    return entry.name.endsWith(".ts") && !entry.name.endsWith(".test.ts") ? [path] : [];
  });
}

test("test/emulator imports from src/ only juju/runner.ts and juju/errors.ts", () => {
  const used = new Set<string>();
  for (const file of sources("test/emulator")) {
    for (const match of readFileSync(file, "utf8").matchAll(/from\s+"((?:\.\.\/)+src\/[^"]+)"/g)) {
      used.add(match[1]!.replace(/^(\.\.\/)+/, ""));
    }
  }
  assert.deepEqual([...used].sort(), ALLOWED);
});
