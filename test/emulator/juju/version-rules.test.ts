import assert from "node:assert/strict";
import { test } from "node:test";
import { ownerCannotRefresh, secretValueLimit } from "./tools/secret-tools.ts";

test("secret-get --refresh by the owner fails on 3.1.0–3.1.6, 3.2.x and 3.3.0 only (juju PR 16598)", () => {
  const refused = ["3.1.0", "3.1.6", "3.2.0", "3.2.4", "3.3.0"];
  const allowed = ["3.0.3", "3.1.7", "3.1.8", "3.3.1", "3.4.0", "3.5.4", "3.6.14", "4.0.0"];
  assert.deepEqual(
    [...refused, ...allowed].filter((version) => ownerCannotRefresh(version)),
    refused,
  );
});

test("the secret value cap: 8 KiB before 3.6.9, 1 MB from it, or what the test sets", () => {
  const model = (jujuVersion: string, secretValueLimitBytes?: number) => ({
    name: "m",
    uuid: "u",
    jujuVersion,
    ...(secretValueLimitBytes === undefined ? {} : { secretValueLimitBytes }),
  });
  assert.equal(secretValueLimit(model("3.3.2")), 8192);
  assert.equal(secretValueLimit(model("3.6.8")), 8192);
  assert.equal(secretValueLimit(model("3.6.14")), 1_000_000);
  assert.equal(secretValueLimit(model("3.6.14", 100)), 100);
});
