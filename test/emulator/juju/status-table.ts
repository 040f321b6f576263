/** A `juju status`-like text table of the emulated model, for CLIs printing each step. */
import type { ModelState } from "./model-state.ts";

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
    apps.push([
      app.name,
      app.workloadVersion,
      app.status.status,
      app.charm,
      String(app.units.length),
      app.status.message,
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
