/** A `juju status`-like text table of the emulated model, for CLIs printing each step. */
import type { AppState, ModelState, StatusEntry } from "./model-state.ts";

/** Juju's severities for deriving an application's status from its units (juju domain/status/service,
 * statusSeverities and applicationDisplayStatusFromUnits: start from unknown, a unit's workload status
 * replaces it only when strictly more severe). */
const STATUS_SEVERITY: Readonly<Record<string, number>> = {
  error: 100,
  blocked: 90,
  maintenance: 80,
  waiting: 70,
  active: 60,
  terminated: 50,
  unknown: 40,
};

/** What `juju status` shows for an application: the status its leader set, else the one derived from
 * the units' workload statuses (message included). */
export function displayedAppStatus(state: ModelState, app: AppState): StatusEntry {
  if (app.statusHistory.length > 0) return app.status;
  let shown: StatusEntry = app.status;
  for (const name of app.units) {
    const unit = state.units[name];
    if (!unit || unit.removed) continue;
    if ((STATUS_SEVERITY[unit.status.status] ?? 0) > (STATUS_SEVERITY[shown.status] ?? 0))
      shown = unit.status;
  }
  return shown;
}

function table(rows: string[][]): string {
  const widths = rows[0]!.map((_, i) => Math.max(...rows.map((r) => (r[i] ?? "").length)));
  return rows
    .map((r) =>
      r
        .map((c, i) => c.padEnd(widths[i]!))
        .join("  ")
        .trimEnd(),
    )
    .join("\n");
}

export function renderStatus(state: ModelState): string {
  const apps: string[][] = [["App", "Version", "Status", "Charm", "Units", "Message"]];
  const units: string[][] = [["Unit", "Workload", "Agent", "Machine", "Address", "Message"]];
  for (const app of Object.values(state.applications)) {
    const status = displayedAppStatus(state, app);
    apps.push([
      app.name,
      app.workloadVersion,
      status.status,
      app.charm,
      String(app.units.length),
      status.message,
    ]);
    for (const name of app.units) {
      const u = state.units[name]!;
      const leader = app.leader === name ? "*" : "";
      const indent = u.principal ? "  " : "";
      const agent = u.status.status === "error" ? "error" : state.hook?.unit === name ? "executing" : "idle";
      units.push([
        `${indent}${name}${leader}`,
        u.status.status,
        agent,
        u.machineId,
        u.address,
        u.status.message,
      ]);
    }
  }
  const rels: string[][] = [["Id", "Provider/Requirer", "Interface", "Scope"]];
  for (const r of state.relations) {
    if (r.broken) continue;
    rels.push([
      String(r.id),
      r.endpoints.map((e) => `${e.app}:${e.endpoint}`).join(" "),
      r.interface,
      r.scope,
    ]);
  }
  return [table(apps), table(units), table(rels)].join("\n\n");
}
