import { randomUUID } from "node:crypto";
import { type CertificatesDecision, certificateNeeds, decideCertificates } from "../certificates/decide.ts";
import { generatePrivateKeyPem } from "../certificates/keys.ts";
import { secretTooLargeMessage } from "../certificates/secret-content.ts";
import { clusterIdNeeds, decideClusterId } from "../cluster-id/decide.ts";
import { writePeerApp } from "../commit/peer-app.ts";
import type { Outcome } from "../commit/status.ts";
import { parseCharmConfig } from "../config/charm-config.ts";
import { ApiExtraArgsError, renderApiExtraArgs } from "../control-plane/api-extra-args.ts";
import {
  authnEndpointLine,
  type ControlPlaneOptions,
  forwardsToUs,
  legacyGate,
  publishLegacy,
  reconcileControlPlaneFiles,
  reportApiServer,
  webhookKubeconfigPresent,
  withForwardingHint,
} from "../control-plane/decide.ts";
import { type CharmDeps, DEFAULT_ROLLOUT_WAIT_MS } from "../deps.ts";
import { SecretTooLarge } from "../juju/errors.ts";
import { PATHS, unitTlsRecordPath } from "../machine/paths.ts";
import {
  forgetReactiveTls,
  REACTIVE_OBJECTS_REMOVED_KEY,
  removeReactiveLeftovers,
} from "../migration/decide.ts";
import type { JujuSnapshot } from "../observe/juju.ts";
import { controlPlaneOf, isStatus } from "../observe/topology.ts";
import { reconcileWorkload } from "../workload/rollout.ts";
import { imageVersion } from "../workload/status.ts";
import { commitNow, observeBaseNow, observeNeedsNow } from "./interim.ts";
import { PEER_APP_KEYS } from "./peer-databag.ts";
import { mergePlans } from "./plan.ts";
import { blocked, type WorkloadStatus, waiting } from "./status.ts";

/** Peer app databag key: hash of the objects the leader last applied. */
const APPLIED_HASH_KEY = PEER_APP_KEYS.appliedHash;

/** The one reconcile every hook runs: from what Juju and the machine say now, bring
 * everything the charm owns to its desired state, then say how things stand.
 * Gates stop early with a status; nothing after a failed gate is applied. */
