// Bundles the charm into dist/ (what charmcraft ships) and the Juju hook-tool
// emulator into build/ (test infrastructure only, never packed).
import { rmSync } from "node:fs";
import { Ajv } from "ajv";
import standaloneCode from "ajv/dist/standalone/index.js";
import { build } from "esbuild";
import { CONFIG_SCHEMA } from "../src/config/schema.ts";
import { buildLazyBundles, lazyBundlesDefine } from "./lazy-bundles.mjs";

// CommonJS dependencies bundled into an ES module still call require() for
// Node built-ins; give them a real one.
const requireShim =
  'import { createRequire as __createRequire } from "node:module";\nconst require = __createRequire(import.meta.url);';

const common = {
  bundle: true,
  platform: "node",
  target: "node20",
  format: "esm",
  sourcemap: false,
  legalComments: "none",
  banner: { js: requireShim },
  logLevel: "warning",
};

/** Swaps src/config/validate-config.ts for the same validator precompiled now, so the
 * charm neither loads ajv's compiler nor compiles the schema in every hook. */
const precompiledConfigValidator = {
  name: "precompiled-config-validator",
  setup(pluginBuild) {
    pluginBuild.onLoad({ filter: /src[\\/]config[\\/]validate-config\.ts$/ }, () => {
      const ajv = new Ajv({ allErrors: true, strict: true, code: { source: true, esm: true } });
      const code = standaloneCode(ajv, ajv.compile(CONFIG_SCHEMA));
      return {
        contents: `${code}\nexport { validate as validateConfig };\n`,
        loader: "js",
        resolveDir: process.cwd(),
      };
    });
  },
};

// Chunk names carry content hashes: start clean so no stale chunk is shipped.
rmSync("dist", { recursive: true, force: true });

await build({
  ...common,
  entryPoints: { dispatch: "src/main.ts" },
  plugins: [precompiledConfigValidator],
  outdir: "dist",
  // Code split so hooks that never touch Kubernetes never load its client.
  splitting: true,
  chunkNames: "chunks/[name]-[hash]",
  metafile: true,
  // The charm ships no node_modules: src/util/lazy-module.ts requires these files instead (paths relative
  // to the chunk that holds it).
  define: lazyBundlesDefine,
});

// Each lazily required library on its own, as CommonJS: read from disk only by a hook that uses it.
await buildLazyBundles("dist/chunks");

await build({
  ...common,
  entryPoints: { "hook-tool": "test/emulator/juju/cli.ts" },
  outdir: "build/emulator",
  outExtension: { ".js": ".mjs" },
});
