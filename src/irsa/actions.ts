// The IRSA action as a function the actions dispatcher calls with one line:
// (params, input, deps) → ActionOutcome. It reads the discovery documents through deps (readServedDiscovery on
// the admin kubeconfig, TLS always verified) and leaves every decision to discovery.ts.
import type { CharmConfig } from "../config/charm-config.ts";
import { isPartition } from "../mappings/arn.ts";
import type { ActionOutcome, ActionParams } from "../util/action-outcome.ts";
import { PARTITIONS } from "../workload/manifests/spec.ts";
import type { ServedDiscovery } from "./discovery.ts";
import { discoveryActionResult } from "./discovery.ts";
import { IRSA_OPTIONS } from "./settings.ts";

export interface IrsaActionInput {
  /** Parsed and valid (the dispatcher's withValidConfig). */
  readonly config: CharmConfig;
}

export interface IrsaActionDeps {
  /** GET /.well-known/openid-configuration and /openid/v1/jwks, byte for byte (readServedDiscovery). */
  readonly readServed: () => Promise<ServedDiscovery>;
}

const text = (value: unknown): string | undefined =>
  typeof value === "string" && value.trim() !== "" ? value.trim() : undefined;

/**
 * get-irsa-discovery: the documents exactly as the API server serves them, the object keys to upload them
 * under, the IAM OIDC provider (URL, ARN, audience) and a trust policy for `namespace`/`service-account`.
 * The partition defaults to the charm's `partition` option (the IAM provider lives in the cluster's account).
 * Fails, saying why, when IRSA is off, the documents are unusable, or the API server serves another issuer.
 */
export async function irsaDiscoveryAction(
  params: ActionParams,
  input: IrsaActionInput,
  deps: IrsaActionDeps,
): Promise<ActionOutcome> {
  const settings = input.config.irsa;
  if (settings === undefined) {
    return {
      ok: false,
      message: `IRSA is off: set ${IRSA_OPTIONS.issuerUrl} to the public https URL the discovery documents will be served from`,
    };
  }
  const accountId = text(params["account-id"]);
  if (accountId === undefined) {
    return {
      ok: false,
      message: "account-id: is missing; expected the 12-digit AWS account the IAM OIDC provider is in",
    };
  }
  const namespace = text(params["namespace"]);
  const serviceAccount = text(params["service-account"]);
  if (namespace === undefined || serviceAccount === undefined) {
    return {
      ok: false,
      message:
        "namespace and service-account: expected the service account the role is for (a name, or a pattern with * such as service-account=*)",
    };
  }
  const partitionParam = text(params["partition"]);
  if (partitionParam !== undefined && !isPartition(partitionParam)) {
    return { ok: false, message: `partition: "${partitionParam}" is not one of ${PARTITIONS.join(", ")}` };
  }
  const partition = partitionParam ?? input.config.mappingSettings.partition;
  const served = await deps.readServed();
  if (!served.ok)
    return { ok: false, message: `could not read the API server's discovery documents: ${served.reason}` };
  return discoveryActionResult({
    settings,
    servedConfig: served.config,
    servedJwks: served.jwks,
    partition,
    accountId,
    namespace,
    serviceAccount,
  });
}
