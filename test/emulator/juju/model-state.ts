/** The emulated model as plain JSON: the in-process runner keeps it in memory, the
 * PATH shims load and save it from a file per call. Nothing here has methods. */
import type { Databag } from "./remote-charm.ts";

export type ConfigType = "string" | "int" | "float" | "boolean" | "secret";
export type ConfigValue = string | number | boolean;
export type WorkloadStatus =
  | "unknown"
  | "maintenance"
  | "blocked"
  | "waiting"
  | "active"
  | "error"
  | "terminated";

export interface StatusEntry {
  status: WorkloadStatus;
  message: string;
  /** ISO time of the change; history keeps every status-set, as Juju does. */
  since: string;
}

export interface LogEntry {
  level: string;
  message: string;
  hook: string;
}

export interface AppState {
  name: string;
  charm: string;
  subordinate: boolean;
  /** True for the scripted stand-ins (RemoteCharm): their hooks never run tools. */
  standIn: boolean;
  leader?: string;
  configTypes: Record<string, ConfigType>;
  config: Record<string, ConfigValue>;
  status: StatusEntry;
  statusHistory: StatusEntry[];
  workloadVersion: string;
  /** Juju 3 leader settings (leader-get/leader-set). */
  leaderSettings: Databag;
  /** Endpoint and extra-binding names from metadata, for network-get. */
  bindings: string[];
  units: string[];
}

export interface UnitState {
  name: string;
  app: string;
  machineId: string;
  machineRoot: string;
  /** The principal unit for a subordinate. */
  principal?: string;
  address: string;
  status: StatusEntry;
  statusHistory: StatusEntry[];
  logs: LogEntry[];
  charmState: Databag;
  openedPorts: string[];
  /** Lifecycle: whether install ran, and whether the unit has been removed. */
  installed: boolean;
  /** Juju marked the unit Dying (its removal has begun); goal-state reports it. */
  dying?: boolean;
  removed: boolean;
}

export interface RelationEndpointRef {
  app: string;
  endpoint: string;
}

export interface RelationState {
  id: number;
  interface: string;
  scope: "global" | "container";
  /** One endpoint for a peer relation, two otherwise. */
  endpoints: RelationEndpointRef[];
  appData: Record<string, Databag>;
  unitData: Record<string, Databag>;
  /** Units currently in scope, both sides. */
  units: string[];
  /** Units that left scope; their data stays readable for the life of the relation. */
  departed: string[];
  /** Set once the relation has been removed (broken). */
  broken: boolean;
}

export interface SecretRevision {
  revision: number;
  content: Databag;
}

export interface SecretConsumer {
  label?: string;
  trackedRevision: number;
}

export interface SecretGrant {
  relationId: number;
  /** Granted to one unit only; otherwise to the whole related application. */
  unit?: string;
  app: string;
}

export interface SecretState {
  id: string;
  ownerApp: string;
  /** Set when the owner is a unit (`--owner unit`). */
  ownerUnit?: string;
  label?: string;
  description?: string;
  expire?: string;
  rotate?: string;
  revisions: SecretRevision[];
  /** Per unit that has read it (owner units too): label and tracked revision. */
  consumers: Record<string, SecretConsumer>;
  grants: SecretGrant[];
  /** Revisions removed by secret-remove, for assertions. */
  removedRevisions: number[];
}

export interface ActionRun {
  name: string;
  id: string;
  params: Record<string, unknown>;
  results: Record<string, unknown>;
  logs: string[];
  failed?: string;
}

/** Everything a hook buffers until it exits 0: copy-on-write snapshots. */
export interface PendingChanges {
  unitData: Record<string, Databag>;
  appData: Record<string, Databag>;
  charmState?: Databag;
  openedPorts?: string[];
  secrets?: SecretState[];
}

export interface ToolCall {
  tool: string;
  args: string[];
  stdin?: string;
  exitCode: number;
  stderr: string;
  durationMs: number;
}

/** Which unit runs which hook, with the context Juju gives it. */
export interface HookTarget {
  unit: string;
  /** `JUJU_HOOK_NAME`; empty for actions. */
  hookName: string;
  relationId?: number;
  remoteUnit?: string;
  remoteApp?: string;
  departingUnit?: string;
  secretId?: string;
  secretLabel?: string;
  secretRevision?: number;
}

export interface ActiveHook extends HookTarget {
  action?: ActionRun;
  /** leader-set ran: other units get leader-settings-changed. */
  leaderSettingsChanged?: boolean;
  pending: PendingChanges;
  calls: ToolCall[];
}

export interface ToolStats {
  count: number;
  totalMs: number;
}

export interface ModelState {
  model: {
    name: string;
    uuid: string;
    jujuVersion: string;
    /** Per-value secret cap (base64 bytes); default from jujuVersion (secret-tools, secretValueLimit). */
    secretValueLimitBytes?: number;
  };
  applications: Record<string, AppState>;
  units: Record<string, UnitState>;
  relations: RelationState[];
  secrets: SecretState[];
  nextRelationId: number;
  nextActionId: number;
  nextMachineId: number;
  hook?: ActiveHook;
  /** Hook tools whose call to the controller fails, by name → the error it returns (tests of the charm's
   * error paths): such a tool prints `ERROR <error>` and exits 1 (core.ts runTool). */
  failingTools?: Record<string, string>;
  /** Every tool call ever made, by tool name: for benchmarks. */
  toolStats: Record<string, ToolStats>;
}
