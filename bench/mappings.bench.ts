/** `npm run bench` (or `npx tsx bench/mappings.bench.ts` alone): validating and rendering 10,000 mappings
 * from the charm's options — the config parse (schema, YAML, every entry rule, duplicates), the spec check,
 * the server config render and the ConfigMap size check — as one reconcile does them. Median of RUNS. */
import { readFileSync } from "node:fs";
import { performance } from "node:perf_hooks";
import yaml from "js-yaml";
import { parseCharmConfig } from "../src/config/charm-config.ts";
import { configMapDataBytes } from "../src/mappings/size.ts";
import { buildAuthenticatorObjects } from "../src/workload/manifests/objects.ts";
import { BASE_SPEC } from "../test/unit/workload/manifests/fixtures.ts";
import { median } from "./median.ts";

const RUNS = Number(process.env["BENCH_RUNS"] ?? 7);
const ROLES = 4000;
const USERS = 4000;
const ACCOUNTS = 2000;

const account = (i: number): string => String(100000000000 + i);
const options = (
  yaml.load(readFileSync("config.yaml", "utf8")) as { options: Record<string, { default: unknown }> }
).options;
const raw = {
  ...Object.fromEntries(Object.entries(options).map(([key, option]) => [key, option.default])),
  "backend-mode": "CRD,MountedFile",
  "map-roles": Array.from(
    { length: ROLES },
    (_, i) =>
      `- rolearn: arn:aws:iam::${account(i % 50)}:role/team-${i}\n  username: team-${i}:{{SessionName}}\n  groups: [team-${i}]`,
  ).join("\n"),
  "map-users": Array.from(
    { length: USERS },
    (_, i) =>
      `- {userarn: "arn:aws:iam::${account(i % 50)}:user/user-${i}", username: user-${i}, groups: [dev]}`,
  ).join("\n"),
  "map-accounts": Array.from({ length: ACCOUNTS }, (_, i) => `- "${account(1000 + i)}"`).join("\n"),
};

function once(): { ms: number; bytes: number } {
  const started = performance.now();
  const parsed = parseCharmConfig(raw);
  if (!parsed.ok) throw new Error(`bench input is invalid: ${parsed.invalid.join("; ")}`);
  const settings = parsed.config.mappingSettings;
  const objects = buildAuthenticatorObjects({
    ...BASE_SPEC,
    backendModes: parsed.config.backendModes,
    partition: settings.partition,
    mappings: settings.mappings,
    reservedUsernamePrefixes: settings.reservedUsernamePrefixes,
  });
  const ms = performance.now() - started;
  const configMap = objects.find((object) => object.kind === "ConfigMap") as {
    data?: Record<string, string>;
  };
  return { ms, bytes: configMapDataBytes(configMap.data ?? {}) };
}

once(); // warm-up: module compilation and JIT
const runs = Array.from({ length: RUNS }, once);
const n = ROLES + USERS + ACCOUNTS;
console.log(
  `mappings n=${n} validate_render_ms=${median(runs.map((run) => run.ms)).toFixed(0)} configmap_bytes=${runs[0]!.bytes} (${RUNS} runs)`,
);
