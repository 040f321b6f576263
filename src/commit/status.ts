import type { HookTools } from "../juju/hook-tools.ts";
import type { MachineFiles } from "../machine/files.ts";
import { unitCachePath } from "../machine/paths.ts";
import type { RelationIds } from "../observe/juju.ts";
import type { Status } from "../plan/status.ts";

/** What the unit last told Juju. Kept on the machine so an idle hook makes no
 * status-set or application-version-set round trip. */
export interface Published {
  readonly unit?: Status;
  readonly app?: Status;
  readonly version?: string;
  /** This unit's Kubernetes node, kept once the authenticator served there. */
  readonly node?: string;
  /** What relation-ids said, so the hooks between relation hooks need not ask (observe/juju.ts). */
  readonly relationIds?: RelationIds;
}

export interface Outcome {
  readonly unit: Status;
  /** Set by the leader only. */
  readonly app: Status | undefined;
  readonly version: string | undefined;
  /** The node this unit found itself on. */
  readonly node?: string;
}

/** Marks the cache stale before a reconcile: if the hook dies half-way (and Juju
 * shows an error status), the next hook sets everything again. */
export async function invalidatePublished(files: MachineFiles, unitName: string): Promise<void> {
  await files.remove(unitCachePath(unitName));
}

/** Sets unit status, application status (leader) and workload version where they changed. */
export async function publishOutcome(
  tools: HookTools,
  files: MachineFiles,
  unitName: string,
  outcome: Outcome,
  previous: Published,
  relationIds?: RelationIds,
): Promise<void> {
  if (!sameStatus(previous.unit, outcome.unit)) {
    await tools.statusSet(outcome.unit.name, outcome.unit.message, "unit");
  }
  if (outcome.app && !sameStatus(previous.app, outcome.app)) {
    await tools.statusSet(outcome.app.name, outcome.app.message, "app");
  }
  if (outcome.version !== undefined && outcome.version !== previous.version) {
    await tools.applicationVersionSet(outcome.version);
  }
  const published: Published = {
    unit: outcome.unit,
    app: outcome.app,
    version: outcome.version,
    // Set only once ours served there (workload/decide.ts); without it the next hook looks the node up.
    ...(outcome.node !== undefined ? { node: outcome.node } : {}),
    ...(relationIds !== undefined ? { relationIds } : {}),
  };
  await files.write(unitCachePath(unitName), `${JSON.stringify(published)}\n`, 0o644);
}

/** Read before the snapshot (it holds the relation refs) and invalidated after it. */
export async function readPublished(files: MachineFiles, unitName: string): Promise<Published> {
  const text = await files.read(unitCachePath(unitName));
  if (text === undefined) return {};
  try {
    return JSON.parse(text) as Published;
  } catch {
    return {};
  }
}

function sameStatus(a: Status | undefined, b: Status): boolean {
  return a !== undefined && a.name === b.name && a.message === b.message;
}
