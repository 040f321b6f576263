/** One hook's decision: every feature in dependency order, each given the outputs of the earlier ones;
 * a feature whose input is missing contributes only its status (today's gates). Pure but for the
 * randomness in `fresh`, which tests pass fixed. charm.ts: observe → decidePlan → commit. */
import { certificateNeeds, decideCertificates, type Fresh } from "../certificates/decide.ts";
import { clusterIdNeeds, decideClusterId } from "../cluster-id/decide.ts";
import { parseCharmConfig } from "../config/charm-config.ts";
import { charmApiExtraArgs } from "../control-plane/api-extra-args.ts";
import { CONTROL_PLANE_FILES, decideControlPlane } from "../control-plane/decide.ts";
import { DEFAULT_ROLLOUT_WAIT_MS } from "../deps.ts";
import { decideIrsaPart, irsaNeeds } from "../irsa/decide.ts";
import { PATHS, unitTlsRecordPath } from "../machine/paths.ts";
import { decideMappings } from "../mappings/decide.ts";
import { forgetReactiveTls } from "../migration/decide.ts";
import type { Decision } from "../observe/cluster-view.ts";
import type { BaseObservation, Need, Observed } from "../observe/observe.ts";
import { controlPlaneOf, isStatus } from "../observe/topology.ts";
import { decideWorkload } from "../workload/decide.ts";
import type { MachineIdentity } from "../workload/node-identity.ts";
import { imageVersion } from "../workload/status.ts";
import { mergePlans, type Plan, unitAndApp } from "./plan.ts";
import { blocked } from "./status.ts";

export interface DecideOptions {
  /** What is new in this hook: a private key, a UUID, random bytes (runCharm: node:crypto, made once). */
  readonly fresh: Fresh & { readonly randomBytes: (size: number) => Buffer };
  /** The node a previous hook found and saw serve (the unit cache). */
  readonly knownNode?: string;
  /** This machine's address and names, for finding its node when knownNode is unset. */
  readonly machine?: MachineIdentity;
  /** @default 60 s */
  readonly rolloutWaitMs?: number;
}

/** The machine files decidePlan reads (local reads, no hook tool). */
export function planFiles(unitName: string): string[] {
  return [unitTlsRecordPath(unitName), PATHS.adminKubeconfig, ...CONTROL_PLANE_FILES];
}

/** The reads worth a hook-tool call that this hook's decision needs. */
export function planNeeds(base: BaseObservation): Need[] {
  return [...certificateNeeds(base), ...clusterIdNeeds(base), ...irsaNeeds(base)];
}

export function decidePlan(observed: Observed, options: DecideOptions): Decision {
  const { fresh } = options;
  const { juju } = observed;

  const parsed = parseCharmConfig(juju.config);
  if (!parsed.ok) return { plan: unitAndApp(blocked(`invalid config: ${parsed.invalid.join("; ")}`)) };
  const config = parsed.config;
  const version: Plan = { workloadVersion: imageVersion(config.image) };

  const controlPlane = controlPlaneOf(juju);
  if (isStatus(controlPlane)) return { plan: mergePlans([unitAndApp(controlPlane), version]) };

  const certificates = decideCertificates(observed, { commonName: config.certificateCommonName }, fresh);
  const certificate = certificates.certificate;
  if (certificates.status !== undefined || certificate === undefined) {
    const status = certificates.status ?? blocked("no server certificate");
    return { plan: mergePlans([certificates.plan, unitAndApp(status), version]) };
  }

  const clusterId = decideClusterId(observed, config, fresh.randomBytes);
  // IRSA: the webhook objects go out with the authenticator's (one apply, one hash, one prune), its
  // issuer flags with the other api-extra-args, its status with the others.
  const irsa = decideIrsaPart({
    appName: observed.context.appName,
    leader: juju.leader,
    config,
    caPem: certificate.caPem,
    served: observed.irsaDiscovery,
  });
  const done = [certificates.plan, clusterId.plan, forgetReactiveTls(observed)];
  const rendered = charmApiExtraArgs(config.tokenWebhookCacheTtl, irsa.apiExtraArgs);
  if (!rendered.ok) return { plan: mergePlans([...done, unitAndApp(blocked(rendered.message)), version]) };
  const apiExtraArgs = rendered.args;

  const control = decideControlPlane(observed, {
    config,
    controlPlane,
    caPem: certificate.caPem,
    provider: certificate.provider,
    clusterId: clusterId.clusterId,
    apiExtraArgs,
  });
  const before = [...done, control.plan];
  if (clusterId.clusterId === undefined) {
    return { plan: mergePlans([...before, control.legacyUnitData(false), version]) };
  }
  if (control.stop !== undefined) {
    return {
      plan: mergePlans([...before, control.legacyUnitData(false), unitAndApp(control.stop), version]),
    };
  }

  // Only the leader holds the served key; a leader held back by the legacy gate applies nothing.
  const applying = juju.leader && control.gate === undefined;
  const mappings = decideMappings(config);
  const workload = decideWorkload(observed, {
    config,
    mappings: mappings.spec,
    clusterId: clusterId.clusterId,
    served: applying ? certificate.served : undefined,
    gate: control.gate,
    knownNode: options.knownNode,
    machine: options.machine,
    rolloutWaitMs: options.rolloutWaitMs ?? DEFAULT_ROLLOUT_WAIT_MS,
    afterView: control.legacyUnitData,
  });
  const kubernetes = workload.plan.kubernetes;
  const withIrsa: Plan =
    kubernetes === undefined
      ? workload.plan
      : {
          ...workload.plan,
          kubernetes: { ...kubernetes, objects: [...kubernetes.objects, ...irsa.objects] },
        };
  const after = workload.afterCluster;
  if (after === undefined)
    return { plan: mergePlans([...before, mappings.plan, withIrsa, irsa.plan, version]) };
  // IRSA's status after the workload's: of two equally severe, the authenticator's shows.
  return {
    plan: mergePlans([...before, mappings.plan, withIrsa, version]),
    afterCluster: { ...after, decide: (view, report) => mergePlans([after.decide(view, report), irsa.plan]) },
  };
}
