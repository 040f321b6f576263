// Modules that only some hooks need, loaded synchronously on first use instead of at start-up: a hook
// pays start-up time for every module in its import graph, and most hooks use none of these. Node's
// crypto family costs a no-change hook about a tenth of its time; js-yaml and node-forge are large.
// The packed charm has no node_modules (charmcraft.yaml primes dist/ only): the build bundles each
// library into its own CommonJS file beside the chunks (scripts/charm-bundle.mjs) and defines LAZY_BUNDLES as name → path relative
// to the chunk holding this module; from source, the package itself is required.
import { createRequire } from "node:module";

declare const LAZY_BUNDLES: Readonly<Record<string, string>> | undefined;
const bundles: Readonly<Record<string, string>> = typeof LAZY_BUNDLES === "object" ? LAZY_BUNDLES : {};
const requireModule = createRequire(import.meta.url);

/** A getter that requires `name` (a package or a Node built-in) the first time it is called. */
function lazyModule<T>(name: string): () => T {
  let loaded: T | undefined;
  return () => {
    loaded ??= requireModule(bundles[name] ?? name) as T;
    return loaded;
  };
}

export const nodeCrypto = lazyModule<typeof import("node:crypto")>("node:crypto");
export const nodeOs = lazyModule<typeof import("node:os")>("node:os");
export const jsYaml = lazyModule<typeof import("js-yaml")>("js-yaml");
export const nodeForge = lazyModule<typeof import("node-forge")>("node-forge");
