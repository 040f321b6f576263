/** relation-ids, relation-list, relation-get, relation-set (juju jujuc semantics). */
import { load } from "js-yaml";
import { boolFlag, checkEmpty, parseArgs, stringFlag } from "../args.ts";
import type { Databag } from "../remote-charm.ts";
import { formatOutput } from "../tool-context.ts";
import { quote, runError, usageError } from "../tool-error.ts";
import type { ToolHandler } from "./handler.ts";
import { FORMAT } from "./handler.ts";

const REL_FLAGS = { ...FORMAT, relation: "string", app: "bool" } as const;
const ALIASES = { r: "relation" };

export const relationIds: ToolHandler = (ctx, args) => {
  const p = parseArgs(args, { flags: FORMAT });
  let endpoint = p.positionals[0];
  if (endpoint === undefined) {
    const current = ctx.state.relations.find((r) => r.id === ctx.hook.relationId);
    if (!current) throw usageError("no endpoint name specified");
    endpoint = ctx.myEndpoint(current);
  }
  checkEmpty(p.positionals.slice(1));
  const ids = ctx
    .myRelations()
    .filter((r) => ctx.myEndpoint(r) === endpoint)
    .map((r) => `${endpoint}:${r.id}`);
  return formatOutput(ids, stringFlag(p, "format"));
};

export const relationList: ToolHandler = (ctx, args) => {
  const p = parseArgs(args, { flags: REL_FLAGS, aliases: ALIASES });
  checkEmpty(p.positionals);
  const rel = ctx.relationFromFlag(p);
  if (boolFlag(p, "app")) return formatOutput(ctx.remoteApp(rel), stringFlag(p, "format"));
  return formatOutput(ctx.visibleRemoteUnits(rel), stringFlag(p, "format"));
};

export const relationGet: ToolHandler = (ctx, args) => {
  const p = parseArgs(args, { flags: REL_FLAGS, aliases: ALIASES });
  const rel = ctx.relationFromFlag(p);
  const [keyArg, target, ...rest] = p.positionals;
  checkEmpty(rest);
  const key = keyArg === undefined || keyArg === "-" ? undefined : keyArg;
  const wantApp = boolFlag(p, "app");
  const who = target ?? (wantApp ? ctx.hook.remoteApp : ctx.hook.remoteUnit);
  if (!who) throw usageError("no unit id specified");
  let bag: Databag;
  if (wantApp) {
    const app = who.split("/")[0]!;
    if (!rel.endpoints.some((e) => e.app === app)) throw runError(`unknown application ${app}`);
    if (app === ctx.app.name && !ctx.isPeer(rel) && !ctx.isLeader) throw runError("permission denied");
    bag = ctx.appBag(rel, app);
  } else {
    if (!who.includes("/")) throw usageError(`expected unit name, got application name ${quote(who)}`);
    const known = who === ctx.unit.name || rel.units.includes(who) || rel.departed.includes(who);
    if (!known || !ctx.canSee(rel, who)) throw runError(`unknown unit ${who}`);
    bag = ctx.unitBag(rel, who);
  }
  const value = key === undefined ? { ...bag } : (bag[key] ?? null);
  return formatOutput(value, stringFlag(p, "format"));
};

/** Juju parses the settings file as YAML into map[string]string. */
function parseSettings(text: string): Databag {
  const doc = load(text);
  if (doc === null || doc === undefined) return {};
  if (typeof doc !== "object" || Array.isArray(doc)) throw runError("expected YAML map of settings");
  const out: Databag = {};
  for (const [k, v] of Object.entries(doc as Record<string, unknown>)) {
    if (v !== null && typeof v === "object")
      throw runError(`cannot parse settings: value of ${quote(k)} is not a string`);
    out[k] = v === null ? "" : String(v);
  }
  return out;
}

export const relationSet: ToolHandler = (ctx, args, stdin) => {
  const p = parseArgs(args, { flags: { ...REL_FLAGS, file: "string" }, aliases: ALIASES });
  const settings: Databag = {};
  const file = stringFlag(p, "file");
  if (file !== undefined) {
    if (file !== "-") throw usageError("only --file - (stdin) is emulated");
    Object.assign(settings, parseSettings(stdin));
  }
  for (const kv of p.positionals) {
    const eq = kv.indexOf("=");
    if (eq <= 0) throw usageError(`expected "key=value", got ${quote(kv)}`);
    settings[kv.slice(0, eq)] = kv.slice(eq + 1);
  }
  const rel = ctx.relationFromFlag(p);
  const pending = ctx.hook.pending;
  if (boolFlag(p, "app")) {
    if (!ctx.isLeader) throw runError("cannot write relation settings");
    pending.appData[rel.id] = merge(ctx.appBag(rel, ctx.app.name), settings);
  } else {
    pending.unitData[rel.id] = merge(ctx.unitBag(rel, ctx.unit.name), settings);
  }
  return "";
};

/** "" deletes a key, as relation-set does. */
export function merge(base: Databag, changes: Databag): Databag {
  const out = { ...base };
  for (const [k, v] of Object.entries(changes)) {
    if (v === "") delete out[k];
    else out[k] = v;
  }
  return out;
}
