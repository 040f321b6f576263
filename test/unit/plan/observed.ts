import type { HookContext } from "../../../src/juju/context.ts";
import type { Databag } from "../../../src/juju/hook-tools.ts";
import type { JujuSnapshot, RelationSnapshot } from "../../../src/observe/juju.ts";
import type { Observed } from "../../../src/observe/observe.ts";
import { readPeerApp } from "../../../src/plan/peer-databag.ts";
import { CONFIG_DEFAULTS as DEFAULTS } from "../../support/config-defaults.ts";

export const NOW = new Date("2026-06-01T12:00:00Z");

/** config-get with config.yaml's defaults (every option, so a new one cannot make the fixture invalid). */
export const CONFIG: Readonly<Record<string, unknown>> = {
  ...DEFAULTS,
  image: "rocks.canonical.com/cdk/aws-iam-authenticator:v0.7.2",
  port: 21362,
  "cluster-id": "",
  "backend-mode": "CRD",
  "token-webhook-cache-ttl": "",
  "remove-crd-on-removal": false,
  "install-ca-to-host": true,
  "certificate-common-name": "aws-iam-authenticator",
  partition: "aws",
  "map-roles": "",
  "map-users": "",
  "map-accounts": "",
  "reserved-username-prefixes": "",
  "irsa-issuer-url": "",
  "irsa-webhook-image": "public.ecr.aws/eks/amazon-eks-pod-identity-webhook:v0.6.17",
  "irsa-token-audience": "sts.amazonaws.com",
  "irsa-default-region": "",
  "irsa-sts-regional-endpoints": true,
  "irsa-annotation-prefix": "eks.amazonaws.com",
};

export function context(
  unitName = "aws-iam/0",
  hook = "update-status",
  more: Partial<HookContext> = {},
): HookContext {
  return {
    dispatchPath: `hooks/${hook}`,
    kind: "hook",
    name: hook,
    unitName,
    appName: "aws-iam",
    principalUnit: "kubernetes-control-plane/0",
    jujuVersion: "3.6.1",
    modelName: "m",
    relation: undefined,
    actionId: undefined,
    secret: undefined,
    ...more,
  };
}

export function relation(
  endpoint: string,
  id: number,
  more: Partial<RelationSnapshot> = {},
): RelationSnapshot {
  return {
    ref: `${endpoint}:${id}`,
    endpoint,
    remoteApp: undefined,
    remoteUnits: [],
    remoteUnitData: {},
    remoteAppData: {},
    localUnitData: {},
    localAppData: undefined,
    breaking: false,
    ...more,
  };
}

export interface Seen {
  readonly leader?: boolean;
  readonly unit?: string;
  readonly hook?: string;
  readonly context?: Partial<HookContext>;
  readonly config?: Record<string, unknown>;
  readonly certificates?: RelationSnapshot;
  readonly controlPlane?: RelationSnapshot;
  readonly legacyControlPlane?: RelationSnapshot;
  /** The peer app bag (wire keys); undefined: no peer relation. */
  readonly peerApp?: Databag;
  readonly peerUnit?: Databag;
  readonly peerRemoteUnits?: Record<string, Databag>;
  readonly files?: Record<string, string | undefined>;
  readonly tlsSecret?: { id: string; content: Databag };
  readonly leaderSettings?: Databag;
  readonly now?: Date;
}

export function observed(seen: Seen = {}): Observed {
  const leader = seen.leader ?? true;
  const ctx = context(seen.unit, seen.hook, seen.context);
  const peers =
    seen.peerApp === undefined
      ? undefined
      : relation("aws-iam-peers", 1, {
          localAppData: seen.peerApp,
          localUnitData: seen.peerUnit ?? {},
          remoteUnits: Object.keys(seen.peerRemoteUnits ?? {}),
          remoteUnitData: seen.peerRemoteUnits ?? {},
        });
  const juju: JujuSnapshot = {
    context: ctx,
    leader,
    config: { ...CONFIG, ...seen.config },
    legacyControlPlane: seen.legacyControlPlane,
    controlPlane: seen.controlPlane,
    certificates: seen.certificates,
    peers,
  };
  return {
    context: ctx,
    juju,
    peerApp: readPeerApp(peers?.localAppData),
    now: seen.now ?? NOW,
    files: seen.files ?? {},
    ...(seen.tlsSecret !== undefined ? { tlsSecret: seen.tlsSecret } : {}),
    ...(seen.leaderSettings !== undefined ? { leaderSettings: seen.leaderSettings } : {}),
  };
}
