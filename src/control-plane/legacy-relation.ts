// The legacy `aws-iam` relation with the reactive kubernetes-control-plane (interface-aws-iam).
// Both sides are charms.reactive Endpoints, so every value is JSON-encoded in the *unit* databags:
//   control plane → us: `api_server_state` (JSON true/false, written by `set_api_server_status`)
//   us → control plane: `cluster_id` (JSON string), `webhook_status` (JSON true/false)
// plus `api_extra_args`, an extra key of ours that the reactive control plane ignores.

import { validateClusterId } from "../cluster-id/format.ts";
import { decodeReactive, encodeReactive, ReactiveJsonError } from "../util/python-json.ts";

export { decodeReactive, encodeReactive, ReactiveJsonError } from "../util/python-json.ts";

export const LEGACY_KEYS = {
  apiServerState: "api_server_state",
  clusterId: "cluster_id",
  webhookStatus: "webhook_status",
  apiExtraArgs: "api_extra_args",
} as const;

export interface LegacyRequirerInput {
  /** Undefined until the leader has generated (or config supplied) one. */
  clusterId: string | undefined;
  /** True only while the webhook kubeconfig is on disk *and* the workload is deployed. */
  webhookReady: boolean;
  /** Rendered api-extra-args; undefined or "" when there is nothing to publish. */
  apiExtraArgs?: string | undefined;
}

/**
 * Our unit databag on the aws-iam relation, every key present. An empty value deletes the key in Juju
 * (`relation-set key=`), which clears a stale value rather than publishing JSON `null`.
 */
export function legacyRequirerWrites(input: LegacyRequirerInput): Record<string, string> {
  if (input.clusterId !== undefined) {
    const problem = validateClusterId(input.clusterId);
    if (problem !== undefined) throw new RangeError(problem);
  }
  return {
    [LEGACY_KEYS.clusterId]: input.clusterId === undefined ? "" : encodeReactive(input.clusterId),
    [LEGACY_KEYS.webhookStatus]: encodeReactive(input.webhookReady),
    [LEGACY_KEYS.apiExtraArgs]: input.apiExtraArgs ? encodeReactive(input.apiExtraArgs) : "",
  };
}

/** up: JSON true; down: JSON false; unknown: not published yet; invalid: anything else. */
export type ApiServerState = "up" | "down" | "unknown" | "invalid";

export interface ControlPlaneUnitsView {
  allApiServersUp: boolean;
  units: Record<string, { apiServerState: ApiServerState }>;
  problems: string[];
}

function readApiServerState(unit: string, raw: string | undefined, problems: string[]): ApiServerState {
  let value: unknown;
  try {
    value = decodeReactive(raw);
  } catch (error) {
    if (!(error instanceof ReactiveJsonError)) throw error;
    problems.push(`${unit}: ${LEGACY_KEYS.apiServerState} is not JSON`);
    return "invalid";
  }
  if (value === undefined || value === "") return "unknown";
  if (value === true) return "up";
  if (value === false) return "down";
  problems.push(`${unit}: ${LEGACY_KEYS.apiServerState} is ${typeof value}, expected true or false`);
  return "invalid";
}

/**
 * Reads `api_server_state` from each remote control-plane unit's databag (unit name → raw databag).
 * Stricter than interface-aws-iam's `all(unit.received['api_server_state'] ...)`: only JSON `true`
 * counts (the control plane only ever writes true/false), and no units at all means "not up" — Python's
 * `all([])` would say yes, but then there is no API server to deploy to.
 */
export function parseControlPlaneUnits(
  remoteUnitBags: Readonly<Record<string, Readonly<Record<string, string>>>>,
): ControlPlaneUnitsView {
  const problems: string[] = [];
  const units: Record<string, { apiServerState: ApiServerState }> = {};
  for (const unit of Object.keys(remoteUnitBags).sort()) {
    const raw = remoteUnitBags[unit]![LEGACY_KEYS.apiServerState];
    units[unit] = { apiServerState: readApiServerState(unit, raw, problems) };
  }
  const states = Object.values(units);
  const allApiServersUp = states.length > 0 && states.every((u) => u.apiServerState === "up");
  return { allApiServersUp, units, problems };
}
