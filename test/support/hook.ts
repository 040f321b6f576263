/** The single-hook test entry, in the spirit of ops' Scenario (canonical/operator
 * testing/src/scenario/context.py, `Context.run(event, state) -> State`): `run(event, state)` runs the
 * real charm (runCharm in process) for one hook or action against a copy of an emulated model and its
 * machines, and returns the new state; the input is untouched. `settled(key, build)` settles a whole
 * deployment once per process and hands out copies, so a test file pays for one settle, not one per test.
 * `fork(state)` turns a state back into a whole Deployment (with copies of the stand-ins) for what needs
 * several units and the follow-up hooks Juju would queue.
 *
 * Machine files go to a fresh directory for the length of a hook (runCharm's rootDir), since the charm
 * reads and writes real files there. The Kubernetes API emulator is shared by reference: it is a live
 * HTTPS server, and a state that has one is not copied with it (KubeApiEmulator.snapshot/restore puts
 * its cluster back to a moment, as the hook-sequence property does per sequence). */
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, relative } from "node:path";
import type { HookSpec } from "../emulator/juju/core.ts";
import { Deployment } from "../emulator/juju/deployment.ts";
import type { EmulatedModel } from "../emulator/juju/model-builder.ts";
import type { ActionRun, ModelState, ToolCall } from "../emulator/juju/model-state.ts";
import type { RemoteCharm } from "../emulator/juju/remote-charm.ts";
import type { KubeApiEmulator } from "../emulator/k8s/index.ts";
import { inProcessExecutor, type RunOptions } from "./deployments.ts";
import { MemoryFiles } from "./memory-files.ts";

export interface MachineFile {
  readonly content: string;
  readonly mode: number;
}
/** One machine's files by path relative to its root ("etc/hostname"). */
export type Machine = Readonly<Record<string, MachineFile>>;

/** Everything the charm can observe or change, for every unit of the model. */
export interface State {
  /** The emulated Juju model: apps, units, leadership, config, relations and databags, secrets, leader
   * settings, statuses and their history, logs. */
  readonly model: ModelState;
  readonly metas: EmulatedModel["metas"];
  /** Each machine's files, by machine id. */
  readonly machines: Readonly<Record<string, Machine>>;
  /** The stand-in charms (providers, control plane), by application; copied on fork. */
  readonly standIns: Readonly<Record<string, RemoteCharm>>;
  /** The cluster, when there is one (shared by reference). */
  readonly kube?: KubeApiEmulator;
}

/** A hook (`{ unit, hookName, relationId?, remoteUnit?, remoteApp?, departingUnit?, secretId?, … }`) or an
 * action (`{ unit, hookName: "", action: { name, params } }`), as Juju describes it to the unit. */
export type Event = HookSpec;

export const hook = (
  unit: string,
  hookName: string,
  context: Omit<HookSpec, "unit" | "hookName"> = {},
): Event => ({
  unit,
  hookName,
  ...context,
});
export const action = (unit: string, name: string, params: Record<string, unknown> = {}): Event => ({
  unit,
  hookName: "",
  action: { name, params },
});

export type { RunOptions } from "./deployments.ts";

export interface Ran {
  readonly state: State;
  readonly exitCode: number;
  readonly calls: readonly ToolCall[];
  readonly action?: ActionRun;
  readonly kubeRequests: readonly { readonly method: string; readonly path: string }[];
  readonly stderr: string;
}

/** Hook tools that change what others see (relation, secrets, leader settings, charm state). Not
 * `secret-get --refresh`: the controller saves the unit's tracked revision there and then (juju/juju
 * domain/secret/service GetConsumedRevision, apiserver/facades/agent/secretsmanager getSecretContent:
 * SaveSecretConsumer on every --refresh, not at hook commit), but with no newer revision it saves what
 * was already there; a refresh that does move the revision shows in the model state, which the tests
 * that count writes compare too. */
export const JUJU_WRITE = /-set$|^secret-(add|set|remove|grant|revoke)$|^state-delete$/;
const KUBE_WRITE = new Set(["POST", "PUT", "PATCH", "DELETE"]);

