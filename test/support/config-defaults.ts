/** config.yaml's defaults, as `config-get` returns them for a fresh deployment: tests start from every
 * option, so an option added later cannot make their configs invalid. A fresh application's settings are
 * its charm's DefaultSettings, every option's default, nil where it has none (juju/charm config.go
 * Config.DefaultSettings); ReadConfig keeps a string option's default "" as "" (it skips validation "for
 * compatibility with pyjuju"), and config-get without a key drops only nil values
 * (juju/juju worker/uniter/runner/jujuc/config-get.go ConfigGetCommand.Run): a "" default comes back as
 * "", an option without a default not at all. */
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import yaml from "js-yaml";
import { type CharmConfig, parseCharmConfig } from "../../src/config/charm-config.ts";

const CONFIG_YAML = fileURLToPath(new URL("../../config.yaml", import.meta.url));
const options = (
  yaml.load(readFileSync(CONFIG_YAML, "utf8")) as { options: Record<string, { default?: unknown }> }
).options;

export const CONFIG_DEFAULTS = Object.fromEntries(
  Object.entries(options)
    .filter(([, option]) => option.default !== undefined && option.default !== null)
    .map(([key, option]) => [key, option.default]),
) as Record<string, string | number | boolean>;

/** The parsed config for config.yaml's defaults overridden by `raw`; fails the test when it is invalid. */
export function parsedConfig(raw: Record<string, unknown> = {}): CharmConfig {
  const parsed = parseCharmConfig({ ...CONFIG_DEFAULTS, ...raw });
  assert.ok(parsed.ok, parsed.ok ? "" : parsed.invalid.join("; "));
  return parsed.config;
}
