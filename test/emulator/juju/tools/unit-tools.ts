/** config-get, is-leader, status-set/get, application-version-set, juju-log, leader-get/set. */
import { boolFlag, checkEmpty, parseArgs, stringFlag } from "../args.ts";
import type { StatusEntry, WorkloadStatus } from "../model-state.ts";
import { formatOutput } from "../tool-context.ts";
import { quote, runError, usageError } from "../tool-error.ts";
import type { ToolHandler } from "./handler.ts";
import { FORMAT } from "./handler.ts";

export const configGet: ToolHandler = (ctx, args) => {
  const p = parseArgs(args, { flags: { ...FORMAT, all: "bool" }, aliases: { a: "all" } });
  const [key, ...rest] = p.positionals;
  checkEmpty(rest);
  const all = boolFlag(p, "all");
  if (all && key !== undefined) throw usageError(`cannot use argument --all together with key ${quote(key)}`);
  const config = ctx.app.config;
  if (key !== undefined) return formatOutput(config[key] ?? null, stringFlag(p, "format"));
  const out: Record<string, unknown> = { ...config };
  if (all) for (const name of Object.keys(ctx.app.configTypes)) out[name] ??= null;
  return formatOutput(out, stringFlag(p, "format"));
};

export const isLeader: ToolHandler = (ctx, args) => {
  const p = parseArgs(args, { flags: FORMAT });
  checkEmpty(p.positionals);
  return formatOutput(ctx.isLeader, stringFlag(p, "format"));
};

const SETTABLE: readonly WorkloadStatus[] = ["maintenance", "blocked", "waiting", "active"];

export const statusSet: ToolHandler = (ctx, args) => {
  const p = parseArgs(args, { flags: { application: "bool" } });
  const [status, message, ...rest] = p.positionals;
  if (status === undefined) throw usageError("invalid args, require <status> [message] [data]");
  if (!SETTABLE.includes(status as WorkloadStatus)) {
    throw usageError(`invalid status ${quote(status)}, expected one of [${SETTABLE.join(" ")}]`);
  }
  checkEmpty(rest.slice(1)); // a third positional is status data; accepted and ignored
  const entry: StatusEntry = { status: status as WorkloadStatus, message: message ?? "", since: now() };
  // Takes effect at once: never rolled back by a failing hook.
  if (boolFlag(p, "application")) {
    if (!ctx.isLeader) throw runError("this unit is not the leader");
    ctx.app.status = entry;
    ctx.app.statusHistory.push(entry);
  } else {
    ctx.unit.status = entry;
    ctx.unit.statusHistory.push(entry);
  }
  return "";
};

function details(entry: StatusEntry, includeData: boolean): Record<string, unknown> {
  const out: Record<string, unknown> = { message: entry.message, status: entry.status };
  if (includeData) out["status-data"] = {};
  return out;
}

export const statusGet: ToolHandler = (ctx, args) => {
  const p = parseArgs(args, { flags: { ...FORMAT, application: "bool", "include-data": "bool" } });
  checkEmpty(p.positionals);
  const includeData = boolFlag(p, "include-data");
  const format = stringFlag(p, "format");
  if (!boolFlag(p, "application")) {
    if (!includeData && (format ?? "smart") === "smart") return formatOutput(ctx.unit.status.status, format);
    return formatOutput(details(ctx.unit.status, includeData), format);
  }
  if (!ctx.isLeader) throw runError("finding application status: this unit is not the leader");
  // Juju nests "units" inside "application-status" (jujuc status-get.go).
  const app = details(ctx.app.status, includeData);
  const units: Record<string, unknown> = {};
  for (const name of ctx.app.units) units[name] = details(ctx.state.units[name]!.status, includeData);
  app["units"] = units;
  return formatOutput({ "application-status": app }, format);
};

export const applicationVersionSet: ToolHandler = (ctx, args) => {
  const p = parseArgs(args, { flags: {} });
  const [version, ...rest] = p.positionals;
  if (version === undefined) throw usageError("no version specified");
  checkEmpty(rest);
  ctx.app.workloadVersion = version;
  return "";
};

const LEVELS = ["TRACE", "DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL"];

export const jujuLog: ToolHandler = (ctx, args) => {
  const p = parseArgs(args, {
    flags: { "log-level": "string", debug: "bool", format: "string" },
    aliases: { l: "log-level" },
  });
  if (p.positionals.length === 0) throw usageError("no message specified");
  let level = (stringFlag(p, "log-level") ?? (boolFlag(p, "debug") ? "DEBUG" : "INFO")).toUpperCase();
  if (!LEVELS.includes(level)) level = "INFO";
  let message = p.positionals.join(" ");
  const rel = ctx.state.relations.find((r) => r.id === ctx.hook.relationId);
  if (rel) message = `${ctx.myEndpoint(rel)}:${rel.id}: ${message}`;
  ctx.unit.logs.push({ level, message, hook: ctx.hook.hookName || `action:${ctx.hook.action?.name}` });
  return "";
};

export const leaderGet: ToolHandler = (ctx, args) => {
  const p = parseArgs(args, { flags: FORMAT });
  const [key, ...rest] = p.positionals;
  checkEmpty(rest);
  const settings = ctx.app.leaderSettings;
  const value = key === undefined || key === "-" ? { ...settings } : (settings[key] ?? null);
  return formatOutput(value, stringFlag(p, "format"));
};

export const leaderSet: ToolHandler = (ctx, args) => {
  const p = parseArgs(args, { flags: {} });
  if (p.positionals.length === 0) throw usageError("no settings specified");
  const changes: Record<string, string> = {};
  for (const kv of p.positionals) {
    const eq = kv.indexOf("=");
    if (eq <= 0) throw usageError(`expected "key=value", got ${quote(kv)}`);
    changes[kv.slice(0, eq)] = kv.slice(eq + 1);
  }
  if (!ctx.isLeader)
    throw runError("cannot write leadership settings: cannot write settings: not the leader");
  // Immediate, like status-set: leader settings are not part of the hook commit.
  for (const [k, v] of Object.entries(changes)) {
    if (v === "") delete ctx.app.leaderSettings[k];
    else ctx.app.leaderSettings[k] = v;
  }
  ctx.hook.leaderSettingsChanged = true;
  return "";
};

export function now(): string {
  return new Date().toISOString();
}
