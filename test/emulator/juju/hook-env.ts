/** The environment Juju gives a hook or action process (runner.go / context.go
 * HookVars): a fresh set, nothing inherited, no HOME. */
import { dirname } from "node:path";
import type { HookSpec } from "./core.ts";
import type { ModelState } from "./model-state.ts";

/** Where the charm under test keeps the machine's filesystem root. */
export const TEST_ROOT_ENV = "AWS_IAM_CHARM_TEST_ROOT";

export interface HookEnvOptions {
  readonly charmDir: string;
  /** Dir with the hook-tool shims; put first on PATH. */
  readonly binDir?: string;
  readonly actionId?: string;
  readonly extra?: Record<string, string>;
}

export function hookEnv(state: ModelState, spec: HookSpec, options: HookEnvOptions): Record<string, string> {
  const unit = state.units[spec.unit]!;
  const isAction = spec.action !== undefined;
  const path = [
    options.binDir,
    dirname(process.execPath),
    "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin",
  ]
    .filter(Boolean)
    .join(":");
  const env: Record<string, string> = {
    JUJU_DISPATCH_PATH: isAction ? `actions/${spec.action!.name}` : `hooks/${spec.hookName}`,
    JUJU_HOOK_NAME: isAction ? "" : spec.hookName,
    JUJU_UNIT_NAME: unit.name,
    JUJU_CHARM_DIR: options.charmDir,
    CHARM_DIR: options.charmDir,
    JUJU_CONTEXT_ID: `${unit.name}-${isAction ? spec.action!.name : spec.hookName}-${Date.now()}`,
    JUJU_MODEL_NAME: state.model.name,
    JUJU_MODEL_UUID: state.model.uuid,
    JUJU_VERSION: state.model.jujuVersion,
    JUJU_MACHINE_ID: unit.machineId,
    JUJU_PRINCIPAL_UNIT: unit.principal ?? "",
    JUJU_API_ADDRESSES: "10.0.0.1:17070",
    JUJU_AVAILABILITY_ZONE: "",
    PATH: path,
    LANG: "C.UTF-8",
    TERM: "tmux-256color",
    DEBIAN_FRONTEND: "noninteractive",
    APT_LISTCHANGES_FRONTEND: "none",
    [TEST_ROOT_ENV]: unit.machineRoot,
  };
  const rel = state.relations.find((r) => r.id === spec.relationId);
  if (rel) {
    const endpoint = rel.endpoints.find((e) => e.app === unit.app)!.endpoint;
    env["JUJU_RELATION"] = endpoint;
    env["JUJU_RELATION_ID"] = `${endpoint}:${rel.id}`;
    env["JUJU_REMOTE_UNIT"] = spec.remoteUnit ?? "";
    env["JUJU_REMOTE_APP"] = spec.remoteApp ?? spec.remoteUnit?.split("/")[0] ?? "";
  }
  if (spec.departingUnit) env["JUJU_DEPARTING_UNIT"] = spec.departingUnit;
  if (isAction) {
    const id = options.actionId ?? "1";
    env["JUJU_ACTION_NAME"] = spec.action!.name;
    env["JUJU_ACTION_UUID"] = id;
    env["JUJU_ACTION_TAG"] = `action-${id}`;
  }
  if (spec.secretId) {
    env["JUJU_SECRET_ID"] = spec.secretId;
    env["JUJU_SECRET_LABEL"] = spec.secretLabel ?? "";
    if (spec.secretRevision !== undefined) env["JUJU_SECRET_REVISION"] = String(spec.secretRevision);
  }
  return { ...env, ...options.extra };
}
