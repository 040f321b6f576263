import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { describe, it } from "node:test";
import yaml from "js-yaml";
import { parseCharmConfig } from "../../../src/config/charm-config.ts";
import { CONFIG_SCHEMA } from "../../../src/config/schema.ts";

interface ConfigYaml {
  options: Record<string, { type: string; default?: unknown }>;
}
const configYaml = yaml.load(readFileSync("config.yaml", "utf8")) as ConfigYaml;
const defaults = Object.fromEntries(
  Object.entries(configYaml.options).map(([key, option]) => [key, option.default]),
);

describe("charm config", () => {
  it("config.yaml and the schema declare the same options with the same types", () => {
    const jsonType: Record<string, string> = {
      string: "string",
      int: "integer",
      boolean: "boolean",
      float: "number",
    };
    const fromYaml = Object.fromEntries(
      Object.entries(configYaml.options).map(([key, option]) => [key, jsonType[option.type]]),
    );
    const fromSchema = Object.fromEntries(
      Object.entries(CONFIG_SCHEMA.properties).map(([key, schema]) => [key, schema.type]),
    );
    assert.deepEqual(fromSchema, fromYaml);
    assert.deepEqual([...CONFIG_SCHEMA.required].sort(), Object.keys(configYaml.options).sort());
  });

  it("given the defaults then it parses them", () => {
    const result = parseCharmConfig(defaults);
    assert.ok(result.ok);
    assert.deepEqual(result.config.backendModes, ["CRD"]);
    assert.equal(result.config.clusterId, undefined);
    assert.equal(result.config.port, 21362);
    assert.equal(result.config.tokenWebhookCacheTtl, undefined);
  });

  it("given several bad values then it lists every one, sorted, with what is expected", () => {
    const result = parseCharmConfig({
      ...defaults,
      port: 21363,
      "cluster-id": "-bad id",
      "backend-mode": "CRD,CRD",
      image: "https://x",
    });
    assert.equal(result.ok, false);
    assert.ok(!result.ok);
    assert.deepEqual(
      result.invalid.map((line) => line.split(" ")[0]),
      ["backend-mode", "cluster-id", "image", "port"],
    );
    assert.match(result.invalid[3]!, /other than 21363/);
  });

  it("given an unknown backend then backend-mode is invalid", () => {
    const result = parseCharmConfig({ ...defaults, "backend-mode": "CRD,File" });
    assert.ok(!result.ok);
    assert.deepEqual(result.invalid, [
      "backend-mode must be a comma-separated list of CRD, MountedFile, EKSConfigMap without duplicates",
    ]);
  });

  it("accepts digests, registry ports and Go durations", () => {
    const result = parseCharmConfig({
      ...defaults,
      image: `localhost:5000/cdk/aws-iam-authenticator@sha256:${"a".repeat(64)}`,
      "token-webhook-cache-ttl": "1m30s",
      "cluster-id": "prod_cluster-1",
    });
    assert.ok(result.ok);
    assert.equal(result.config.tokenWebhookCacheTtl, "1m30s");
    assert.equal(result.config.clusterId, "prod_cluster-1");
  });
});
