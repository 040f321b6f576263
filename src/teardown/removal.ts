// Whether a departing unit may delete what the whole application shares. A subordinate unit dies only
// with its principal or with its container relation / application: Juju refuses `remove-unit` on a
// subordinate (apiserver/facades/client/application/application.go, DestroyUnit: "unit %q is a
// subordinate"). Each principal unit in scope of the container relation carries one unit of ours.
import type { GoalState } from "../juju/hook-tools.ts";

export type RemovalScope =
  /** Provably the last unit: shared objects may go. */
  | { readonly last: true; readonly why: string }
  /** Other units remain, or we cannot tell: leave everything for the next leader. */
  | { readonly last: false; readonly why: string };

/**
 * Decides from goal-state alone (its `relations` section lists the principal application's units with
 * "dying" for Dying ones; uniter.go goalStateRelations/goalStateUnits):
 * - our principal is dying and another principal unit is not → other units of ours remain;
 * - our principal is dying and so is every other → the whole control plane goes, so do we all;
 * - our principal lives on while we go → our container relation or application is being removed,
 *   which takes every unit of ours with it;
 * - no container relation left in goal state → it is gone for everyone;
 * - anything else (no principal known, ours not listed) → doubt: keep.
 */
export function removalScope(
  goal: GoalState,
  containerEndpoints: readonly string[],
  principalUnit: string | undefined,
): RemovalScope {
  if (principalUnit === undefined) return { last: false, why: "this unit has no principal unit" };
  const listed = containerEndpoints.filter((endpoint) => goal.relations[endpoint] !== undefined);
  if (listed.length === 0) {
    return { last: true, why: "the control-plane relation is gone for every unit" };
  }
  const principalApp = principalUnit.split("/")[0]!;
  const principals: Record<string, string> = {};
  for (const endpoint of listed) {
    for (const [name, status] of Object.entries(goal.relations[endpoint]!)) {
      if (name.includes("/")) principals[name] = status;
    }
  }
  const own = principals[principalUnit];
  if (own === undefined) {
    return { last: false, why: `goal state does not list ${principalUnit}` };
  }
  if (own !== "dying") {
    return { last: true, why: `${principalUnit} stays: the relation or application is being removed` };
  }
  const remaining = Object.entries(principals)
    .filter(
      ([name, status]) => name !== principalUnit && status !== "dying" && name.startsWith(`${principalApp}/`),
    )
    .map(([name]) => name)
    .sort();
  if (remaining.length > 0) {
    return { last: false, why: `${remaining.join(", ")} remain with their units of this application` };
  }
  return { last: true, why: `every ${principalApp} unit is going` };
}
