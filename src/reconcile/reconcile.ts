import { parseCharmConfig } from "../config/charm-config.ts";
import type { Databag } from "../juju/hook-tools.ts";
import type { JujuSnapshot } from "../juju/model.ts";
import { PATHS } from "../machine/paths.ts";
import { reconcileCertificates } from "./certificates.ts";
import { planClusterId } from "./cluster-id.ts";
import type { CharmDeps } from "./deps.ts";
import type { Outcome } from "./publish.ts";
import { blocked, type WorkloadStatus, waiting } from "./status.ts";
import { controlPlaneOf, isStatus } from "./topology.ts";
import { reconcileWorkload } from "./workload.ts";

/** Peer app databag key: hash of the objects the leader last applied. */
export const APPLIED_HASH_KEY = "applied-hash";
/** How long a hook waits for this node's authenticator pod before reporting progress. */
const ROLLOUT_WAIT_MS = 60_000;

/** The one reconcile every hook runs: from what Juju and the machine say now, bring
 * everything the charm owns to its desired state, then say how things stand.
 * Gates stop early with a status; nothing after a failed gate is applied. */
export async function reconcile(snapshot: JujuSnapshot, deps: CharmDeps): Promise<Outcome> {
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

  const tls = await reconcileCertificates(snapshot, deps);
  if (tls.status !== undefined || tls.certificate === undefined) {
    return finish(tls.status ?? blocked("no server certificate"), version);
  }

  const peerAppData = snapshot.peers?.localAppData;
  const clusterId = planClusterId(config, peerAppData, snapshot.leader, deps.randomBytes);
  await writePeerApp(snapshot, deps, clusterId.peerWrites);
  if (clusterId.clusterId === undefined) {
    return finish(waiting("waiting for the leader to share the cluster ID"), version);
  }

  // Only the leader writes the Secret: the others never read the key.
  const material = snapshot.leader ? await tls.certificate.material() : undefined;
  const workload = await reconcileWorkload(
    {
      leader: snapshot.leader,
      appName: snapshot.context.appName,
      config,
      clusterId: clusterId.clusterId,
      tls: material && { certPem: material.certPem, keyPem: material.keyPem, caPem: material.caPem },
      nodeName: deps.nodeName,
      kubeconfigPath: PATHS.adminKubeconfig,
      previousHash: peerAppData?.[APPLIED_HASH_KEY] || undefined,
      waitMs: ROLLOUT_WAIT_MS,
    },
    deps,
  );
  if (workload.appliedHash !== undefined) {
    await writePeerApp(snapshot, deps, { [APPLIED_HASH_KEY]: workload.appliedHash });
  }
  return { unit: workload.unit, app: snapshot.leader ? (workload.app ?? workload.unit) : undefined, version };
}

/** The leader's writes to the peer app databag, only the keys whose values change. */
async function writePeerApp(snapshot: JujuSnapshot, deps: CharmDeps, writes: Databag): Promise<void> {
  const peers = snapshot.peers;
  if (!snapshot.leader || peers === undefined || peers.breaking) return;
  const current = peers.localAppData ?? {};
  const changed = Object.fromEntries(Object.entries(writes).filter(([key, value]) => current[key] !== value));
  if (Object.keys(changed).length > 0) await deps.tools.relationSet(peers.ref, changed, "app");
}

/** The workload version shown by `juju status`: the image tag (or digest). */
export function imageVersion(image: string): string {
  const digest = image.split("@")[1];
  if (digest) return digest.slice(0, 19);
  const lastPart = image.split("/").pop() ?? image;
  return lastPart.includes(":") ? lastPart.split(":").pop()! : "latest";
}
