/** Unit tests for the managedFields vocabulary and selector parsing. */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { builtinLists, FieldSet, fieldSetOf, mergeApplied, pathString } from "./field-set.ts";
import { parseLabelSelector } from "./selectors.ts";

const pod = {
  spec: { containers: [{ name: "a", image: "i:1" }], tolerations: [{ key: "k", operator: "Exists" }] },
};

describe("field sets", () => {
  it("keys built-in lists by merge key and keeps other lists atomic", () => {
    const set = fieldSetOf(pod, builtinLists);
    assert.deepEqual(set.toFieldsV1(), {
      "f:spec": {
        "f:containers": { 'k:{"name":"a"}': { ".": {}, "f:name": {}, "f:image": {} } },
        "f:tolerations": {},
      },
    });
    assert.ok(FieldSet.fromFieldsV1(set.toFieldsV1()).equals(set), "fieldsV1 round-trips");
  });

  it("prints paths like structured-merge-diff", () => {
    assert.equal(pathString(["f:data", "f:key"]), ".data.key");
    assert.equal(
      pathString(["f:spec", "f:containers", 'k:{"name":"a"}', "f:image"]),
      '.spec.containers[name="a"].image',
    );
  });

  it("merges keyed list items instead of replacing the list", () => {
    const merged = mergeApplied(
      pod,
      { spec: { containers: [{ name: "b", image: "j" }] } },
      builtinLists,
    ) as typeof pod;
    assert.deepEqual(
      merged.spec.containers.map((c) => c.name),
      ["a", "b"],
    );
  });
});

describe("label selectors", () => {
  it("rejects malformed selectors with a 400", () => {
    assert.throws(
      () => parseLabelSelector("a in b"),
      (e: { code?: number }) => e.code === 400,
    );
  });
  it("treats != and notin as matching objects without the label", () => {
    assert.equal(parseLabelSelector("a!=x")({}), true);
    assert.equal(parseLabelSelector("a notin (x)")({ a: "x" }), false);
  });
});
