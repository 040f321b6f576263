/** Bytes of the built charm a hook loads before it runs (dist/dispatch.js and every chunk it imports
 * statically, transitively), and of the chunks behind dynamic import(). Reads the shipped dist/. */
import { readFileSync } from "node:fs";
import { dirname, join } from "node:path";

export interface LoadSize {
  readonly staticBytes: number;
  readonly staticFiles: readonly string[];
  readonly dynamicOnlyBytes: number;
}

// The chunks are CommonJS (scripts/charm-bundle.mjs): a chunk's require("./x") loads x with it; import()
// became Promise.resolve().then(() => __toESM(require("./x"))), loaded only when that code runs.
const REQUIRE = /require\("(\.{1,2}\/[^"]+)"\)/g;
const DEFERRED = /Promise\.resolve\(\)\.then\(\(\) => (?:__toESM\()?require\("(\.{1,2}\/[^"]+)"\)/g;

function requires(text: string): { static: string[]; dynamic: string[] } {
  const deferredAt = new Set<number>();
  const dynamic: string[] = [];
  for (const m of text.matchAll(DEFERRED)) {
    deferredAt.add(m.index + m[0].lastIndexOf("require("));
    dynamic.push(m[1]!);
  }
  const eager = [...text.matchAll(REQUIRE)].filter((m) => !deferredAt.has(m.index)).map((m) => m[1]!);
  return { static: eager, dynamic };
}

export function loadSize(entry = "dist/dispatch.js"): LoadSize {
  const staticFiles = new Set<string>();
  const dynamicFiles = new Set<string>();
  const visit = (file: string, viaDynamic: boolean): void => {
    if (!viaDynamic && staticFiles.has(file)) return;
    if (viaDynamic && (dynamicFiles.has(file) || staticFiles.has(file))) return;
    (viaDynamic ? dynamicFiles : staticFiles).add(file);
    const found = requires(readFileSync(file, "utf8"));
    for (const path of found.static) visit(join(dirname(file), path), viaDynamic);
    for (const path of found.dynamic) visit(join(dirname(file), path), true);
  };
  visit(entry, false);
  // The entry imports the charm dynamically (after enabling the compile cache): every hook loads it.
  for (const path of requires(readFileSync(entry, "utf8")).dynamic) visit(join(dirname(entry), path), false);
  const size = (files: Iterable<string>) => [...files].reduce((sum, f) => sum + readFileSync(f).length, 0);
  const dynamicOnly = [...dynamicFiles].filter((f) => !staticFiles.has(f));
  return {
    staticBytes: size(staticFiles),
    staticFiles: [...staticFiles],
    dynamicOnlyBytes: size(dynamicOnly),
  };
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const { staticBytes, staticFiles, dynamicOnlyBytes } = loadSize();
  console.log(
    `bundle main_chunk_kib=${(staticBytes / 1024).toFixed(0)} files=${staticFiles.length} dynamic_only_kib=${(dynamicOnlyBytes / 1024).toFixed(0)}`,
  );
  for (const f of staticFiles) console.log(`  ${f} ${(readFileSync(f).length / 1024).toFixed(0)} KiB`);
}
