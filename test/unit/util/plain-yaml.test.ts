import assert from "node:assert/strict";
import { describe, it } from "node:test";
import fc from "fast-check";
import { dump } from "js-yaml";
import { isPlainSafe, plainBlockYaml } from "../../../src/util/plain-yaml.ts";
import { buildServerConfig } from "../../../src/workload/manifests/config-map.ts";
import { resolveSpec } from "../../../src/workload/manifests/resolve-spec.ts";
import { specWith } from "../workload/manifests/fixtures.ts";

const dumped = (doc: unknown) => dump(doc, { lineWidth: -1, noRefs: true, sortKeys: false });

/** Strings near every rule: names, keywords in any case, numbers of every form, quads, odd characters. */
const text = fc.oneof(
  fc.string({ unit: fc.constantFrom(..."abexoBEXOgzZ019._/-"), maxLength: 8 }),
  fc.string({ unit: fc.constantFrom(..."aA0:# '\"-.{}[]&*!|>%@`,?~="), maxLength: 6 }),
  fc.constantFrom("true", "False", "NULL", "yes", "On", "off", "Y", "n", "~", "", ".inf", ".NaN", "<<"),
  fc.constantFrom("0x1F", "0o17", "0b101", "1e5", "1_000", "2026-12-07", "12:30", "1.5", "-1", "+1", "017"),
  fc.tuple(fc.nat(300), fc.nat(300), fc.nat(300), fc.nat(300)).map((o) => o.join(".")),
  fc.stringMatching(/^[0-9][A-Za-z0-9]{0,6}$/),
  fc.stringMatching(/^[A-Za-z/][A-Za-z0-9_./-]{0,10}$/),
);
const scalarValue = fc.oneof(text, fc.integer(), fc.double(), fc.boolean(), fc.constant(null));
const key = fc.oneof(fc.stringMatching(/^[a-zA-Z][a-zA-Z0-9]{0,8}$/), text);
const { value } = fc.letrec((tie) => ({
  value: fc.oneof({ depthSize: "small" }, scalarValue, tie("array"), tie("object")),
  array: fc.array(tie("value"), { maxLength: 3 }),
  object: fc.dictionary(key, tie("value"), { maxKeys: 4 }),
}));
const anyDocument = fc.dictionary(key, value, { minKeys: 1, maxKeys: 5 });

/** Documents built from names, integers, booleans and null only: most of them take the writer's own path,
 * so every run compares it with js-yaml many times, whatever the seed (the general documents above mostly
 * hold some string that needs quotes). */
const name = fc.stringMatching(/^[A-Za-z/][A-Za-z0-9_./-]{0,10}$/);
const { plainValue } = fc.letrec((tie) => ({
  plainValue: fc.oneof(
    { depthSize: "small" },
    fc.oneof(name, fc.integer(), fc.boolean(), fc.constant(null)),
    tie("plainArray"),
    tie("plainObject"),
  ),
  plainArray: fc.array(fc.oneof(name, fc.integer(), tie("plainObject")), { maxLength: 3 }),
  plainObject: fc.dictionary(name, tie("plainValue"), { maxKeys: 4 }),
}));
const plainDocument = fc.dictionary(name, plainValue, { minKeys: 1, maxKeys: 5 });

describe("plainBlockYaml", () => {
  it("gives what js-yaml dumps whenever it gives anything", () => {
    let written = 0;
    fc.assert(
      fc.property(fc.oneof(anyDocument, plainDocument), (doc) => {
        const fast = plainBlockYaml(doc);
        if (fast === undefined) return;
        written += 1;
        assert.equal(fast, dumped(doc));
      }),
      { numRuns: 3000 },
    );
    // About 1,570 of the 3,000 take the writer's own path (1,488 to 1,639 over seeds 0-299); a writer that
    // gave up on most plain documents would fall far below this.
    assert.ok(written > 1000, `only ${written} documents were written without js-yaml`);
  });

  it("takes no string js-yaml would quote", () => {
    fc.assert(
      fc.property(text, (s) => {
        if (isPlainSafe(s)) assert.equal(dumped({ k: s }), `k: ${s}\n`, JSON.stringify(s));
      }),
      { numRuns: 20_000 },
    );
  });

  it("writes the authenticator's config.yaml itself for the default backend and for plain reserved prefixes", () => {
    for (const spec of [
      specWith({ backendModes: ["CRD"] }),
      specWith({ backendModes: ["MountedFile", "CRD"], reservedUsernamePrefixes: ["admin-", "ops"] }),
    ]) {
      const config = { ...buildServerConfig(resolveSpec(spec)) };
      assert.equal(plainBlockYaml(config), dumped(config));
    }
  });

  it("leaves anything it is unsure of to js-yaml", () => {
    for (const doc of [
      { arn: "arn:aws:iam::123456789012:role/admin" },
      { id: "012345678901" },
      { v: 1.5 },
      { v: "true" },
      { list: [["nested"]] },
      {},
    ])
      assert.equal(plainBlockYaml(doc), undefined, JSON.stringify(doc));
  });
});
