// Cheap and loaded by every hook: whether this one ends the unit's life (the teardown itself is a
// dynamic import, loaded only then).
import type { HookContext } from "../juju/context.ts";
import type { JujuSnapshot } from "../observe/juju.ts";

/** True when this hook ends the unit's life: Juju runs stop and remove last, and a
 * subordinate dies with its last container relation. */
export function isTeardown(context: HookContext, snapshot: JujuSnapshot): boolean {
  if (context.kind !== "hook") return false;
  if (context.name === "stop" || context.name === "remove") return true;
  const containerRelations = [snapshot.legacyControlPlane, snapshot.controlPlane].filter(
    (relation) => relation !== undefined,
  );
  return containerRelations.length > 0 && containerRelations.every((relation) => relation.breaking);
}