export async function reconcile(
  snapshot: JujuSnapshot,
  deps: CharmDeps,
  options: ControlPlaneOptions = {},
): Promise<Outcome> {
  const finish = (unit: WorkloadStatus, version?: string): Outcome => ({
    unit,
    app: snapshot.leader ? unit : undefined,
    version,
  });

  const parsed = parseCharmConfig(snapshot.config);
  if (!parsed.ok) return finish(blocked(`invalid config: ${parsed.invalid.join("; ")}`));
  const config = parsed.config;
  const version = imageVersion(config.image);

  const controlPlane = controlPlaneOf(snapshot);
  if (isStatus(controlPlane)) return finish(controlPlane, version);

  let tls: CertificatesDecision;
  try {
    const base = await observeBaseNow(snapshot, deps, [unitTlsRecordPath(snapshot.context.unitName)]);
    const observed = await observeNeedsNow(base, certificateNeeds(base), deps);
    tls = decideCertificates(
      observed,
      { commonName: config.certificateCommonName },
      { privateKey: generatePrivateKeyPem, uuid: randomUUID },
    );
    await commitNow(tls.plan, observed, deps);
  } catch (error) {
    // Nothing was stored: the same hook runs again on the next event and says the same, no error loop.
    if (!(error instanceof SecretTooLarge)) throw error;
    return finish(blocked(secretTooLargeMessage(error, snapshot.context.jujuVersion)), version);
  }
  if (tls.status !== undefined || tls.certificate === undefined) {
    return finish(tls.status ?? blocked("no server certificate"), version);
  }

  const peerAppData = snapshot.peers?.localAppData;
  const idBase = await observeBaseNow(snapshot, deps, []);
  const idObserved = await observeNeedsNow(idBase, clusterIdNeeds(idBase), deps);
  const clusterId = decideClusterId(idObserved, config, deps.randomBytes);
  await commitNow(mergePlans([clusterId.plan, forgetReactiveTls(idObserved)]), idObserved, deps);

  let apiExtraArgs: string;
  try {
    apiExtraArgs = renderApiExtraArgs({ tokenWebhookCacheTtl: config.tokenWebhookCacheTtl });
  } catch (error) {
    if (!(error instanceof ApiExtraArgsError)) throw error;
    return finish(blocked(error.message), version);
  }
  const legacy = controlPlane.generation === "legacy";
  const publish = (webhookReady: boolean) =>
    publishLegacy(snapshot, { clusterId: clusterId.clusterId, webhookReady, apiExtraArgs }, deps);
  const ownReport = legacy ? await reportApiServer(snapshot, deps) : undefined;
  if (clusterId.clusterId === undefined) {
    await publish(false);
    return finish(waiting("waiting for the leader to share the cluster ID"), version);
  }

  const caPem = tls.certificate.caPem;
  const filesProblem = await reconcileControlPlaneFiles(
    { port: config.port, caPem, installCa: config.installCaToHost },
    deps,
    options,
  );
  if (filesProblem !== undefined) {
    await publish(false);
    return finish(filesProblem, version);
  }

  // Legacy: deploy only once every control-plane unit says its API server is up. A leader held
  // back still looks at its own node (without applying or waiting) so webhook_status stays true.
  const gate = ownReport !== undefined ? legacyGate(snapshot, ownReport) : undefined;
  if (gate !== undefined && !snapshot.leader) {
    await publish(false);
    return finish(gate, version);
  }
  const applying = snapshot.leader && gate === undefined;

  // Only the leader writes the Secret: the others never read the key.
  const served = applying ? tls.certificate.served : undefined;
  const workload = await reconcileWorkload(
    {
      leader: applying,
      appName: snapshot.context.appName,
      config,
      clusterId: clusterId.clusterId,
      tls: served && { ...served, caPem },
      node: {
        known: deps.knownNode,
        machine: async () => ({
          address: await deps.tools.ingressAddress(controlPlane.relation.endpoint),
          names: await deps.machineNames(),
        }),
      },
      kubeconfigPath: PATHS.adminKubeconfig,
      previousHash: peerAppData?.[APPLIED_HASH_KEY] || undefined,
      // A leader held back only looks: it neither applies nor waits.
      waitMs: applying || !snapshot.leader ? (deps.rolloutWaitMs ?? DEFAULT_ROLLOUT_WAIT_MS) : 0,
    },
    deps,
  );
  if (workload.appliedHash !== undefined) {
    await writePeerApp(snapshot, deps, { [APPLIED_HASH_KEY]: workload.appliedHash });
  }
  const nodeReady = workload.unit.name === "active";
  // Once ours serves every control-plane node, the reactive charm's Deployment, Service and Secret can go:
  // once per application (the peer key), so idle hooks make no extra requests.
  const peersUsable = snapshot.peers !== undefined && !snapshot.peers.breaking;
  if (applying && peersUsable && nodeReady && workload.app?.name === "active") {
    if (!peerAppData?.[REACTIVE_OBJECTS_REMOVED_KEY]) {
      const leftovers = await removeReactiveLeftovers(
        { appName: snapshot.context.appName, kubeconfigPath: PATHS.adminKubeconfig },
        deps,
      );
      if (leftovers.done) await writePeerApp(snapshot, deps, { [REACTIVE_OBJECTS_REMOVED_KEY]: "true" });
    }
  }
  if (legacy) await publish(nodeReady && (await webhookKubeconfigPresent(deps)));

  let unit = workload.unit;
  let app = snapshot.leader ? (workload.app ?? workload.unit) : undefined;
  if (gate !== undefined) {
    unit = gate;
    app = gate;
  } else if (!legacy && (nodeReady || app?.name === "active")) {
    const forwarded = await forwardsToUs(config.port, deps);
    const line = authnEndpointLine(
      controlPlane.relation.remoteApp ?? "kubernetes-control-plane",
      config.port,
    );
    unit = withForwardingHint(unit, forwarded, line);
    app = app && withForwardingHint(app, forwarded, line);
  }
  return { unit, app, version, ...(workload.node !== undefined ? { node: workload.node } : {}) };
}
