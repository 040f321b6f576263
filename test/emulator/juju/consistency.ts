/** Rejects model input and events Juju could never produce, before anything runs
 * (in the spirit of ops' consistency checker). Throws ConsistencyError listing every problem. */
import type { CharmMeta } from "./charm-meta.ts";
import type { HookSpec } from "./core.ts";
import type { ConfigValue, ModelState } from "./model-state.ts";

export class ConsistencyError extends Error {
  readonly problems: readonly string[];
  constructor(problems: readonly string[]) {
    super(`inconsistent emulator input:\n  - ${problems.join("\n  - ")}`);
    this.name = "ConsistencyError";
    this.problems = problems;
  }
}

export function configProblems(meta: CharmMeta, values: Record<string, ConfigValue>): string[] {
  const problems: string[] = [];
  for (const [key, value] of Object.entries(values)) {
    const option = meta.config[key];
    if (!option) {
      problems.push(`${meta.name}: unknown config option ${JSON.stringify(key)}`);
      continue;
    }
    const ok =
      (option.type === "string" && typeof value === "string") ||
      (option.type === "secret" && typeof value === "string" && value.startsWith("secret:")) ||
      (option.type === "int" && typeof value === "number" && Number.isInteger(value)) ||
      (option.type === "float" && typeof value === "number") ||
      (option.type === "boolean" && typeof value === "boolean");
    if (!ok)
      problems.push(`${meta.name}: config ${key}=${JSON.stringify(value)} is not of type ${option.type}`);
  }
  return problems;
}

export function modelProblems(state: ModelState, metas: Readonly<Record<string, CharmMeta>>): string[] {
  const problems: string[] = [];
  for (const app of Object.values(state.applications)) {
    const meta = metas[app.name];
    if (!meta) {
      problems.push(`application ${app.name} has no charm metadata`);
      continue;
    }
    problems.push(...configProblems(meta, app.config));
    if (
      meta.subordinate &&
      !Object.values(meta.endpoints).some((e) => e.role === "requires" && e.scope === "container")
    ) {
      problems.push(`subordinate ${app.name} has no container-scoped requires endpoint`);
    }
    if (app.leader !== undefined && !app.units.includes(app.leader)) {
      problems.push(`leader ${app.leader} is not a unit of ${app.name}`);
    }
    for (const u of app.units) {
      const unit = state.units[u];
      if (meta.subordinate && !unit?.principal) problems.push(`subordinate unit ${u} has no principal unit`);
    }
  }
  for (const rel of state.relations) {
    for (const ref of rel.endpoints) {
      const ep = metas[ref.app]?.endpoints[ref.endpoint];
      if (!ep)
        problems.push(`relation ${rel.id}: ${ref.app} has no endpoint ${JSON.stringify(ref.endpoint)}`);
      else if (ep.interface !== rel.interface) {
        problems.push(
          `relation ${rel.id}: ${ref.app}:${ref.endpoint} speaks ${ep.interface}, not ${rel.interface}`,
        );
      }
    }
    if (rel.endpoints.length === 2) {
      const roles = rel.endpoints.map((r) => metas[r.app]?.endpoints[r.endpoint]?.role);
      if (roles.includes("peers") || roles[0] === roles[1]) {
        problems.push(`relation ${rel.id}: endpoints must be one requires and one provides`);
      }
    }
    for (const u of rel.units) {
      if (!rel.endpoints.some((e) => u.startsWith(`${e.app}/`)))
        problems.push(`relation ${rel.id}: ${u} is not on it`);
    }
  }
  return problems;
}

const LIFECYCLE = new Set([
  "install",
  "start",
  "stop",
  "remove",
  "config-changed",
  "upgrade-charm",
  "update-status",
  "leader-elected",
  "leader-settings-changed",
  "secret-changed",
  "secret-rotate",
  "secret-expired",
  "secret-remove",
  "pre-series-upgrade",
  "post-series-upgrade",
]);

export function hookProblems(
  state: ModelState,
  metas: Readonly<Record<string, CharmMeta>>,
  spec: HookSpec,
): string[] {
  const unit = state.units[spec.unit];
  if (!unit) return [`unknown unit ${spec.unit}`];
  if (unit.removed) return [`unit ${spec.unit} has been removed`];
  const meta = metas[unit.app]!;
  const problems: string[] = [];
  if (spec.action) {
    const action = meta.actions[spec.action.name];
    if (!action) return [`${meta.name} has no action ${JSON.stringify(spec.action.name)}`];
    for (const key of action.required) {
      if (!(key in spec.action.params)) problems.push(`action ${spec.action.name} needs parameter ${key}`);
    }
    return problems;
  }
  const m = /^(.+)-relation-(created|joined|changed|departed|broken)$/.exec(spec.hookName);
  if (m) {
    const [, endpoint, kind] = m;
    if (!meta.endpoints[endpoint!]) problems.push(`${meta.name} has no endpoint ${JSON.stringify(endpoint)}`);
    const rel = state.relations.find((r) => r.id === spec.relationId);
    if (!rel) problems.push(`${spec.hookName} needs an existing relation id, got ${spec.relationId}`);
    else if (!rel.endpoints.some((e) => e.app === unit.app && e.endpoint === endpoint)) {
      problems.push(`relation ${rel.id} is not on ${unit.app}:${endpoint}`);
    }
    if ((kind === "joined" || kind === "departed") && !spec.remoteUnit) {
      problems.push(`${spec.hookName} needs a remote unit`);
    }
    if (kind === "changed" && !spec.remoteUnit && !spec.remoteApp) {
      problems.push(`${spec.hookName} needs a remote unit or application`);
    }
    if (kind === "departed" && !spec.departingUnit) problems.push(`${spec.hookName} needs a departing unit`);
    return problems;
  }
  if (!LIFECYCLE.has(spec.hookName)) return [`unknown hook ${JSON.stringify(spec.hookName)}`];
  if (spec.hookName.startsWith("secret-")) {
    if (!spec.secretId) problems.push(`${spec.hookName} needs a secret id`);
    if (
      (spec.hookName === "secret-expired" || spec.hookName === "secret-remove") &&
      spec.secretRevision === undefined
    ) {
      problems.push(`${spec.hookName} needs a secret revision`);
    }
  }
  return problems;
}

export function assertConsistent(problems: readonly string[]): void {
  if (problems.length > 0) throw new ConsistencyError(problems);
}
