/** action-get, action-set, action-fail, action-log: only inside an action. */
import { checkEmpty, parseArgs, stringFlag } from "../args.ts";
import type { ActionRun } from "../model-state.ts";
import type { ToolContext } from "../tool-context.ts";
import { formatOutput } from "../tool-context.ts";
import { runError, usageError } from "../tool-error.ts";
import type { ToolHandler } from "./handler.ts";
import { FORMAT } from "./handler.ts";

/** juju's action name rule, applied to each dotted key part. */
const KEY_RULE = /^[a-z0-9](?:[a-z0-9-]*[a-z0-9])?$/;
const RESERVED = ["stdout", "stdout-encoding", "stderr", "stderr-encoding"];

function action(ctx: ToolContext): ActionRun {
  if (!ctx.hook.action) throw runError("not running an action");
  return ctx.hook.action;
}

export const actionGet: ToolHandler = (ctx, args) => {
  const p = parseArgs(args, { flags: FORMAT });
  const [key, ...rest] = p.positionals;
  checkEmpty(rest);
  const run = action(ctx);
  let value: unknown = run.params;
  if (key !== undefined) {
    for (const part of key.split(".")) {
      value =
        value !== null && typeof value === "object" ? (value as Record<string, unknown>)[part] : undefined;
    }
  }
  return formatOutput(value ?? null, stringFlag(p, "format"));
};

export const actionSet: ToolHandler = (ctx, args) => {
  const p = parseArgs(args, { flags: {} });
  const parsed: Array<[string[], string]> = [];
  // Init runs before Run in jujuc: argument errors win over "not running an action".
  for (const arg of p.positionals) {
    const eq = arg.indexOf("=");
    if (eq === -1) throw usageError(`argument "${arg}" must be of the form key...=value`);
    const keys = arg.slice(0, eq).split(".");
    for (const key of keys) {
      if (!KEY_RULE.test(key)) {
        throw usageError(
          `key "${key}" must start and end with lowercase alphanumeric, and contain only lowercase alphanumeric, hyphens and periods`,
        );
      }
      if (RESERVED.includes(key)) throw usageError(`cannot set reserved action key "${key}"`);
    }
    parsed.push([keys, arg.slice(eq + 1)]);
  }
  const run = action(ctx);
  for (const [keys, value] of parsed) {
    let target = run.results;
    for (const key of keys.slice(0, -1)) {
      const next = target[key];
      if (next === null || typeof next !== "object") target[key] = {};
      target = target[key] as Record<string, unknown>;
    }
    target[keys[keys.length - 1]!] = value;
  }
  return "";
};

export const actionFail: ToolHandler = (ctx, args) => {
  const p = parseArgs(args, { flags: {} });
  const run = action(ctx);
  run.failed = p.positionals.length > 0 ? p.positionals.join(" ") : "action failed without reason given";
  return "";
};

export const actionLog: ToolHandler = (ctx, args) => {
  const p = parseArgs(args, { flags: {} });
  if (p.positionals.length === 0) throw usageError("no message specified");
  action(ctx).logs.push(p.positionals.join(" "));
  return "";
};
