/** The control-plane feature, pure, for both kubernetes-control-plane generations: the webhook
 * kubeconfig and the host trust store on every unit; beside the legacy (reactive) control plane the
 * peer report of the principal's API server, the gate on every API server being up, and our unit
 * databag on the aws-iam relation; beside the current (ops) one the `juju config` line until the
 * control plane forwards to us. */
import type { CharmConfig } from "../config/charm-config.ts";
import { PATHS } from "../machine/paths.ts";
import type { Observed } from "../observe/observe.ts";
import type { ControlPlane } from "../observe/topology.ts";
import { PEER_UNIT_KEYS } from "../plan/peer-databag.ts";
import type { LogLine, Plan } from "../plan/plan.ts";
import { blocked, type Status } from "../plan/status.ts";
import { legacyRequirerWrites } from "./legacy-relation.ts";
import { hostTrust } from "./root-ca.ts";
import {
  authnEndpointLine,
  customAuthnEndpoint,
  legacyGate,
  OPS_AUTH_WEBHOOK_PATH,
  peerReport,
  REACTIVE_LEFTOVER_FILES,
  type WebhookFiles,
  webhookFiles,
} from "./rules.ts";
import { webhookEndpointUrl } from "./webhook-endpoint.ts";

export interface ControlPlaneInput {
  readonly config: CharmConfig;
  readonly controlPlane: ControlPlane;
  /** The CA of the certificate in use. */
  readonly caPem: string;
  /** The application that issued it. */
  readonly provider: string;
  readonly clusterId: string | undefined;
  readonly apiExtraArgs: string;
}

export interface ControlPlaneDecision {
  /** Machine files, host trust, the peer report: everything before the workload. */
  readonly plan: Plan;
  /** Set when the workload must not go on (the CA cannot be trusted; a non-leader's gate). */
  readonly stop?: Status;
  /** Legacy: the leader's gate (it only looks, applies nothing). */
  readonly gate?: Status;
  /** Our legacy unit databag once it is known whether this node serves (false until then). */
  readonly legacyUnitData: (webhookReady: boolean) => Plan;
}

/** Reads that are local files: what this feature looks at on the machine. */
export const CONTROL_PLANE_FILES = [
  PATHS.webhookKubeconfig,
  OPS_AUTH_WEBHOOK_PATH,
  ...REACTIVE_LEFTOVER_FILES,
];

export function decideControlPlane(observed: Observed, input: ControlPlaneInput): ControlPlaneDecision {
  const { juju } = observed;
  const legacy = input.controlPlane.generation === "legacy" ? input.controlPlane.relation : undefined;
  const legacyUnitData = (webhookReady: boolean): Plan =>
    legacy === undefined
      ? {}
      : {
          unitData: {
            [legacy.ref]: legacyRequirerWrites({
              clusterId: input.clusterId,
              webhookReady,
              apiExtraArgs: input.apiExtraArgs,
            }),
          },
        };
  const report = legacy !== undefined ? peerReport(legacy, observed.context.principalUnit) : undefined;
  const peerUnit: Plan =
    report !== undefined
      ? {
          peerUnit: {
            controlPlaneUnit: report[PEER_UNIT_KEYS.controlPlaneUnit],
            apiServer: report[PEER_UNIT_KEYS.apiServer],
          },
        }
      : {};
  if (input.clusterId === undefined) return { plan: peerUnit, legacyUnitData };

  const logs: LogLine[] = [];
  const removals: Record<string, null> = {};
  for (const path of REACTIVE_LEFTOVER_FILES) {
    if (observed.files[path] === undefined) continue;
    removals[path] = null;
    logs.push(info(`removed ${path}, left by the reactive aws-iam charm`));
  }
  let files: WebhookFiles;
  try {
    files = webhookFiles(input.config.port, input.caPem, observed.files[PATHS.webhookKubeconfig]);
  } catch (error) {
    if (!(error instanceof RangeError)) throw error;
    const stop = blocked(`cannot trust the certificate provider's CA: ${error.message}`);
    return { plan: { ...peerUnit, files: removals, logs }, stop, legacyUnitData };
  }
  if (observed.files[PATHS.webhookKubeconfig] !== files.kubeconfig) {
    logs.push(info(`wrote ${PATHS.webhookKubeconfig} (${webhookEndpointUrl(input.config.port)})`));
  }
  // The kubeconfig keeps the anchor alone (kube-apiserver's Go verifier accepts an intermediate); the
  // host trust store is for OpenSSL clients, which need the root above it.
  const trust = input.config.installCaToHost
    ? hostTrust(files.trustedCa, input.config.rootCaCertificate, input.provider || "the certificate provider")
    : undefined;
  const notes = [
    ...(trust?.note !== undefined ? [trust.note] : []),
    ...(input.controlPlane.generation === "current" ? forwardingHint(observed, input) : []),
  ];
  const plan: Plan = {
    ...peerUnit,
    files: { ...removals, [PATHS.webhookKubeconfig]: { content: files.kubeconfig, mode: 0o600 } },
    hostTrust: trust?.trustedCa ?? null,
    logs,
    ...(notes.length > 0 ? { activeNotes: notes } : {}),
  };
  // Legacy: deploy only once every control-plane unit says its API server is up.
  const gate = report !== undefined ? legacyGate(juju, report) : undefined;
  if (gate !== undefined && !juju.leader) return { plan, stop: gate, legacyUnitData };
  return { plan, ...(gate !== undefined ? { gate } : {}), legacyUnitData };
}

/** Current control plane: the operator's `juju config` line, appended while our status is active,
 * until the control plane's rendered auth-webhook forwards to us. */
function forwardingHint(observed: Observed, input: ControlPlaneInput): string[] {
  const forwarded =
    customAuthnEndpoint(observed.files[OPS_AUTH_WEBHOOK_PATH]) === webhookEndpointUrl(input.config.port);
  if (forwarded) return [];
  const app = input.controlPlane.relation.remoteApp ?? "kubernetes-control-plane";
  return [`run: ${authnEndpointLine(app, input.config.port)}`];
}

const info = (message: string): LogLine => ({ level: "INFO", message });
