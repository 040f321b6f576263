/** Builds a consistent emulated model: applications (with their charm metadata), units on
 * machines with their own temp root dirs, leadership, config, relations with databags,
 * secrets and charm state. `build()` runs the consistency check. */
import { randomUUID } from "node:crypto";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { CharmMeta } from "./charm-meta.ts";
import { assertConsistent, modelProblems } from "./consistency.ts";
import type {
  AppState,
  ConfigValue,
  ModelState,
  RelationState,
  SecretState,
  UnitState,
} from "./model-state.ts";
import type { Databag } from "./remote-charm.ts";
import { newSecretUri } from "./tools/secret-tools.ts";

export interface EmulatedModel {
  readonly state: ModelState;
  readonly metas: Record<string, CharmMeta>;
}

export interface AppOptions {
  /** Defaults to the charm name. */
  readonly name?: string;
  readonly standIn?: boolean;
  readonly config?: Record<string, ConfigValue>;
}

export interface RelationOptions {
  /** Juju-style `app:endpoint` strings; one for a peer relation. */
  readonly endpoints: readonly string[];
  /** Units in scope; defaults to every unit of the related apps. */
  readonly units?: readonly string[];
  readonly appData?: Record<string, Databag>;
  readonly unitData?: Record<string, Databag>;
}

export interface SecretOptions {
  readonly ownerApp: string;
  readonly ownerUnit?: string;
  readonly label?: string;
  readonly content: Databag;
  /** Further revisions after the first. */
  readonly laterRevisions?: readonly Databag[];
  readonly grants?: SecretState["grants"];
  readonly consumers?: SecretState["consumers"];
}

function unknownStatus(): AppState["status"] {
  return { status: "unknown", message: "", since: new Date(0).toISOString() };
}

/** The address keys Juju maintains in every unit databag (Juju 3). */
export function addressKeys(address: string): Databag {
  return { "private-address": address, "ingress-address": address, "egress-subnets": `${address}/32` };
}

export class ModelBuilder {
  readonly state: ModelState;
  readonly metas: Record<string, CharmMeta> = {};
  private readonly rootBase: string;

  constructor(options: { modelName?: string; jujuVersion?: string; rootBase?: string } = {}) {
    this.rootBase = options.rootBase ?? tmpdir();
    this.state = {
      model: {
        name: options.modelName ?? "emulated",
        uuid: randomUUID(),
        jujuVersion: options.jujuVersion ?? "3.6.14",
      },
      applications: {},
      units: {},
      relations: [],
      secrets: [],
      nextRelationId: 0,
      nextActionId: 1,
      nextMachineId: 0,
      toolStats: {},
    };
  }

  addApplication(meta: CharmMeta, options: AppOptions = {}): this {
    const name = options.name ?? meta.name;
    const config: Record<string, ConfigValue> = {};
    for (const [key, option] of Object.entries(meta.config))
      if (option.default !== undefined) config[key] = option.default;
    Object.assign(config, options.config ?? {});
    this.metas[name] = meta;
    this.state.applications[name] = {
      name,
      charm: meta.name,
      subordinate: meta.subordinate,
      standIn: options.standIn ?? false,
      configTypes: Object.fromEntries(Object.entries(meta.config).map(([k, v]) => [k, v.type])),
      config,
      status: unknownStatus(),
      statusHistory: [],
      workloadVersion: "",
      leaderSettings: {},
      bindings: [...Object.keys(meta.endpoints), ...meta.extraBindings],
      units: [],
    };
    return this;
  }

  /** Adds a unit; a subordinate unit names its principal and shares its machine and root dir. */
  addUnit(app: string, options: { principal?: string; leader?: boolean } = {}): string {
    return addUnitToState(this.state, app, { ...options, rootBase: this.rootBase });
  }

  setLeader(unit: string): this {
    const u = this.state.units[unit];
    if (!u) throw new Error(`unknown unit ${unit}`);
    this.state.applications[u.app]!.leader = unit;
    return this;
  }

