import type { StatusName } from "../juju/hook-tools.ts";

/** A unit or application status the charm may set (Juju sets `error` itself when a hook fails). */
export interface Status {
  readonly name: StatusName;
  readonly message: string;
}

export const blocked = (message: string): Status => ({ name: "blocked", message });
export const waiting = (message: string): Status => ({ name: "waiting", message });
export const maintenance = (message: string): Status => ({ name: "maintenance", message });
export const active = (message = ""): Status => ({ name: "active", message });

/** ops' collect-status order (canonical/operator ops/model.py, StatusBase._priorities), so an operator
 * reads our status the way they read any ops charm's. */
const PRIORITY: Readonly<Record<string, number>> = {
  error: 5,
  blocked: 4,
  maintenance: 3,
  waiting: 2,
  active: 1,
};

/** The status to show: the most severe; of equals the first (features run in dependency order, so the
 * first is the cause of the rest), as ops' StatusBase._get_highest_priority (Python's max keeps the first). */
function mostSevere(statuses: readonly Status[], fallback: Status = active()): Status {
  let worst: Status | undefined;
  for (const status of statuses) {
    if (worst === undefined || (PRIORITY[status.name] ?? 0) > (PRIORITY[worst.name] ?? 0)) worst = status;
  }
  return worst ?? fallback;
}

/** The status to set: the most severe, with the notes appended when it is active. */
export function finalStatus(statuses: readonly Status[], activeNotes: readonly string[] = []): Status {
  const status = mostSevere(statuses);
  if (status.name !== "active" || activeNotes.length === 0) return status;
  return active([status.message, ...activeNotes].filter((part) => part !== "").join("; "));
}
