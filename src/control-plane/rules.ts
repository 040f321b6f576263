// The control-plane step of the reconcile, for both kubernetes-control-plane generations:
//  - every unit keeps /root/cdk/aws-iam-webhook.yaml (the CA of the certificate in use, our loopback URL)
//    and, unless `install-ca-to-host` is false, that CA in the host trust store;
//  - legacy (reactive, `aws-iam` relation): each unit reports its principal's `api_server_state` in its
//    peer unit databag, the leader deploys only when every one is up, and each unit publishes
//    cluster_id / webhook_status / api_extra_args in its unit databag the way charms.reactive encodes them;
//  - current (ops, juju-info): the active status carries the `juju config` line until the control plane's
//    rendered auth-webhook shows it forwards to us.
// The pure rules; decide.ts applies them to one hook's observation.

import type { Databag } from "../juju/hook-tools.ts";
import type { JujuSnapshot, RelationSnapshot } from "../observe/juju.ts";
import { PEER_UNIT_KEYS } from "../plan/peer-databag.ts";
import { type Status, waiting } from "../plan/status.ts";
import { canonicalCaPem, checkCaPem } from "./ca-pem.ts";
import { type ApiServerState, parseControlPlaneUnits } from "./legacy-relation.ts";
import { operatorConfigLines } from "./operator-config-lines.ts";
import { renderWebhookKubeconfig } from "./webhook-kubeconfig.ts";

/** Where the current (ops) control plane renders its auth-webhook ([KN] src/auth_webhook.py
 * `auth_webhook_exe`); its template holds `CUSTOM_AUTHN_ENDPOINT = '<authn-webhook-endpoint>'`. */
export const OPS_AUTH_WEBHOOK_PATH = "/root/cdk/auth-webhook/auth-webhook.py";

/** What the reactive charm-aws-iam left on the machine besides the webhook kubeconfig (which we
 * overwrite): rendered manifests, the first one holding its server key in base64. */
export const REACTIVE_LEFTOVER_FILES = [
  "/root/cdk/addons/aws-iam-secret.yaml",
  "/root/cdk/addons/aws-iam-deployment.yaml",
  "/root/cdk/addons/aws-iam-service.yaml",
] as const;

export interface WebhookFiles {
  readonly kubeconfig: string;
  /** The CA bundle for the host trust store. */
  readonly trustedCa: string;
}

/** Both files from the CA of the certificate in use; throws RangeError when it is not a CA. `written`: the
 * webhook kubeconfig on the machine. It embeds the CA, so when it is already what we would write, the CA
 * was checked when it was written and is not parsed again (idle hooks then never load node:crypto). */
export function webhookFiles(port: number, caPem: string, written?: string): WebhookFiles {
  const kubeconfig = renderWebhookKubeconfig({ port, caPem });
  const trustedCa = canonicalCaPem(caPem, "webhook CA");
  if (kubeconfig !== written) checkCaPem(trustedCa, "webhook CA");
  return { kubeconfig, trustedCa };
}

/** The endpoint CK's auth-webhook forwards unknown tokens to, read from its rendered source; undefined
 * when the file or the line is missing, "" when the option is unset. */
export function customAuthnEndpoint(authWebhookPy: string | undefined): string | undefined {
  if (authWebhookPy === undefined) return undefined;
  return /^CUSTOM_AUTHN_ENDPOINT = '([^'\n]*)'\s*$/m.exec(authWebhookPy)?.[1];
}

/** What this unit reports about its principal in its peer unit databag. */
export function peerReport(legacy: RelationSnapshot, principalUnit: string | undefined): Databag {
  const view = parseControlPlaneUnits(legacy.remoteUnitData);
  const [unit, state] = Object.entries(view.units)[0] ?? [principalUnit ?? "", { apiServerState: "unknown" }];
  return { [PEER_UNIT_KEYS.controlPlaneUnit]: unit, [PEER_UNIT_KEYS.apiServer]: state.apiServerState };
}

export interface ApiServerReport {
  /** The aws-iam unit that reported. */
  readonly unit: string;
  /** Its peer unit databag (undefined: nothing reported yet). */
  readonly report: Readonly<Databag> | undefined;
}

/** Why the API servers are not all up, naming the first control-plane unit that is not; undefined when
 * every aws-iam unit reported an API server that is up. */
export function apiServersGate(reports: readonly ApiServerReport[]): Status | undefined {
  const down: string[] = [];
  const silent: string[] = [];
  for (const { unit, report } of reports) {
    const controlPlaneUnit = report?.[PEER_UNIT_KEYS.controlPlaneUnit];
    const state = report?.[PEER_UNIT_KEYS.apiServer] as ApiServerState | undefined;
    if (!controlPlaneUnit || state === undefined) silent.push(unit);
    else if (state !== "up") down.push(controlPlaneUnit);
  }
  const byUnitNumber = (a: string, b: string) => a.localeCompare(b, "en", { numeric: true });
  const first = down.sort(byUnitNumber)[0];
  if (first !== undefined) return waiting(`waiting for the API server on ${first}`);
  const quiet = silent.sort(byUnitNumber)[0];
  if (quiet !== undefined)
    return waiting(`waiting for ${quiet} to report the API server of its control-plane unit`);
  return undefined;
}

/** Legacy gate before the workload: a non-leader waits for its own API server, the leader for all. */
export function legacyGate(snapshot: JujuSnapshot, own: Databag): Status | undefined {
  const reports: ApiServerReport[] = [{ unit: snapshot.context.unitName, report: own }];
  if (snapshot.leader && snapshot.peers !== undefined && !snapshot.peers.breaking) {
    for (const unit of snapshot.peers.remoteUnits) {
      reports.push({ unit, report: snapshot.peers.remoteUnitData[unit] });
    }
  }
  return apiServersGate(reports);
}

/** The operator's line for the current control plane. */
export function authnEndpointLine(app: string, port: number): string {
  return operatorConfigLines({ app, port, apiExtraArgs: "" }).authnWebhookEndpoint;
}
