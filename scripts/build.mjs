// Bundles the charm into dist/ (what charmcraft ships) and the Juju hook-tool
// emulator into build/ (test infrastructure only, never packed).
import { build } from "esbuild";

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

await build({
  ...common,
  entryPoints: { dispatch: "src/main.ts" },
  outdir: "dist",
  // Code split so hooks that never touch Kubernetes never load its client.
  splitting: true,
  chunkNames: "chunks/[name]-[hash]",
  metafile: true,
});

await build({
  ...common,
  entryPoints: { "hook-tool": "test/emulator/juju/cli.ts" },
  outdir: "build/emulator",
  outExtension: { ".js": ".mjs" },
});
