/** state-get, state-set, state-delete: per-unit charm state, committed with the hook. */
import { load } from "js-yaml";
import { boolFlag, checkEmpty, parseArgs, stringFlag } from "../args.ts";
import type { Databag } from "../remote-charm.ts";
import { formatOutput } from "../tool-context.ts";
import { quote, runError, usageError } from "../tool-error.ts";
import type { ToolHandler } from "./handler.ts";
import { FORMAT } from "./handler.ts";

/** Controller quotas (juju#11390). */
export const MAX_STATE_KEY_BYTES = 256;
export const MAX_STATE_VALUE_BYTES = 65536;

export const stateGet: ToolHandler = (ctx, args) => {
  const p = parseArgs(args, { flags: { ...FORMAT, strict: "bool" } });
  const [key, ...rest] = p.positionals;
  checkEmpty(rest);
  const state = ctx.charmState();
  if (key === undefined) return formatOutput({ ...state }, stringFlag(p, "format"));
  const value = state[key];
  if (value === undefined && boolFlag(p, "strict")) throw runError(`${quote(key)} not found`);
  return formatOutput(value ?? null, stringFlag(p, "format"));
};

export const stateSet: ToolHandler = (ctx, args, stdin) => {
  const p = parseArgs(args, { flags: { file: "string" } });
  const changes: Databag = {};
  const file = stringFlag(p, "file");
  if (file !== undefined) {
    if (file !== "-") throw usageError("only --file - (stdin) is emulated");
    const doc = load(stdin);
    if (doc !== null && doc !== undefined) {
      if (typeof doc !== "object" || Array.isArray(doc)) throw runError("expected YAML map of settings");
      for (const [k, v] of Object.entries(doc as Record<string, unknown>))
        changes[k] = v === null ? "" : String(v);
    }
  }
  for (const kv of p.positionals) {
    const eq = kv.indexOf("=");
    if (eq <= 0) throw usageError(`expected "key=value", got ${quote(kv)}`);
    changes[kv.slice(0, eq)] = kv.slice(eq + 1);
  }
  for (const [k, v] of Object.entries(changes)) {
    if (Buffer.byteLength(k) > MAX_STATE_KEY_BYTES) {
      throw runError(`key too large: ${Buffer.byteLength(k)} bytes, limit ${MAX_STATE_KEY_BYTES}`);
    }
    if (Buffer.byteLength(v) > MAX_STATE_VALUE_BYTES) {
      throw runError(
        `value for ${quote(k)} too large: ${Buffer.byteLength(v)} bytes, limit ${MAX_STATE_VALUE_BYTES}`,
      );
    }
  }
  const next = { ...ctx.charmState() };
  for (const [k, v] of Object.entries(changes)) {
    if (v === "") delete next[k];
    else next[k] = v;
  }
  ctx.hook.pending.charmState = next;
  return "";
};

export const stateDelete: ToolHandler = (ctx, args) => {
  const p = parseArgs(args, { flags: {} });
  const [key, ...rest] = p.positionals;
  if (key === undefined) throw usageError("no key specified");
  checkEmpty(rest);
  const next = { ...ctx.charmState() };
  delete next[key];
  ctx.hook.pending.charmState = next;
  return "";
};
