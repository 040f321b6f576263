// Bundles the charm into dist/ (what charmcraft ships) and the Juju hook-tool
// emulator into build/ (test infrastructure only, never packed).
import { rmSync } from "node:fs";
import { build } from "esbuild";
import { bundleCharm } from "./charm-bundle.mjs";

// Chunk names carry content hashes: start clean so no stale chunk is shipped.
rmSync("dist", { recursive: true, force: true });
await bundleCharm({ dispatch: "src/main.ts" }, "dist");

await build({
  bundle: true,
  platform: "node",
  target: "node20",
  format: "esm",
  legalComments: "none",
  logLevel: "warning",
  // CommonJS dependencies bundled into an ES module still call require() for Node built-ins.
  banner: {
    js: 'import { createRequire as __createRequire } from "node:module";\nconst require = __createRequire(import.meta.url);',
  },
  entryPoints: { "hook-tool": "test/emulator/juju/cli.ts" },
  outdir: "build/emulator",
  outExtension: { ".js": ".mjs" },
});
