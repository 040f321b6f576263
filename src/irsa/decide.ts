// The IRSA decision for one reconcile: what to apply, which flags to ask the control plane for, and what the
// unit status must say. Pure; the caller observes the CA and the served discovery documents.
import type { KubernetesObject } from "@kubernetes/client-node";
import type { ApiExtraArgsInput } from "../control-plane/api-extra-args.ts";
import { irsaApiExtraArgs } from "./api-args.ts";
import { checkDiscoveryDocuments, issuerMismatch } from "./discovery.ts";
import type { ServedDiscovery } from "./read-discovery.ts";
import type { IrsaSettings } from "./settings.ts";
import { buildIrsaObjects } from "./webhook.ts";

export interface IrsaObservation {
  readonly appName: string;
  readonly namespace?: string;
  /** undefined: IRSA off. */
  readonly irsa: IrsaSettings | undefined;
  /** The certificates relation's CA (the one the authenticator's webhook kubeconfig trusts); undefined: none yet. */
  readonly caPem: string | undefined;
  /** What the API server serves; undefined when it was not read (no admin kubeconfig yet). */
  readonly served: ServedDiscovery | undefined;
}

export interface IrsaStatus {
  readonly name: "blocked" | "waiting";
  readonly message: string;
}

export interface IrsaDecision {
  /** Desired IRSA objects; empty when IRSA is off, so pruning by the owned labels removes them all. */
  readonly objects: readonly KubernetesObject[];
  /** Flags to merge into the api-extra-args line; empty when IRSA is off. */
  readonly apiExtraArgs: Partial<ApiExtraArgsInput>;
  /** undefined: nothing to say (IRSA off, or the API server already serves the configured issuer). */
  readonly status: IrsaStatus | undefined;
}

/**
 * IRSA off: nothing. On: the webhook objects once the CA is known (they are applied whatever the API server's
 * issuer, so pods are mutated as soon as it changes), the issuer flags, and a blocked status while the API
 * server serves another issuer, since only the operator can merge the flags into the control plane.
 * Throws RangeError when the CA is not a CA certificate (normaliseCaPem).
 */
export function decideIrsa(observed: IrsaObservation): IrsaDecision {
  const irsa = observed.irsa;
  if (irsa === undefined) return { objects: [], apiExtraArgs: {}, status: undefined };
  const apiExtraArgs = irsaApiExtraArgs(irsa);
  const objects =
    observed.caPem === undefined
      ? []
      : buildIrsaObjects({
          appName: observed.appName,
          ...(observed.namespace !== undefined && { namespace: observed.namespace }),
          settings: irsa,
          caPem: observed.caPem,
        });
  if (observed.caPem === undefined) {
    return {
      objects,
      apiExtraArgs,
      status: { name: "waiting", message: "IRSA: waiting for the CA from the certificates relation" },
    };
  }
  const served = observed.served;
  if (served === undefined) return { objects, apiExtraArgs, status: undefined };
  if (!served.ok) {
    return { objects, apiExtraArgs, status: { name: "waiting", message: `IRSA: ${served.reason}` } };
  }
  const check = checkDiscoveryDocuments(served.config, served.jwks);
  if (!check.ok) {
    return {
      objects,
      apiExtraArgs,
      status: {
        name: "blocked",
        message: `IRSA: unusable discovery documents: ${check.problems.join("; ")}`,
      },
    };
  }
  const mismatch = issuerMismatch(irsa, check.config);
  return {
    objects,
    apiExtraArgs,
    status: mismatch === undefined ? undefined : { name: "blocked", message: `IRSA: ${mismatch}` },
  };
}
