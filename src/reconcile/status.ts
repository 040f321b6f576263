import type { StatusName } from "../juju/hook-tools.ts";

export interface WorkloadStatus {
  readonly name: StatusName;
  readonly message: string;
}

export const blocked = (message: string): WorkloadStatus => ({ name: "blocked", message });
export const waiting = (message: string): WorkloadStatus => ({ name: "waiting", message });
export const maintenance = (message: string): WorkloadStatus => ({ name: "maintenance", message });
export const active = (message = ""): WorkloadStatus => ({ name: "active", message });

// A human must act on blocked; maintenance and waiting resolve themselves.
const SEVERITY: Record<StatusName, number> = { blocked: 3, maintenance: 2, waiting: 1, active: 0 };

/** The status to show: the most severe one, the first of equals (steps run in order of
 * dependency, so the first is the cause of the rest). */
export function mostSevere(statuses: readonly WorkloadStatus[], fallback: WorkloadStatus): WorkloadStatus {
  let worst: WorkloadStatus | undefined;
  for (const status of statuses) {
    if (worst === undefined || SEVERITY[status.name] > SEVERITY[worst.name]) worst = status;
  }
  return worst ?? fallback;
}

/** A reconcile step that cannot continue: expected, shown as a status, hook still exits 0. */
export class StepStop extends Error {
  readonly status: WorkloadStatus;

  constructor(status: WorkloadStatus) {
    super(`${status.name}: ${status.message}`);
    this.name = "StepStop";
    this.status = status;
  }
}
