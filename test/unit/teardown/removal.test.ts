import assert from "node:assert/strict";
import { test } from "node:test";
import type { GoalState } from "../../../src/juju/hook-tools.ts";
import { removalScope } from "../../../src/teardown/removal.ts";

const CP = "kubernetes-control-plane";
const goal = (units: Record<string, string> | undefined): GoalState => ({
  units: {},
  relations: units === undefined ? {} : { "juju-info": { [CP]: "joined", ...units } },
});
const ENDPOINTS = ["juju-info", "aws-iam"];

test("our principal is going and others stay: not last, they are named", () => {
  const scope = removalScope(
    goal({ [`${CP}/0`]: "dying", [`${CP}/1`]: "active", [`${CP}/2`]: "maintenance" }),
    ENDPOINTS,
    `${CP}/0`,
  );
  assert.deepEqual(scope, {
    last: false,
    why: `${CP}/1, ${CP}/2 remain with their units of this application`,
  });
});

test("every principal unit is going: last", () => {
  const scope = removalScope(goal({ [`${CP}/0`]: "dying", [`${CP}/1`]: "dying" }), ENDPOINTS, `${CP}/0`);
  assert.equal(scope.last, true);
});

test("our principal stays while we go (relation or application removed): last", () => {
  const scope = removalScope(goal({ [`${CP}/0`]: "active", [`${CP}/1`]: "active" }), ENDPOINTS, `${CP}/0`);
  assert.equal(scope.last, true);
});

test("the container relation is gone from goal state: last", () => {
  assert.equal(removalScope(goal(undefined), ENDPOINTS, `${CP}/0`).last, true);
});

test("in doubt (no principal, or ours not listed): keep", () => {
  assert.equal(removalScope(goal({ [`${CP}/1`]: "active" }), ENDPOINTS, undefined).last, false);
  assert.deepEqual(removalScope(goal({ [`${CP}/1`]: "active" }), ENDPOINTS, `${CP}/0`), {
    last: false,
    why: `goal state does not list ${CP}/0`,
  });
});
