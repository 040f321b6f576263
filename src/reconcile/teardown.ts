import type { HookContext } from "../juju/context.ts";
import type { JujuSnapshot } from "../juju/model.ts";
import { PATHS, unitCachePath, unitTlsRecordPath } from "../machine/paths.ts";
import type { CharmDeps } from "./deps.ts";

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

/** Every file this unit put on the machine. */
const UNIT_FILES = [PATHS.webhookKubeconfig, PATHS.hostTrustedCa] as const;

/** Removes what this unit owns on the machine; idempotent, so stop and remove can both run it. */
export async function teardownUnit(context: HookContext, deps: CharmDeps): Promise<void> {
  for (const path of [...UNIT_FILES, unitCachePath(context.unitName), unitTlsRecordPath(context.unitName)]) {
    if (await deps.files.remove(path)) await deps.log.info(`removed ${path}`);
  }
}
