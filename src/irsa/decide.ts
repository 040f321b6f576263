// The IRSA decision for one reconcile: what to apply, which flags to ask the control plane for, and what the
// unit status must say. Pure; the caller observes the CA and the served discovery documents.
import type { KubernetesObject } from "@kubernetes/client-node";
import { type CharmConfig, parseCharmConfig } from "../config/charm-config.ts";
import type { ApiExtraArgsInput } from "../control-plane/api-extra-args.ts";
import { PATHS } from "../machine/paths.ts";
import type { BaseObservation, Need } from "../observe/observe.ts";
import type { Plan } from "../plan/plan.ts";
import { blocked, type Status, waiting } from "../plan/status.ts";
import { ISSUER_CHANGE_CONSEQUENCE, irsaApiExtraArgs } from "./api-args.ts";
import type { ServedDiscovery } from "./discovery.ts";
import { checkDiscoveryDocuments, issuerMismatch } from "./discovery.ts";
import type { IrsaSettings } from "./settings.ts";
import { buildIrsaObjects } from "./webhook.ts";

export interface IrsaObservation {
  readonly appName: string;
  /** undefined: IRSA off. */
  readonly irsa: IrsaSettings | undefined;
  /** The certificates relation's CA (the one the authenticator's webhook kubeconfig trusts); undefined: none yet. */
  readonly caPem: string | undefined;
  /** What the API server serves; undefined when it was not read (no admin kubeconfig yet). */
  readonly served: ServedDiscovery | undefined;
}

export interface IrsaDecision {
  /** Desired IRSA objects; empty when IRSA is off, so pruning by the owned labels removes them all. */
  readonly objects: readonly KubernetesObject[];
  /** Flags to merge into the api-extra-args line; empty when IRSA is off. */
  readonly apiExtraArgs: Partial<ApiExtraArgsInput>;
  /** undefined: nothing to say (IRSA off, or the API server already serves the configured issuer). */
  readonly status: Status | undefined;
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
          settings: irsa,
          caPem: observed.caPem,
        });
  if (observed.caPem === undefined) {
    return {
      objects,
      apiExtraArgs,
      status: waiting("IRSA: waiting for the CA from the certificates relation"),
    };
  }
  const served = observed.served;
  if (served === undefined) return { objects, apiExtraArgs, status: undefined };
  if (!served.ok) {
    return { objects, apiExtraArgs, status: waiting(`IRSA: ${served.reason}`) };
  }
  const check = checkDiscoveryDocuments(served.config, served.jwks);
  if (!check.ok) {
    return {
      objects,
      apiExtraArgs,
      status: blocked(`IRSA: unusable discovery documents: ${check.problems.join("; ")}`),
    };
  }
  const mismatch = issuerMismatch(irsa, check.config);
  return {
    objects,
    apiExtraArgs,
    status: mismatch === undefined ? undefined : blocked(`IRSA: ${mismatch}`),
  };
}

/**
 * The hook reads the served discovery documents only with IRSA on, the whole config valid (else the hook
 * is blocked on it and decides nothing from them) and the admin kubeconfig present. The config is parsed
 * here (a second time in the hook, beside decidePlan's) only when IRSA is configured.
 */
export function irsaNeeds(base: BaseObservation): Need[] {
  // IRSA off (an empty irsa-issuer-url, the default) or no credentials: nothing to read, nothing to parse.
  if (!base.juju.config["irsa-issuer-url"] || base.files[PATHS.adminKubeconfig] === undefined) return [];
  const parsed = parseCharmConfig(base.juju.config);
  return parsed.ok && parsed.config.irsa !== undefined ? [{ kind: "irsa-discovery" }] : [];
}

export interface IrsaPartInput {
  readonly appName: string;
  readonly leader: boolean;
  readonly config: CharmConfig;
  /** The certificates relation's CA (what the authenticator's webhook kubeconfig trusts); undefined: none yet. */
  readonly caPem: string | undefined;
  /** readServedDiscovery's answer; undefined when not read (IRSA off, or no admin kubeconfig yet). */
  readonly served: ServedDiscovery | undefined;
}

/** The IRSA feature's part of a hook's decision. */
export interface IrsaPart {
  /** unitStatus (and appStatus on the leader) while IRSA is on and not yet usable; {} otherwise. */
  readonly plan: Plan;
  /**
   * Leader only: appended to the workload's Plan.kubernetes.objects (one apply, one hash, one prune, since
   * mergePlans keeps Kubernetes objects single-owner). Empty when IRSA is off, so the prune removes them.
   */
  readonly objects: readonly KubernetesObject[];
  /** Merged into renderApiExtraArgs' input (get-control-plane-config and the legacy relation's api_extra_args). */
  readonly apiExtraArgs: Partial<ApiExtraArgsInput>;
}

/**
 * decideIrsa in Plan form. A CA the webhook cannot be given (normaliseCaPem refuses it) blocks IRSA only:
 * the authenticator's own objects do not depend on it.
 */
export function decideIrsaPart(input: IrsaPartInput): IrsaPart {
  let decision: IrsaDecision;
  try {
    decision = decideIrsa({
      appName: input.appName,
      irsa: input.config.irsa,
      caPem: input.caPem,
      served: input.served,
    });
  } catch (error) {
    if (!(error instanceof RangeError)) throw error;
    const status = blocked(`IRSA: ${error.message}`);
    return {
      plan: { unitStatus: [status], ...(input.leader && { appStatus: [status] }) },
      objects: [],
      apiExtraArgs: input.config.irsa === undefined ? {} : irsaApiExtraArgs(input.config.irsa),
    };
  }
  const status = decision.status;
  return {
    plan: status === undefined ? {} : { unitStatus: [status], ...(input.leader && { appStatus: [status] }) },
    objects: input.leader ? decision.objects : [],
    apiExtraArgs: decision.apiExtraArgs,
  };
}

/** For get-control-plane-config: the issuer flags and, when IRSA is on, what merging them does. */
export function irsaControlPlaneConfig(config: CharmConfig): {
  readonly apiExtraArgs: Partial<ApiExtraArgsInput>;
  readonly consequence?: string;
} {
  if (config.irsa === undefined) return { apiExtraArgs: {} };
  return { apiExtraArgs: irsaApiExtraArgs(config.irsa), consequence: ISSUER_CHANGE_CONSEQUENCE };
}