export const jujuWrites = (ran: Ran): ToolCall[] => ran.calls.filter((c) => JUJU_WRITE.test(c.tool));
export const kubeWrites = (ran: Ran): string[] =>
  ran.kubeRequests.filter((r) => KUBE_WRITE.has(r.method)).map((r) => `${r.method} ${r.path}`);

/** Runs one hook or action for `event.unit` against a copy of `state`. */
export async function run(event: Event, state: State, options: RunOptions = {}): Promise<Ran> {
  const model: EmulatedModel = { state: structuredClone(state.model), metas: state.metas };
  const machines: Record<string, Machine> = { ...state.machines };
  const unit = model.state.units[event.unit];
  if (unit === undefined) throw new Error(`no unit ${event.unit}`);
  const root = materialize(state.machines[unit.machineId] ?? {});
  const onMachine = Object.values(model.state.units).filter((u) => u.machineId === unit.machineId);
  const roots = onMachine.map((u) => u.machineRoot);
  for (const u of onMachine) u.machineRoot = root;
  const spec: HookSpec = structuredClone(event);
  const from = state.kube?.counters.total ?? 0;
  try {
    const result = await inProcessExecutor(options)(model, spec);
    machines[unit.machineId] = readMachine(root);
    const kubeRequests = (state.kube?.counters.entries.slice(from) ?? []).map((e) => ({
      method: e.method,
      path: e.path,
    }));
    return {
      state: { ...state, model: model.state, machines },
      exitCode: result.exitCode,
      calls: result.calls,
      ...(result.action ? { action: result.action } : {}),
      kubeRequests,
      stderr: result.stderr,
    };
  } finally {
    onMachine.forEach((u, i) => {
      u.machineRoot = roots[i]!;
    });
    rmSync(root, { recursive: true, force: true });
  }
}

/** The state of a whole deployment (reads every machine's files). */
export function stateOf(d: Deployment, kube?: KubeApiEmulator): State {
  const machines: Record<string, Machine> = {};
  for (const unit of Object.values(d.state.units)) machines[unit.machineId] ??= readMachine(unit.machineRoot);
  return {
    model: structuredClone(d.state),
    metas: d.model.metas,
    machines,
    standIns: d.standInCharms,
    ...(kube ? { kube } : {}),
  };
}

const settledStates = new Map<string, Promise<State>>();

/** The state `build` settles to, built once per process and key; every call gets its own copy. */
export async function settled(key: string, build: () => Promise<{ d: Deployment; kube?: KubeApiEmulator }>) {
  let pending = settledStates.get(key);
  if (pending === undefined) {
    pending = build().then(({ d, kube }) => stateOf(d, kube));
    settledStates.set(key, pending);
  }
  return copyState(await pending);
}

/** A copy that shares nothing mutable with `state` (the cluster aside). */
export function copyState(state: State): State {
  return {
    ...state,
    model: structuredClone(state.model),
    standIns: Object.fromEntries(Object.entries(state.standIns).map(([app, s]) => [app, cloneInstance(s)])),
  };
}

/** A whole Deployment from a state: the machines written to fresh directories, copies of the stand-ins,
 * the charm in process. `stateOf(d)` reads it back. */
export function fork(state: State, options: RunOptions = {}): Deployment {
  const copy = copyState(state);
  const roots = new Map<string, string>();
  for (const unit of Object.values(copy.model.units)) {
    let root = roots.get(unit.machineId);
    if (root === undefined) {
      root = materialize(copy.machines[unit.machineId] ?? {});
      roots.set(unit.machineId, root);
    }
    unit.machineRoot = root;
  }
  return new Deployment({
    model: { state: copy.model, metas: copy.metas },
    executor: inProcessExecutor(options),
    standIns: copy.standIns,
  });
}

/** A fork whose machines are in memory (runCharm's `files`): no directory is written or read, so a hook
 * costs the charm's own work. Only for deployments whose stand-ins never touch a machine (the certificate
 * providers do not; the control planes write only when a test calls their configure()). */
export interface MemoryFork {
  readonly d: Deployment;
  /** Each unit's machine files, by unit. */
  filesOf(unit: string): MemoryFiles;
  /** From the next hook on, runCharm gets these options (in place of the fork's). */
  useOptions(options: RunOptions): void;
}

