// The old reconcile path's I/O for the control-plane feature (plan/reconcile.ts), until charm.ts runs
// observe → decidePlan → commit; the decisions themselves are in decide.ts.
import type { CharmDeps } from "../deps.ts";
import type { Databag } from "../juju/hook-tools.ts";
import { PATHS } from "../machine/paths.ts";
import { type RunCommand, syncHostTrust } from "../machine/trust-store.ts";
import type { JujuSnapshot } from "../observe/juju.ts";
import { blocked, type Status } from "../plan/status.ts";
import { legacyRequirerWrites } from "./legacy-relation.ts";
import {
  changedKeys,
  customAuthnEndpoint,
  OPS_AUTH_WEBHOOK_PATH,
  peerReport,
  REACTIVE_LEFTOVER_FILES,
  type WebhookFiles,
  webhookFiles,
} from "./rules.ts";
import { webhookEndpointUrl } from "./webhook-endpoint.ts";

// --- I/O ----------------------------------------------------------------------------------------

export interface ControlPlaneFilesInput {
  readonly port: number;
  readonly caPem: string;
  /** `install-ca-to-host`. */
  readonly installCa: boolean;
}

export interface ControlPlaneOptions {
  /** Runs update-ca-certificates. @default the real command on "/", skipped under a test root */
  readonly runCommand?: RunCommand;
}

/**
 * The machine side of the step: webhook kubeconfig (0600, atomic, rewritten only on change), the host
 * trust store, and the reactive charm's leftovers. Returns a status when the CA cannot be trusted (the
 * file is then left as it was), else undefined. No hook tool, no secret.
 */
export async function reconcileControlPlaneFiles(
  input: ControlPlaneFilesInput,
  deps: CharmDeps,
  options: ControlPlaneOptions = {},
): Promise<Status | undefined> {
  for (const path of REACTIVE_LEFTOVER_FILES) {
    if (await deps.files.remove(path))
      await deps.log.info(`removed ${path}, left by the reactive aws-iam charm`);
  }
  let files: WebhookFiles;
  try {
    files = webhookFiles(input.port, input.caPem);
  } catch (error) {
    if (!(error instanceof RangeError)) throw error;
    return blocked(`cannot trust the certificate provider's CA: ${error.message}`);
  }
  if (await deps.files.write(PATHS.webhookKubeconfig, files.kubeconfig, 0o600)) {
    await deps.log.info(`wrote ${PATHS.webhookKubeconfig} (${webhookEndpointUrl(input.port)})`);
  }
  const change = await syncHostTrust(
    deps.files,
    input.installCa ? files.trustedCa : undefined,
    ...(options.runCommand ? [options.runCommand] : []),
  );
  if (change === "installed") await deps.log.info(`added the authenticator CA to the host trust store`);
  if (change === "removed") await deps.log.info(`removed the authenticator CA from the host trust store`);
  return undefined;
}

/** True when the webhook kubeconfig is on this machine (webhook_status may only be true then). */
export async function webhookKubeconfigPresent(deps: CharmDeps): Promise<boolean> {
  return (await deps.files.read(PATHS.webhookKubeconfig)) !== undefined;
}

/** Legacy: this unit's report on its principal's API server, written only when it changed. */
export async function reportApiServer(snapshot: JujuSnapshot, deps: CharmDeps): Promise<Databag | undefined> {
  const legacy = snapshot.legacyControlPlane;
  const peers = snapshot.peers;
  if (legacy === undefined || legacy.breaking) return undefined;
  const report = peerReport(legacy, snapshot.context.principalUnit);
  if (peers !== undefined && !peers.breaking) {
    const diff = changedKeys(peers.localUnitData, report);
    if (Object.keys(diff).length > 0) await deps.tools.relationSet(peers.ref, diff, "unit");
  }
  return report;
}

export interface LegacyPublishInput {
  readonly clusterId: string | undefined;
  readonly webhookReady: boolean;
  readonly apiExtraArgs: string;
}

/** Legacy: our unit databag on the aws-iam relation, only the keys that change. */
export async function publishLegacy(
  snapshot: JujuSnapshot,
  input: LegacyPublishInput,
  deps: CharmDeps,
): Promise<void> {
  const legacy = snapshot.legacyControlPlane;
  if (legacy === undefined || legacy.breaking) return;
  const diff = changedKeys(legacy.localUnitData, legacyRequirerWrites(input));
  if (Object.keys(diff).length > 0) await deps.tools.relationSet(legacy.ref, diff, "unit");
}

/** Current: whether the control plane on this machine already forwards tokens to our URL. */
export async function forwardsToUs(port: number, deps: CharmDeps): Promise<boolean> {
  return customAuthnEndpoint(await deps.files.read(OPS_AUTH_WEBHOOK_PATH)) === webhookEndpointUrl(port);
}
