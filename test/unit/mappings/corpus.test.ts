import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { describe, it } from "node:test";
import yaml from "js-yaml";
import { parseCharmConfig } from "../../../src/config/charm-config.ts";
import { INVALID_MAPPINGS } from "./invalid-corpus.ts";

const options = (
  yaml.load(readFileSync("config.yaml", "utf8")) as { options: Record<string, { default: unknown }> }
).options;
const defaults = Object.fromEntries(Object.entries(options).map(([key, option]) => [key, option.default]));

describe("invalid mapping corpus", () => {
  it("has at least 60 cases, each with a distinct name and at least one expected problem", () => {
    assert.ok(INVALID_MAPPINGS.length >= 60, `${INVALID_MAPPINGS.length} cases`);
    assert.equal(new Set(INVALID_MAPPINGS.map((c) => c.name)).size, INVALID_MAPPINGS.length);
    for (const c of INVALID_MAPPINGS) assert.ok(c.problems.length > 0, c.name);
  });

  for (const c of INVALID_MAPPINGS) {
    it(`${c.name}: refused with exactly the expected problems`, () => {
      const result = parseCharmConfig({ ...defaults, ...c.config });
      assert.equal(result.ok, false);
      assert.ok(!result.ok);
      assert.deepEqual(result.invalid, c.problems);
    });
  }
});
