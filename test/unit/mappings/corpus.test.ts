import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { parseCharmConfig } from "../../../src/config/charm-config.ts";
import { CONFIG_DEFAULTS as defaults } from "../../support/config-defaults.ts";
import { INVALID_MAPPINGS } from "./invalid-corpus.ts";

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
