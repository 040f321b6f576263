import type { Databag } from "../juju/hook-tools.ts";

/** Keys of the peer application databag: the leader writes, every unit reads. Wire names are kept as
 * they are: deployed units read them. */
export const PEER_APP_KEYS = {
  clusterId: "generated-cluster-id",
  appliedHash: "applied-hash",
  reactiveObjectsRemoved: "reactive-objects-removed",
  tlsSecretId: "tls-secret-id",
  tlsFingerprint: "tls-fingerprint",
  tlsExpires: "tls-expires",
  tlsCa: "tls-ca",
  tlsReRequestFor: "tls-rerequest-for",
} as const;

/** Keys of each unit's peer unit databag (beside the legacy control plane only). */
export const PEER_UNIT_KEYS = { controlPlaneUnit: "control-plane-unit", apiServer: "api-server" } as const;

export type PeerApp = { readonly [K in keyof typeof PEER_APP_KEYS]?: string };
/** A write: the fields named; undefined deletes the key. */
export type PeerAppWrite = { readonly [K in keyof typeof PEER_APP_KEYS]?: string | undefined };
export type PeerUnitWrite = { readonly [K in keyof typeof PEER_UNIT_KEYS]?: string | undefined };

/** The peer app bag as fields; "" and missing both read as absent. */
export function readPeerApp(bag: Readonly<Databag> | undefined): PeerApp {
  const out: Record<string, string> = {};
  for (const [field, key] of Object.entries(PEER_APP_KEYS)) {
    const value = bag?.[key];
    if (value) out[field] = value;
  }
  return out;
}

/** The databag keys for the fields named in `write` (Juju deletes a key set to ""). */
function writes<K extends string>(
  keys: Readonly<Record<K, string>>,
  write: { readonly [F in K]?: string | undefined },
): Databag {
  const out: Databag = {};
  for (const [field, value] of Object.entries(write))
    out[keys[field as K]] = (value as string | undefined) ?? "";
  return out;
}

export const peerAppWrites = (write: PeerAppWrite): Databag => writes(PEER_APP_KEYS, write);
export const peerUnitWrites = (write: PeerUnitWrite): Databag => writes(PEER_UNIT_KEYS, write);
