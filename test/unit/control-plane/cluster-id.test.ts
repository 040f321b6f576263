import assert from "node:assert/strict";
import { randomBytes } from "node:crypto";
import { describe, it } from "node:test";
import fc from "fast-check";
import { generateClusterId, validateClusterId } from "../../../src/cluster-id/format.ts";

describe("generateClusterId", () => {
  it("makes 24 alphanumerics that pass validation (with the real RNG)", () => {
    const id = generateClusterId(randomBytes);
    assert.match(id, /^[A-Za-z0-9]{24}$/);
    assert.equal(validateClusterId(id), undefined);
  });

  it("maps bytes without modulo bias: bytes >= 248 are skipped", () => {
    const bytes = Buffer.from([248, 255, 0, 61, 62, 247, ...new Array(42).fill(1)]);
    const id = generateClusterId(() => bytes);
    // 0 → 'A', 61 → '9', 62 → 'A' (62 % 62), 247 → 247 % 62 = 61 → '9', then 1 → 'B'.
    assert.equal(id, `A9A9${"B".repeat(20)}`);
  });

  it("asks the RNG again when too many bytes were rejected", () => {
    let calls = 0;
    const id = generateClusterId((n) => {
      calls++;
      return calls === 1 ? Buffer.alloc(n, 250) : Buffer.alloc(n, 2);
    });
    assert.equal(calls, 2);
    assert.equal(id, "C".repeat(24));
  });

  it("gives up on an RNG that never yields usable bytes", () => {
    assert.throws(() => generateClusterId((n) => Buffer.alloc(n, 255)), /random source/);
  });

  it("is uniform-ish: every alphabet character shows up over many IDs", () => {
    const seen = new Set(Array.from({ length: 200 }, () => generateClusterId(randomBytes)).join(""));
    assert.equal(seen.size, 62);
  });
});

describe("validateClusterId", () => {
  it("accepts the old charm's format and EKS-style names", () => {
    for (const ok of ["Ab3xYz09Ab3xYz09Ab3xYz09", "my-cluster_1", "a", "9".repeat(100)]) {
      assert.equal(validateClusterId(ok), undefined, ok);
    }
  });

  it("says exactly what is wrong", () => {
    assert.equal(validateClusterId(""), "cluster-id is empty");
    assert.equal(validateClusterId("a".repeat(101)), "cluster-id is 101 characters long; the maximum is 100");
    assert.equal(validateClusterId("-abc"), "cluster-id must start with a letter or digit");
    assert.equal(
      validateClusterId("ab c"),
      `cluster-id contains " "; only letters, digits, '-' and '_' are allowed`,
    );
    assert.equal(
      validateClusterId("abé"),
      `cluster-id contains "é"; only letters, digits, '-' and '_' are allowed`,
    );
  });

  it("accepts exactly the strings matching the EKS name rule", () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 110 }), (s) => {
        const expected = /^[A-Za-z0-9][A-Za-z0-9_-]{0,99}$/.test(s);
        assert.equal(validateClusterId(s) === undefined, expected);
      }),
    );
  });
});
