/** The hook context, parsed once from the environment Juju builds for the process.
 * Nothing else in the charm reads process.env. */
export interface HookContext {
  /** "hooks/<name>" or "actions/<name>". */
  readonly dispatchPath: string;
  readonly kind: "hook" | "action";
  /** Hook name (e.g. "certificates-relation-changed") or action name. */
  readonly name: string;
  readonly unitName: string;
  readonly appName: string;
  readonly principalUnit: string | undefined;
  readonly jujuVersion: string;
  readonly modelName: string;
  readonly relation: RelationContext | undefined;
  readonly actionId: string | undefined;
  readonly secret: SecretContext | undefined;
}

export interface RelationContext {
  readonly endpoint: string;
  readonly id: number;
  /** "<endpoint>:<id>", the form hook tools accept for -r. */
  readonly ref: string;
  readonly remoteApp: string | undefined;
  readonly remoteUnit: string | undefined;
  readonly departingUnit: string | undefined;
}

export interface SecretContext {
  readonly id: string;
  readonly label: string | undefined;
  readonly revision: number | undefined;
}

export class ContextError extends Error {
  override readonly name = "ContextError";
}

type Env = Readonly<Record<string, string | undefined>>;

const REQUIRED = ["JUJU_UNIT_NAME", "JUJU_MODEL_NAME", "JUJU_VERSION"] as const;

/** Builds the HookContext; throws ContextError when the environment is not a Juju hook's. */
export function parseHookContext(env: Env): HookContext {
  for (const key of REQUIRED) {
    if (!env[key]) throw new ContextError(`${key} is not set: dispatch must run inside a Juju hook context`);
  }
  const dispatchPath =
    env["JUJU_DISPATCH_PATH"] || (env["JUJU_HOOK_NAME"] ? `hooks/${env["JUJU_HOOK_NAME"]}` : "");
  const match = /^(hooks|actions)\/([a-z0-9][a-z0-9-]*)$/.exec(dispatchPath);
  if (!match)
    throw new ContextError(`JUJU_DISPATCH_PATH "${dispatchPath}" is neither hooks/<name> nor actions/<name>`);
  const kind = match[1] === "actions" ? "action" : "hook";
  const unitName = env["JUJU_UNIT_NAME"]!;
  return Object.freeze({
    dispatchPath,
    kind,
    name: match[2]!,
    unitName,
    appName: unitName.split("/")[0]!,
    principalUnit: env["JUJU_PRINCIPAL_UNIT"] || undefined,
    jujuVersion: env["JUJU_VERSION"]!,
    modelName: env["JUJU_MODEL_NAME"]!,
    relation: parseRelation(env),
    actionId: kind === "action" ? env["JUJU_ACTION_UUID"] || undefined : undefined,
    secret: parseSecret(env),
  });
}

function parseRelation(env: Env): RelationContext | undefined {
  const ref = env["JUJU_RELATION_ID"];
  if (!ref) return undefined;
  const match = /^(?:([a-z0-9-]+):)?(\d+)$/.exec(ref);
  if (!match) throw new ContextError(`JUJU_RELATION_ID "${ref}" is not <endpoint>:<id>`);
  const endpoint = env["JUJU_RELATION"] || match[1] || "";
  const id = Number(match[2]);
  return Object.freeze({
    endpoint,
    id,
    ref: `${endpoint}:${id}`,
    remoteApp: env["JUJU_REMOTE_APP"] || undefined,
    remoteUnit: env["JUJU_REMOTE_UNIT"] || undefined,
    departingUnit: env["JUJU_DEPARTING_UNIT"] || undefined,
  });
}

function parseSecret(env: Env): SecretContext | undefined {
  const id = env["JUJU_SECRET_ID"];
  if (!id) return undefined;
  const revision = env["JUJU_SECRET_REVISION"];
  return Object.freeze({
    id,
    label: env["JUJU_SECRET_LABEL"] || undefined,
    revision: revision ? Number(revision) : undefined,
  });
}
