/** secret-add/get/set/grant/revoke/remove/ids/info-get with Juju's owner and grant rules:
 * app-owned secrets are managed by the leader and viewable by every unit of the app;
 * unit-owned ones by their unit; anyone else needs a grant over a live relation. */
import { randomBytes } from "node:crypto";
import { readFileSync } from "node:fs";
import { boolFlag, checkEmpty, parseArgs, stringFlag } from "../args.ts";
import type { ModelState, SecretState } from "../model-state.ts";
import type { Databag } from "../remote-charm.ts";
import type { ToolContext } from "../tool-context.ts";
import { formatOutput } from "../tool-context.ts";
import { quote, runError, usageError } from "../tool-error.ts";
import type { ToolHandler } from "./handler.ts";
import { FORMAT } from "./handler.ts";

/** core/secrets: lowercase letter first, then letters/digits/single dashes, at least 3 long. */
const KEY_RULE = /^[a-z](?:-?[a-z0-9]){2,}$/;
const ROTATE = ["never", "hourly", "daily", "weekly", "monthly", "quarterly", "yearly"];
const META_FLAGS = {
  label: "string",
  description: "string",
  expire: "string",
  rotate: "string",
  owner: "string",
} as const;

/** A 20-character xid-like id, as Juju prints it. */
export function newSecretUri(): string {
  const alphabet = "0123456789abcdefghijklmnopqrstuv";
  return `secret:${[...randomBytes(20)].map((b) => alphabet[b % 32]).join("")}`;
}

