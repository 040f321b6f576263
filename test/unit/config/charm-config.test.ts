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

  it("accepts server v0.6.0 and later by tag (suffixes too), refuses older or non-version tags", () => {
    const ok = (image: string) => parseCharmConfig({ ...defaults, image }).ok;
    const repo = "rocks.canonical.com/cdk/aws-iam-authenticator";
    assert.deepEqual(
      ["v0.6.0", "v0.6.31", "v0.7.4_ck1", "v0.7.18", "0.7.4", "v1.0.0"].map((t) => ok(`${repo}:${t}`)),
      [true, true, true, true, true, true],
    );
    assert.deepEqual(
      ["v0.5.21", "v0.4.0_ck1", "latest"].map((t) => ok(`${repo}:${t}`)),
      [false, false, false],
    );
    assert.equal(ok(repo), false, "no tag, no digest: the version is unknown");
    assert.equal(ok(`${repo}:latest@sha256:${"b".repeat(64)}`), false, "a tag is checked even with a digest");
    assert.equal(ok(`${repo}:v0.7.4@sha256:${"b".repeat(64)}`), true);
    const result = parseCharmConfig({ ...defaults, image: `${repo}:v0.5.21` });
    assert.ok(!result.ok);
    assert.match(
      result.invalid[0]!,
      /^image must be an image reference tagged with a server version v0\.6\.0 or later/,
    );
  });

  it("certificate-common-name: a lower-case DNS name, not an address", () => {
    const cn = (name: string) => parseCharmConfig({ ...defaults, "certificate-common-name": name });
    const good = cn("authn.k8s.example.com");
    assert.ok(good.ok);
    assert.equal(good.config.certificateCommonName, "authn.k8s.example.com");
    for (const bad of [
      "",
      "Upper.example",
      "under_score",
      "-lead.example",
      "a..b",
      "127.0.0.1",
      "x".repeat(64),
    ]) {
      const result = cn(bad);
      assert.ok(!result.ok, bad);
      assert.deepEqual(
        result.invalid.map((line) => line.split(" ")[0]),
        ["certificate-common-name"],
        bad,
      );
    }
  });
});
