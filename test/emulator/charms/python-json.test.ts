/** The stand-ins' json.dumps against what CPython prints for the same values (python/cpython
 * Lib/json/encoder.py: py_encode_basestring_ascii, default separators, sort_keys). */
import assert from "node:assert/strict";
import { test } from "node:test";
import { pyJsonDumps } from "./python-json.ts";

test("ensure_ascii: short escapes, \\u00XX for controls and DEL, one escape per UTF-16 unit above U+007E", () => {
  assert.equal(
    pyJsonDumps(['q"b\\', "\n\r\t\b\f", "\u0001\u007f", "é\u2028", "😀"]),
    String.raw`["q\"b\\", "\n\r\t\b\f", "\u0001\u007f", "\u00e9\u2028", "\ud83d\ude00"]`,
  );
});

test("dict keys in insertion order, or sorted by code point with sortKeys (as Python compares str)", () => {
  const value = { b: 1, a: [true, null], "\uffff": 2, "😀": 3 };
  assert.equal(pyJsonDumps(value), String.raw`{"b": 1, "a": [true, null], "\uffff": 2, "\ud83d\ude00": 3}`);
  // UTF-16 order would put U+1F600 (0xD83D…) before U+FFFF.
  assert.equal(
    pyJsonDumps(value, { sortKeys: true }),
    String.raw`{"a": [true, null], "b": 1, "\uffff": 2, "\ud83d\ude00": 3}`,
  );
});