function bareId(uri: string): string {
  return uri.replace(/^secret:\/*/, "").replace(/^.*\//, "");
}

/** Juju core/secrets/createsecret.go (CreateSecretData) caps each value, measured base64-encoded: 5 KiB,
 * 8 KiB from juju PR 16943 (Feb 2024), 1 MB (1000*1000) from PR 20287/20314 (3.6, mid-2025; the emulator
 * takes 3.6.9 as the first such release). A test may set model.secretValueLimitBytes. */
export function secretValueLimit(model: ModelState["model"]): number {
  if (model.secretValueLimitBytes !== undefined) return model.secretValueLimitBytes;
  return versionAtLeast(model.jujuVersion, [3, 6, 9]) ? 1000 * 1000 : 8 * 1024;
}

/** Juju 3.1.0–3.1.6, 3.2.x and 3.3.0 refuse --refresh/--peek to a secret's owner (fixed by juju PR 16598
 * in 3.1.7, 3.3.1 and 3.4; canonical/data-platform-libs handles the literal error). */
export function ownerCannotRefresh(jujuVersion: string): boolean {
  return (
    (versionAtLeast(jujuVersion, [3, 1, 0]) && !versionAtLeast(jujuVersion, [3, 1, 7])) ||
    (versionAtLeast(jujuVersion, [3, 2, 0]) && !versionAtLeast(jujuVersion, [3, 3, 1]))
  );
}

function versionAtLeast(version: string, floor: readonly number[]): boolean {
  const parts = version.split(/[.-]/).map((part) => Number.parseInt(part, 10) || 0);
  for (let i = 0; i < floor.length; i++) {
    if ((parts[i] ?? 0) !== floor[i]) return (parts[i] ?? 0) > floor[i]!;
  }
  return true;
}

/** `k=v`, `k#base64=v`, `k#file=/path` → content (base64 values decoded). */
function parseContent(args: readonly string[], limit: number): Databag {
  const out: Databag = {};
  for (const arg of args) {
    const eq = arg.indexOf("=");
    if (eq <= 0) throw usageError(`key value ${quote(arg)} not valid`);
    let key = arg.slice(0, eq);
    let value = arg.slice(eq + 1);
    if (key.endsWith("#file")) {
      key = key.slice(0, -5);
      try {
        value = readFileSync(value, "utf8");
      } catch {
        throw usageError(`cannot read file ${quote(value)}`);
      }
    } else if (key.endsWith("#base64")) {
      key = key.slice(0, -7);
      value = Buffer.from(value, "base64").toString("utf8");
    }
    if (!KEY_RULE.test(key)) throw usageError(`key ${quote(key)} not valid`);
    // createsecret.go CreateSecretData, in the tool's Init: a usage error, before anything is sent.
    const encoded = Buffer.from(value, "utf8").toString("base64").length;
    if (encoded > limit) {
      throw usageError(`base64 encoded secret content for key ${quote(key)} too large: ${encoded} bytes`);
    }
    out[key] = value;
  }
  return out;
}

function checkMeta(p: ReturnType<typeof parseArgs>): void {
  const rotate = stringFlag(p, "rotate");
  if (rotate !== undefined && !ROTATE.includes(rotate))
    throw usageError(`rotate policy ${quote(rotate)} not valid`);
  const owner = stringFlag(p, "owner");
  if (owner !== undefined && owner !== "application" && owner !== "unit") {
    throw usageError(`secret owner ${quote(owner)} not valid`);
  }
}

function isOwnerSide(ctx: ToolContext, s: SecretState): boolean {
  return s.ownerUnit ? s.ownerUnit === ctx.unit.name : s.ownerApp === ctx.app.name;
}

function canManage(ctx: ToolContext, s: SecretState): boolean {
  return s.ownerUnit ? s.ownerUnit === ctx.unit.name : s.ownerApp === ctx.app.name && ctx.isLeader;
}

function hasGrant(ctx: ToolContext, s: SecretState): boolean {
  return s.grants.some((g) => {
    const rel = ctx.state.relations.find((r) => r.id === g.relationId && !r.broken);
    return rel !== undefined && g.app === ctx.app.name && (g.unit === undefined || g.unit === ctx.unit.name);
  });
}

/** By URI (any accepted form) or by this unit's owner/consumer label. */
function find(ctx: ToolContext, uri: string | undefined, label: string | undefined): SecretState {
  const secrets = ctx.secrets();
  if (uri !== undefined) {
    const s = secrets.find((x) => bareId(x.id) === bareId(uri));
    if (!s) throw runError(`secret ${quote(bareId(uri))} not found`);
    return s;
  }
  const s = secrets.find(
    (x) => (isOwnerSide(ctx, x) && x.label === label) || x.consumers[ctx.unit.name]?.label === label,
  );
  if (!s) throw runError(`secret ${quote(label ?? "")} not found`);
  return s;
}

/** For the management tools: a secret the unit cannot manage is "not found" or "permission denied". */
function managed(ctx: ToolContext, uri: string): SecretState {
  const found = find(ctx, uri, undefined);
  const s = ctx.writableSecrets().find((x) => x.id === found.id)!;
  if (!isOwnerSide(ctx, s)) throw runError(`secret ${quote(bareId(uri))} not found`);
  if (!canManage(ctx, s)) throw runError("permission denied");
  return s;
}

function labelTaken(ctx: ToolContext, label: string, except?: string): boolean {
  return ctx.secrets().some((x) => x.id !== except && isOwnerSide(ctx, x) && x.label === label);
}

function latest(s: SecretState): number {
  return Math.max(0, ...s.revisions.map((r) => r.revision));
}

export const secretAdd: ToolHandler = (ctx, args) => {
  const p = parseArgs(args, { flags: { ...META_FLAGS, file: "string" } });
  checkMeta(p);
  const content = parseContent(p.positionals, secretValueLimit(ctx.state.model));
  if (Object.keys(content).length === 0) throw usageError("missing secret value or filename");
  const owner = stringFlag(p, "owner") ?? "application";
  if (owner === "application" && !ctx.isLeader) throw runError("this unit is not the leader");
  const label = stringFlag(p, "label");
  if (label !== undefined && labelTaken(ctx, label)) {
    throw runError(`secret with label ${quote(label)} already exists`);
  }
  const secret: SecretState = {
    id: newSecretUri(),
    ownerApp: ctx.app.name,
    revisions: [{ revision: 1, content }],
    consumers: {},
    grants: [],
    removedRevisions: [],
  };
  if (owner === "unit") secret.ownerUnit = ctx.unit.name;
  if (label !== undefined) secret.label = label;
  const description = stringFlag(p, "description");
  if (description !== undefined) secret.description = description;
  const expire = stringFlag(p, "expire");
  if (expire !== undefined) secret.expire = expire;
  const rotate = stringFlag(p, "rotate");
  if (rotate !== undefined) secret.rotate = rotate;
  ctx.writableSecrets().push(secret);
  return `${secret.id}\n`;
};

export const secretGet: ToolHandler = (ctx, args) => {
  const p = parseArgs(args, { flags: { ...FORMAT, label: "string", refresh: "bool", peek: "bool" } });
  const [uri, key, ...rest] = p.positionals;
  checkEmpty(rest);
  const label = stringFlag(p, "label");
  if (uri === undefined && label === undefined) throw usageError("require either a secret URI or label");
  if (boolFlag(p, "refresh") && boolFlag(p, "peek"))
    throw usageError("specify one of --peek or --refresh but not both");
  const found = find(ctx, uri, uri === undefined ? label : undefined);
  if (
    !isOwnerSide(ctx, found) &&
    !(found.ownerApp === ctx.app.name && !found.ownerUnit) &&
    !hasGrant(ctx, found)
  ) {
    throw runError("permission denied");
  }
  // Tracking and labels are recorded on this hook's working copy.
  const s = ctx.writableSecrets().find((x) => x.id === found.id)!;
  s.consumers[ctx.unit.name] ??= { trackedRevision: latest(s) };
  const consumer = s.consumers[ctx.unit.name]!;
  if (uri !== undefined && label !== undefined) {
    if (isOwnerSide(ctx, s)) s.label = label;
    else consumer.label = label;
  }
  let revision = consumer.trackedRevision;
  if (isOwnerSide(ctx, s) && ownerCannotRefresh(ctx.state.model.jujuVersion)) {
    // Before juju PR 16598 the owner could not --refresh or --peek, and always read the latest revision.
    if (boolFlag(p, "peek") || boolFlag(p, "refresh")) throw runError("secret owner cannot use --refresh");
    revision = latest(s);
    consumer.trackedRevision = revision;
  }
  if (boolFlag(p, "peek") || boolFlag(p, "refresh")) revision = latest(s);
  if (boolFlag(p, "refresh")) consumer.trackedRevision = revision;
  const content = s.revisions.find((r) => r.revision === revision)?.content;
  if (!content) throw runError(`secret ${quote(bareId(s.id))} revision ${revision} not found`);
  const value = key === undefined ? { ...content } : (content[key] ?? null);
  return formatOutput(value, stringFlag(p, "format") ?? "yaml");
};

export const secretSet: ToolHandler = (ctx, args) => {
  const p = parseArgs(args, { flags: { ...META_FLAGS, file: "string" } });
  checkMeta(p);
  const [uri, ...contentArgs] = p.positionals;
  if (uri === undefined) throw usageError("missing secret URI");
  const content = parseContent(contentArgs, secretValueLimit(ctx.state.model));
  const s = managed(ctx, uri);
  const label = stringFlag(p, "label");
  if (label !== undefined) {
    if (labelTaken(ctx, label, s.id)) throw runError(`secret with label ${quote(label)} already exists`);
    s.label = label;
  }
  const description = stringFlag(p, "description");
  if (description !== undefined) s.description = description;
  const expire = stringFlag(p, "expire");
  if (expire !== undefined) s.expire = expire;
  const rotate = stringFlag(p, "rotate");
  if (rotate !== undefined) s.rotate = rotate;
  if (Object.keys(content).length > 0) {
    const current = s.revisions.find((r) => r.revision === latest(s))?.content;
    // Juju 3.6: identical content does not create a revision (LP#2069238).
    if (JSON.stringify(current) !== JSON.stringify(content)) {
      s.revisions.push({ revision: latest(s) + 1, content });
    }
  }
  return "";
};

export const secretGrant: ToolHandler = (ctx, args) => {
  const p = parseArgs(args, { flags: { relation: "string", unit: "string" }, aliases: { r: "relation" } });
  const [uri, ...rest] = p.positionals;
  if (uri === undefined) throw usageError("missing secret URI");
  checkEmpty(rest);
  if (stringFlag(p, "relation") === undefined) throw usageError("missing relation");
  const rel = ctx.relationFromFlag(p);
  const s = managed(ctx, uri);
  const app = ctx.remoteApp(rel);
  const unit = stringFlag(p, "unit");
  if (unit !== undefined && !rel.units.includes(unit)) throw runError(`unit ${quote(unit)} not found`);
  s.grants = s.grants.filter((g) => !(g.relationId === rel.id && g.unit === unit));
  s.grants.push(unit === undefined ? { relationId: rel.id, app } : { relationId: rel.id, app, unit });
  return "";
};

export const secretRevoke: ToolHandler = (ctx, args) => {
  const p = parseArgs(args, {
    flags: { relation: "string", unit: "string", app: "string" },
    aliases: { r: "relation" },
  });
  const [uri, ...rest] = p.positionals;
  if (uri === undefined) throw usageError("missing secret URI");
  checkEmpty(rest);
  const relId = stringFlag(p, "relation") === undefined ? undefined : ctx.relationFromFlag(p).id;
  const s = managed(ctx, uri);
  const unit = stringFlag(p, "unit");
  const app = stringFlag(p, "app");
  s.grants = s.grants.filter(
    (g) =>
      !(
        (relId === undefined || g.relationId === relId) &&
        (unit === undefined || g.unit === unit) &&
        (app === undefined || g.app === app)
      ),
  );
  return "";
};

export const secretRemove: ToolHandler = (ctx, args) => {
  const p = parseArgs(args, { flags: { revision: "string" } });
  const [uri, ...rest] = p.positionals;
  if (uri === undefined) throw usageError("missing secret URI");
  checkEmpty(rest);
  const raw = stringFlag(p, "revision");
  const revision = raw === undefined ? undefined : Number(raw);
  if (revision !== undefined && !(Number.isInteger(revision) && revision > 0)) {
    throw usageError(`invalid value ${quote(raw!)} for option --revision`);
  }
  const s = managed(ctx, uri);
  const secrets = ctx.writableSecrets();
  if (revision === undefined) {
    s.removedRevisions.push(...s.revisions.map((r) => r.revision));
    secrets.splice(secrets.indexOf(s), 1);
    return "";
  }
  if (!s.revisions.some((r) => r.revision === revision)) {
    throw runError(`secret revision ${quote(`${bareId(s.id)}/${revision}`)} not found`);
  }
  s.revisions = s.revisions.filter((r) => r.revision !== revision);
  s.removedRevisions.push(revision);
  return "";
};

export const secretIds: ToolHandler = (ctx, args) => {
  const p = parseArgs(args, { flags: FORMAT });
  checkEmpty(p.positionals);
  const ids = ctx
    .secrets()
    .filter((s) => isOwnerSide(ctx, s))
    .map((s) => s.id);
  return formatOutput(ids, stringFlag(p, "format") ?? "yaml");
};

export const secretInfoGet: ToolHandler = (ctx, args) => {
  const p = parseArgs(args, { flags: { ...FORMAT, label: "string" } });
  const [uri, ...rest] = p.positionals;
  checkEmpty(rest);
  const label = stringFlag(p, "label");
  if (uri !== undefined && label !== undefined)
    throw usageError("specify either a secret URI or label but not both");
  if (uri === undefined && label === undefined) throw usageError("require either a secret URI or label");
  const s = find(ctx, uri, label);
  if (!isOwnerSide(ctx, s))
    throw runError(`secret ${quote(uri === undefined ? label! : bareId(uri))} not found`);
  const info: Record<string, unknown> = {
    revision: latest(s),
    owner: s.ownerUnit ? "unit" : "application",
  };
  if (s.label !== undefined) info["label"] = s.label;
  if (s.description !== undefined) info["description"] = s.description;
  if (s.rotate !== undefined) info["rotation"] = s.rotate;
  if (s.expire !== undefined) info["expiry"] = s.expire;
  return formatOutput({ [bareId(s.id)]: info }, stringFlag(p, "format") ?? "yaml");
};
