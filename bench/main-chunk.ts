/** Bytes of the built charm a hook loads before it runs (dist/dispatch.js and every chunk it imports
 * statically, transitively), and of the chunks behind dynamic import(). Reads the shipped dist/. */
import { readFileSync } from "node:fs";
import { dirname, join } from "node:path";

export interface LoadSize {
  readonly staticBytes: number;
  readonly staticFiles: readonly string[];
  readonly dynamicOnlyBytes: number;
}

const STATIC =
  /(?:^|\n)\s*(?:import|export)\s[^;]*?from\s*"(\.{1,2}\/[^"]+)"|(?:^|\n)\s*import\s*"(\.{1,2}\/[^"]+)"/g;
const DYNAMIC = /import\(\s*"(\.{1,2}\/[^"]+)"\s*\)/g;

export function loadSize(entry = "dist/dispatch.js"): LoadSize {
  const staticFiles = new Set<string>();
  const dynamicFiles = new Set<string>();
  const visit = (file: string, viaDynamic: boolean): void => {
    if (!viaDynamic && staticFiles.has(file)) return;
    if (viaDynamic && (dynamicFiles.has(file) || staticFiles.has(file))) return;
    (viaDynamic ? dynamicFiles : staticFiles).add(file);
    const text = readFileSync(file, "utf8");
    for (const match of text.matchAll(STATIC))
      visit(join(dirname(file), (match[1] ?? match[2])!), viaDynamic);
    for (const match of text.matchAll(DYNAMIC)) visit(join(dirname(file), match[1]!), true);
  };
  visit(entry, false);
  // The entry imports the charm dynamically (after enabling the compile cache): every hook loads it.
  const entryText = readFileSync(entry, "utf8");
  for (const match of entryText.matchAll(DYNAMIC)) visit(join(dirname(entry), match[1]!), false);
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