export function forkInMemory(state: State, options: RunOptions = {}): MemoryFork {
  const copy = copyState(state);
  const byRoot = new Map<string, MemoryFiles>();
  for (const unit of Object.values(copy.model.units)) {
    const root = `memory:machine-${unit.machineId}`;
    if (!byRoot.has(root)) {
      const machine = copy.machines[unit.machineId] ?? {};
      byRoot.set(root, new MemoryFiles(Object.entries(machine).map(([path, file]) => [`/${path}`, file])));
    }
    unit.machineRoot = root;
  }
  const filesAt = (root: string): MemoryFiles => {
    const files = byRoot.get(root);
    if (files === undefined) throw new Error(`no in-memory machine ${root}`);
    return files;
  };
  const executor = (opts: RunOptions) => inProcessExecutor(opts, filesAt);
  const d = new Deployment({
    model: { state: copy.model, metas: copy.metas },
    executor: executor(options),
    standIns: copy.standIns,
  });
  return {
    d,
    filesOf: (unit) => filesAt(d.state.units[unit]!.machineRoot),
    useOptions: (opts) => d.useExecutor(executor(opts)),
  };
}

export function statusOf(state: State, unit: string): string {
  const { status, message } = state.model.units[unit]!.status;
  return `${status}: ${message}`;
}

export function appStatusOf(state: State, app = "aws-iam"): string {
  const { status, message } = state.model.applications[app]!.status;
  return `${status}: ${message}`;
}

/** The aws-iam peer relation's application databag. */
export function peerAppOf(state: State): Record<string, string> {
  const peers = state.model.relations.find(
    (r) => r.endpoints.length === 1 && r.endpoints[0]!.app === "aws-iam",
  );
  return peers?.appData["aws-iam"] ?? {};
}

/** A stand-in's copy: its own clone() when it has one (a stand-in with files on disk), else the same class
 * with its own copies of its data (the other stand-ins hold plain data, Sets and Maps). */
function cloneInstance(instance: RemoteCharm): RemoteCharm {
  if (instance.clone !== undefined) return instance.clone();
  const fields = instance as unknown as Record<string | symbol, unknown>;
  const copy = Object.create(Object.getPrototypeOf(instance)) as Record<string | symbol, unknown>;
  for (const key of Reflect.ownKeys(fields)) {
    const value = fields[key];
    copy[key] = typeof value === "function" ? value : structuredClone(value);
  }
  return copy as unknown as RemoteCharm;
}

function materialize(machine: Machine): string {
  const root = mkdtempSync(join(tmpdir(), "aws-iam-machine-"));
  for (const [path, file] of Object.entries(machine)) {
    const full = join(root, path);
    mkdirSync(dirname(full), { recursive: true });
    writeFileSync(full, file.content, { mode: file.mode });
  }
  return root;
}

function readMachine(root: string): Machine {
  const files: Record<string, MachineFile> = {};
  const walk = (dir: string): void => {
    let names: string[];
    try {
      names = readdirSync(dir);
    } catch {
      return;
    }
    for (const name of names) {
      const path = join(dir, name);
      const stat = statSync(path);
      if (stat.isDirectory()) walk(path);
      else files[relative(root, path)] = { content: readFileSync(path, "utf8"), mode: stat.mode & 0o777 };
    }
  };
  walk(root);
  return files;
}

/** Everything observable in a state, minus the per-call bookkeeping (timings, call logs) that differs
 * between two identical runs. */
export function observableOf(state: State): unknown {
  const { toolStats: _stats, hook: _hook, ...rest } = state.model;
  return JSON.parse(JSON.stringify({ ...rest, machines: state.machines }));
}

/** The id of the relation on `endpoint` of aws-iam. */
export function relationIdOf(state: State, endpoint: string): number {
  const rel = state.model.relations.find(
    (r) => !r.broken && r.endpoints.some((e) => e.app === "aws-iam" && e.endpoint === endpoint),
  );
  if (rel === undefined) throw new Error(`no live aws-iam:${endpoint} relation`);
  return rel.id;
}

/** Removes the machine directories `fork` wrote. */
export function disposeFork(d: Deployment): void {
  for (const root of new Set(Object.values(d.state.units).map((u) => u.machineRoot))) {
    rmSync(root, { recursive: true, force: true });
  }
}
