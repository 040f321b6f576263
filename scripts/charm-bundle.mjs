// How the charm is bundled, for dist/ (scripts/build.mjs) and for the benchmark's own entry (bench/):
// one esbuild build split into chunks, so that a hook loads only the chunks its code path imports, then
// every chunk rewritten as CommonJS. Why CommonJS: a hook is a fresh Node process, and starting Node's ES
// module loader costs it about a tenth of its start-up; the graph stays the same (require instead of
// import, dynamic import() as a deferred require).
import { mkdirSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { Ajv } from "ajv";
import standaloneCode from "ajv/dist/standalone/index.js";
import { build, transform } from "esbuild";
import { CONFIG_SCHEMA } from "../src/config/schema.ts";

/** Libraries only some hooks need (src/util/lazy-module.ts), each bundled on its own into the chunks
 * folder and required on first use: package → file name. */
export const LAZY_BUNDLES = { "node-forge": "node-forge.cjs", "js-yaml": "js-yaml.cjs" };

/** Swaps src/config/validate-config.ts for the same validator precompiled now, so the charm neither loads
 * ajv's compiler nor compiles the schema in every hook. */
const precompiledConfigValidator = {
  name: "precompiled-config-validator",
  setup(pluginBuild) {
    pluginBuild.onLoad({ filter: /src[\\/]config[\\/]validate-config\.ts$/ }, () => {
      const ajv = new Ajv({ allErrors: true, strict: true, code: { source: true, esm: true } });
      // CommonJS: the function is both module.exports and its .default.
      const code = (standaloneCode.default ?? standaloneCode)(ajv, ajv.compile(CONFIG_SCHEMA));
      return {
        contents: `${code}\nexport { validate as validateConfig };\n`,
        loader: "js",
        resolveDir: process.cwd(),
      };
    });
  },
};

const target = { platform: "node", target: "node20", legalComments: "none", logLevel: "warning" };

/** Bundles `entryPoints` ({ name: source }) into `outdir`: `<name>.js` and `chunks/`, all CommonJS (a
 * package.json there says so), with the lazily required libraries beside the chunks. */
export async function bundleCharm(entryPoints, outdir) {
  const result = await build({
    ...target,
    entryPoints,
    bundle: true,
    format: "esm",
    splitting: true,
    outdir,
    chunkNames: "chunks/[name]-[hash]",
    plugins: [precompiledConfigValidator],
    // The charm ships no node_modules: src/util/lazy-module.ts requires these files instead (paths relative
    // to the chunk that holds it).
    define: {
      LAZY_BUNDLES: JSON.stringify(
        Object.fromEntries(Object.entries(LAZY_BUNDLES).map(([name, file]) => [name, `./${file}`])),
      ),
    },
    write: false,
  });
  for (const file of result.outputFiles) {
    const usesImportMeta = file.text.includes("import.meta");
    const { code } = await transform(file.text, {
      ...target,
      // Already linted and bundled: what is left to say is about the libraries' code.
      logLevel: "error",
      format: "cjs",
      // import() of a chunk becomes a deferred require(): an import() would start the ES module loader.
      supported: { "dynamic-import": false },
      // ESM code may read import.meta.url (src/util/lazy-module.ts): the same file URL, from __filename.
      ...(usesImportMeta && {
        define: { "import.meta.url": "__import_meta_url" },
        banner: 'var __import_meta_url = require("node:url").pathToFileURL(__filename).href;',
      }),
    });
    mkdirSync(dirname(file.path), { recursive: true });
    writeFileSync(file.path, `"use strict";\n${code}`);
  }
  writeFileSync(join(outdir, "package.json"), `${JSON.stringify({ type: "commonjs" })}\n`);
  for (const [name, file] of Object.entries(LAZY_BUNDLES)) {
    await build({
      ...target,
      bundle: true,
      format: "cjs",
      stdin: { contents: `module.exports = require(${JSON.stringify(name)});`, resolveDir: process.cwd() },
      outfile: join(outdir, "chunks", file),
    });
  }
}
