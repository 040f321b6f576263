/** What a hook tool sees: the model, the running hook, and the views Juju gives the
 * unit (own data including pending writes, everything else as committed). */
import { dump } from "js-yaml";
import type { ParsedArgs } from "./args.ts";
import { stringFlag } from "./args.ts";
import type {
  ActiveHook,
  AppState,
  ModelState,
  RelationState,
  SecretState,
  UnitState,
} from "./model-state.ts";
import type { Databag } from "./remote-charm.ts";
import { quote, runError, usageError } from "./tool-error.ts";

export class ToolContext {
  readonly state: ModelState;
  readonly hook: ActiveHook;
  readonly unit: UnitState;
  readonly app: AppState;

  constructor(state: ModelState) {
    if (!state.hook) throw runError("no hook context: hook tools only work while a hook runs");
    this.state = state;
    this.hook = state.hook;
    const unit = state.units[this.hook.unit];
    if (!unit) throw runError(`unknown unit ${this.hook.unit}`);
    this.unit = unit;
    this.app = state.applications[unit.app]!;
  }

  get isLeader(): boolean {
    return this.app.leader === this.unit.name;
  }

  /** Relations this unit takes part in (not broken). */
  myRelations(): RelationState[] {
    return this.state.relations.filter((r) => !r.broken && r.units.includes(this.unit.name));
  }

  myEndpoint(rel: RelationState): string {
    return rel.endpoints.find((e) => e.app === this.app.name)!.endpoint;
  }

  /** The other application (the app itself for a peer relation). */
  remoteApp(rel: RelationState): string {
    return (rel.endpoints.find((e) => e.app !== this.app.name) ?? rel.endpoints[0]!).app;
  }

  isPeer(rel: RelationState): boolean {
    return rel.endpoints.length === 1;
  }

  /** `-r` value: `<id>` or `<endpoint>:<id>`, Juju uses the integer after the last ':'. */
  relationFromFlag(parsed: ParsedArgs): RelationState {
    const raw = stringFlag(parsed, "relation");
    if (raw === undefined) {
      if (this.hook.relationId === undefined) throw usageError("no relation id specified");
      return this.relationById(this.hook.relationId, String(this.hook.relationId));
    }
    const id = Number(raw.slice(raw.lastIndexOf(":") + 1));
    return this.relationById(id, raw);
  }

  private relationById(id: number, raw: string): RelationState {
    const rel = this.state.relations.find((r) => r.id === id);
    // During relation-broken the hook's own relation is still addressable.
    const usable = rel && (rel.units.includes(this.unit.name) || this.hook.relationId === id);
    if (!rel || !usable || !Number.isInteger(id)) {
      throw usageError(`invalid value ${quote(raw)} for option -r: relation not found`);
    }
    return rel;
  }

  /** Remote units this unit currently sees in the relation (container scope: one). */
  visibleRemoteUnits(rel: RelationState): string[] {
    const me = this.unit.name;
    return rel.units.filter((u) => u !== me && this.canSee(rel, u) && u !== this.hook.departingUnit).sort();
  }

  /** Container scope pairs a subordinate with the principal on its machine. */
  canSee(rel: RelationState, other: string): boolean {
    // Outside a peer relation a unit sees only the other side, never its siblings.
    if (!this.isPeer(rel) && other !== this.unit.name && this.state.units[other]?.app === this.app.name)
      return false;
    if (rel.scope !== "container") return true;
    const a = this.state.units[this.unit.name]!;
    const b = this.state.units[other];
    return b !== undefined && a.machineId === b.machineId;
  }

  unitBag(rel: RelationState, unit: string): Databag {
    if (unit === this.unit.name) return this.hook.pending.unitData[rel.id] ?? rel.unitData[unit] ?? {};
    return rel.unitData[unit] ?? {};
  }

  appBag(rel: RelationState, app: string): Databag {
    if (app === this.app.name) return this.hook.pending.appData[rel.id] ?? rel.appData[app] ?? {};
    return rel.appData[app] ?? {};
  }

  /** Secrets as this hook sees them: its own pending copy once it changed any. */
  secrets(): SecretState[] {
    return this.hook.pending.secrets ?? this.state.secrets;
  }

  /** Copy-on-write: the first secret change in a hook snapshots the list. */
  writableSecrets(): SecretState[] {
    this.hook.pending.secrets ??= structuredClone(this.state.secrets);
    return this.hook.pending.secrets;
  }

  charmState(): Databag {
    return this.hook.pending.charmState ?? this.unit.charmState;
  }

  openedPorts(): string[] {
    return this.hook.pending.openedPorts ?? this.unit.openedPorts;
  }
}

/** `--format` for getters: json, yaml, or Juju's default "smart". */
export function formatOutput(value: unknown, format: string | undefined): string {
  const f = format ?? "smart";
  if (f === "json") return `${JSON.stringify(value)}\n`;
  if (f === "yaml") return value === null || value === undefined ? "" : dump(value);
  if (f === "smart") {
    if (value === null || value === undefined) return "";
    if (typeof value === "string") return `${value}\n`;
    if (typeof value !== "object") return `${String(value)}\n`;
    return dump(value);
  }
  throw usageError(`invalid value ${quote(f)} for option --format: unknown format ${quote(f)}`);
}
