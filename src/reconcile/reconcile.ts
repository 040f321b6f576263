import { parseCharmConfig } from "../config/charm-config.ts";
import type { JujuSnapshot } from "../juju/model.ts";
import { isoDate } from "../tls/validate.ts";
import { reconcileCertificates } from "./certificates.ts";
import type { CharmDeps } from "./deps.ts";
import type { Outcome } from "./publish.ts";
import { blocked, maintenance, type WorkloadStatus } from "./status.ts";
import { controlPlaneOf, isStatus } from "./topology.ts";

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

  // Next piece: the authenticator workload (src/k8s), which serves tls.certificate.
  return finish(
    maintenance(
      `certificate ready (expires ${isoDate(tls.certificate.notAfter)}); deploying the authenticator`,
    ),
    version,
  );
}

/** The workload version shown by `juju status`: the image tag (or digest). */
export function imageVersion(image: string): string {
  const digest = image.split("@")[1];
  if (digest) return digest.slice(0, 19);
  const lastPart = image.split("/").pop() ?? image;
  return lastPart.includes(":") ? lastPart.split(":").pop()! : "latest";
}