  setConfig(app: string, values: Record<string, ConfigValue>): this {
    Object.assign(this.state.applications[app]!.config, values);
    return this;
  }

  setCharmState(unit: string, state: Databag): this {
    this.state.units[unit]!.charmState = { ...state };
    return this;
  }

  addRelation(options: RelationOptions): number {
    const endpoints = options.endpoints.map((s) => {
      const [app, endpoint] = s.split(":");
      if (!app || !endpoint) throw new Error(`expected app:endpoint, got ${s}`);
      return { app, endpoint };
    });
    const metas = endpoints.map((e) => this.metas[e.app]?.endpoints[e.endpoint]);
    const iface = metas[0]?.interface ?? "unknown";
    const scope = metas.some((m) => m?.scope === "container") ? "container" : "global";
    const id = this.state.nextRelationId++;
    const units = options.units ?? endpoints.flatMap((e) => this.state.applications[e.app]?.units ?? []);
    const rel: RelationState = {
      id,
      interface: iface,
      scope,
      endpoints,
      appData: Object.fromEntries(endpoints.map((e) => [e.app, {}])),
      unitData: {},
      units: [...new Set(units)],
      departed: [],
      broken: false,
    };
    for (const u of rel.units) rel.unitData[u] = addressKeys(this.state.units[u]?.address ?? "10.0.0.1");
    for (const [app, bag] of Object.entries(options.appData ?? {})) rel.appData[app] = { ...bag };
    for (const [u, bag] of Object.entries(options.unitData ?? {}))
      rel.unitData[u] = { ...rel.unitData[u], ...bag };
    this.state.relations.push(rel);
    return id;
  }

  addSecret(options: SecretOptions): string {
    const contents = [options.content, ...(options.laterRevisions ?? [])];
    const secret: SecretState = {
      id: newSecretUri(),
      ownerApp: options.ownerApp,
      revisions: contents.map((content, i) => ({ revision: i + 1, content: { ...content } })),
      consumers: structuredClone(options.consumers ?? {}),
      grants: [...(options.grants ?? [])],
      removedRevisions: [],
    };
    if (options.ownerUnit) secret.ownerUnit = options.ownerUnit;
    if (options.label) secret.label = options.label;
    this.state.secrets.push(secret);
    return secret.id;
  }

  build(): EmulatedModel {
    assertConsistent(modelProblems(this.state, this.metas));
    return { state: this.state, metas: this.metas };
  }
}

/** Adds a unit (a new machine with its own temp root, or its principal's). The first unit leads. */
export function addUnitToState(
  state: ModelState,
  app: string,
  options: { principal?: string; leader?: boolean; rootBase?: string } = {},
): string {
  const application = state.applications[app];
  if (!application) throw new Error(`unknown application ${app}`);
  const taken = Object.keys(state.units)
    .filter((u) => u.startsWith(`${app}/`))
    .map((u) => Number(u.split("/")[1]));
  const name = `${app}/${taken.length === 0 ? 0 : Math.max(...taken) + 1}`;
  let machineId: string;
  let machineRoot: string;
  if (options.principal) {
    const principal = state.units[options.principal];
    if (!principal) throw new Error(`unknown principal unit ${options.principal}`);
    machineId = principal.machineId;
    machineRoot = principal.machineRoot;
  } else {
    machineId = String(state.nextMachineId++);
    machineRoot = mkdtempSync(join(options.rootBase ?? tmpdir(), `juju-machine-${machineId}-`));
  }
  const unit: UnitState = {
    name,
    app,
    machineId,
    machineRoot,
    address: `10.0.0.${Number(machineId) + 10}`,
    status: { ...unknownStatus(), status: application.standIn ? "active" : "unknown" },
    statusHistory: [],
    logs: [],
    charmState: {},
    openedPorts: [],
    installed: application.standIn,
    removed: false,
  };
  if (options.principal) unit.principal = options.principal;
  state.units[name] = unit;
  application.units.push(name);
  if (options.leader || application.leader === undefined) application.leader = name;
  return name;
}
