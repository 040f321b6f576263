// Libraries only some hooks need (src/util/lazy-module.ts): each is bundled on its own as CommonJS beside
// the chunks and required on first use. Shared by scripts/build.mjs and the benchmark's own build.
import { build } from "esbuild";

/** package → file name in the chunks folder */
export const LAZY_BUNDLES = { "node-forge": "node-forge.cjs", "js-yaml": "js-yaml.cjs" };

/** esbuild `define` for the chunks: LAZY_BUNDLES as paths relative to the chunk holding lazy-module.ts. */
export const lazyBundlesDefine = {
  LAZY_BUNDLES: JSON.stringify(
    Object.fromEntries(Object.entries(LAZY_BUNDLES).map(([name, file]) => [name, `./${file}`])),
  ),
};

/** Writes each library's bundle into `chunksDir`. */
export async function buildLazyBundles(chunksDir) {
  for (const [name, file] of Object.entries(LAZY_BUNDLES)) {
    await build({
      bundle: true,
      platform: "node",
      target: "node20",
      format: "cjs",
      legalComments: "none",
      logLevel: "warning",
      stdin: { contents: `module.exports = require(${JSON.stringify(name)});`, resolveDir: process.cwd() },
      outfile: `${chunksDir}/${file}`,
    });
  }
}
