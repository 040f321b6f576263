import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { describe, it } from "node:test";
import fc from "fast-check";
import { decodeReactive, encodeReactive, ReactiveJsonError } from "../../../src/util/python-json.ts";

// Expected strings below were produced by `python3 -c 'import json; print(json.dumps(v, sort_keys=True))'`.
describe("encodeReactive matches charms.reactive to_publish (json.dumps sort_keys=True)", () => {
  const cases: [string, unknown, string][] = [
    ["cluster id string", "Ab3xYz", '"Ab3xYz"'],
    ["true", true, "true"],
    ["false", false, "false"],
    ["null", null, "null"],
    [
      "sorted keys and ', ' / ': ' separators",
      { b: 1, a: [1, 2.5, { z: null }] },
      '{"a": [1, 2.5, {"z": null}], "b": 1}',
    ],
    ["empty object", {}, "{}"],
    ["empty array", [], "[]"],
    [
      "ensure_ascii, 0x7f and control escapes",
      'héllo \u2028 😀 \x7f \x01 "q" \\ /',
      '"h\\u00e9llo \\u2028 \\ud83d\\ude00 \\u007f \\u0001 \\"q\\" \\\\ /"',
    ],
    ["short escapes", "tab\there\nnl\r\b\f\x1f", '"tab\\there\\nnl\\r\\b\\f\\u001f"'],
    [
      "keys sorted by code point, not UTF-16 unit",
      { "\uffff": 1, "\u{10000}": 2 },
      '{"\\uffff": 1, "\\ud800\\udc00": 2}',
    ],
    ["small float uses 2-digit exponent", 0.00001, "1e-05"],
    ["1e-7", 1e-7, "1e-07"],
    ["denormal", 5e-324, "5e-324"],
    ["0.0001 stays fixed", 0.0001, "0.0001"],
    ["negative small float", -1.25e-5, "-1.25e-05"],
    ["big non-integer", 1234567890123456.8, "1234567890123456.8"],
    ["integral number as Python int", 1e21, "1000000000000000000000"],
    ["bigint", 9007199254740993n, "9007199254740993"],
  ];
  for (const [name, value, expected] of cases) {
    it(name, () => assert.equal(encodeReactive(value), expected));
  }

  it("refuses values Python could not have written or strict JSON cannot read", () => {
    for (const bad of [
      undefined,
      Number.NaN,
      Number.POSITIVE_INFINITY,
      () => 1,
      new Date(0),
      { a: undefined },
    ]) {
      assert.throws(() => encodeReactive(bad), ReactiveJsonError);
    }
  });
});

// Values whose int/float nature survives JSON.stringify → json.loads, so Python sees the same value.
const codeUnitString = fc
  .array(fc.integer({ min: 0, max: 0xffff }), { maxLength: 8 })
  .map((units) => String.fromCharCode(...units));
const leaf = fc.oneof(
  fc.constant(null),
  fc.boolean(),
  fc.integer({ min: Number.MIN_SAFE_INTEGER, max: Number.MAX_SAFE_INTEGER }),
  fc.double({ noNaN: true, noDefaultInfinity: true }).filter((d) => !Number.isInteger(d)),
  codeUnitString,
  fc.string({ unit: "binary", maxLength: 6 }),
);
const value = fc.letrec((tie) => ({
  node: fc.oneof(
    { depthSize: "small" },
    leaf,
    fc.array(tie("node"), { maxLength: 4 }),
    fc.dictionary(fc.oneof(codeUnitString, fc.string({ unit: "binary", maxLength: 4 })), tie("node"), {
      maxKeys: 4,
    }),
  ),
})).node;

describe("encodeReactive against the real Python json.dumps", () => {
  it("agrees byte-for-byte on 300 generated values", () => {
    const values = fc.sample(value, { numRuns: 300, seed: 20240601 });
    const script =
      "import json,sys\nfor line in sys.stdin:\n    print(json.dumps(json.loads(line), sort_keys=True))";
    const py = spawnSync("python3", ["-c", script], {
      input: values.map((v) => JSON.stringify(v)).join("\n"),
      encoding: "utf8",
    });
    assert.equal(py.status, 0, py.stderr);
    const expected = py.stdout.split("\n").slice(0, values.length);
    for (const [i, v] of values.entries()) {
      assert.equal(encodeReactive(v), expected[i], `value #${i}: ${JSON.stringify(v)}`);
    }
  });

  it("round-trips through decodeReactive", () => {
    // JSON.parse yields ordinary objects where fast-check made null-prototype ones.
    fc.assert(
      fc.property(value, (v) =>
        assert.deepEqual(decodeReactive(encodeReactive(v)), JSON.parse(JSON.stringify(v))),
      ),
    );
  });
});

describe("decodeReactive matches unit.received", () => {
  it("missing key reads as undefined (Python None)", () =>
    assert.equal(decodeReactive(undefined), undefined));
  it("empty string is returned as-is", () => assert.equal(decodeReactive(""), ""));
  it("parses JSON booleans and strings", () => {
    assert.equal(decodeReactive("true"), true);
    assert.equal(decodeReactive("false"), false);
    assert.equal(decodeReactive('"abc"'), "abc");
  });
  it("throws a typed error (without the value) where reactive would fall back to the raw string", () => {
    assert.throws(
      () => decodeReactive("10.1.2.3"),
      (e: unknown) => e instanceof ReactiveJsonError && !e.message.includes("10.1.2.3"),
    );
  });
});
