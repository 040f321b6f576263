import type { KubernetesObject } from "@kubernetes/client-node";
import type { Databag } from "../juju/hook-tools.ts";
import type { ObjectRef } from "../k8s/client.ts";
import type { PeerApp, PeerAppWrite, PeerUnitWrite } from "./peer-databag.ts";
import type { Status } from "./status.ts";

export interface FileWant {
  readonly content: string;
  readonly mode: number;
}

/** One application-owned secret, by label; `content` is the whole content. */
export interface SecretWant {
  readonly label: string;
  readonly description: string;
  readonly content: Databag;
  /** The peer-app field that carries the secret's id (secret-add returns it in this very hook). */
  readonly shareIdAs?: keyof PeerApp;
}

export interface KubernetesWant {
  readonly objects: readonly KubernetesObject[];
  readonly fieldManager: string;
  readonly ownedLabels: Readonly<Record<string, string>>;
  readonly previousHash: string | undefined;
}

export interface LogLine {
  readonly level: "INFO" | "WARNING";
  /** Never a key or a token. */
  readonly message: string;
}

/** What one feature wants this hook; mergePlans combines the features' parts. */
export interface Plan {
  /** Our unit databag per relation ref ("endpoint:id"): only the keys named are managed ("" deletes). */
  readonly unitData?: Readonly<Record<string, Databag>>;
  /** Leader only: peer application databag fields. */
  readonly peerApp?: PeerAppWrite;
  /** This unit's peer unit databag fields. */
  readonly peerUnit?: PeerUnitWrite;
  /** Leader only. */
  readonly secret?: SecretWant;
  /** Leader only: old revisions of our secret that nobody tracks (secret-remove hook). */
  readonly secretRevisionsToRemove?: readonly { readonly id: string; readonly revision: number }[];
  /** Leader only: leader-settings keys ("" deletes). */
  readonly leaderSettings?: Databag;
  /** Machine files by machine path: the content wanted, or null to remove the file. */
  readonly files?: Readonly<Record<string, FileWant | null>>;
  /** The host trust store: our CA bundle, or null to take ours out; absent leaves it alone. */
  readonly hostTrust?: string | null;
  /** Leader only: the authenticator's objects (server-side apply when their hash changed, then prune). */
  readonly kubernetes?: KubernetesWant;
  /** Objects to delete, in this order. */
  readonly kubernetesDeletes?: readonly ObjectRef[];
  readonly unitStatus?: readonly Status[];
  /** Leader only; without it the application shows the unit's status. */
  readonly appStatus?: readonly Status[];
  readonly workloadVersion?: string;
  /** Appended to the unit's (and the leader's app) status when that status is active, "; "-separated:
   * the operator's `juju config` line until the control plane forwards to us. */
  readonly activeNotes?: readonly string[];
  /** Written after the writes they describe. */
  readonly logs?: readonly LogLine[];
  /** The Kubernetes node this unit found itself on: cached (unit cache) once served there, so later
   * hooks skip finding it. */
  readonly node?: string;
}

type Bag = Readonly<Record<string, unknown>>;

/** Key-by-key union; a key two parts set differently is a bug in the features' split. */
function mergeBags<T extends Bag>(what: string, bags: readonly (T | undefined)[]): T | undefined {
  const out: Record<string, unknown> = {};
  let any = false;
  for (const bag of bags) {
    if (bag === undefined) continue;
    any = true;
    for (const [key, value] of Object.entries(bag)) {
      if (key in out && out[key] !== value) throw new Error(`two features want ${what} ${key}`);
      out[key] = value;
    }
  }
  return any ? (out as T) : undefined;
}

function single<T>(what: string, values: readonly (T | undefined)[]): T | undefined {
  const present = values.filter((value) => value !== undefined);
  if (present.length > 1) throw new Error(`two features want ${what}`);
  return present[0];
}

function concat<T>(lists: readonly (readonly T[] | undefined)[]): readonly T[] | undefined {
  const present = lists.filter((list) => list !== undefined);
  return present.length === 0 ? undefined : present.flat();
}

/** Combines the features' parts, in feature order (so statuses of equal severity keep that order). */
export function mergePlans(parts: readonly Plan[]): Plan {
  const refs = [...new Set(parts.flatMap((part) => Object.keys(part.unitData ?? {})))];
  const unitData = Object.fromEntries(
    refs.map((ref) => [
      ref,
      mergeBags<Databag>(
        `${ref} key`,
        parts.map((part) => part.unitData?.[ref]),
      ) ?? {},
    ]),
  );
  /** Every part's value of one field, in feature order. */
  const each = <K extends keyof Plan>(key: K): Plan[K][] => parts.map((part) => part[key]);
  const plan: Record<string, unknown> = {
    unitData: refs.length > 0 ? unitData : undefined,
    peerApp: mergeBags("peer app field", each("peerApp")),
    peerUnit: mergeBags("peer unit field", each("peerUnit")),
    secret: single("the secret", each("secret")),
    secretRevisionsToRemove: concat(each("secretRevisionsToRemove")),
    leaderSettings: mergeBags("leader setting", each("leaderSettings")),
    files: mergeBags("file", each("files")),
    hostTrust: single("the host trust store", each("hostTrust")),
    kubernetes: single("the Kubernetes objects", each("kubernetes")),
    kubernetesDeletes: concat(each("kubernetesDeletes")),
    unitStatus: concat(each("unitStatus")),
    appStatus: concat(each("appStatus")),
    activeNotes: concat(each("activeNotes")),
    workloadVersion: single("the workload version", each("workloadVersion")),
    logs: concat(each("logs")),
    node: single("the node", each("node")),
  };
  return Object.fromEntries(Object.entries(plan).filter(([, value]) => value !== undefined)) as Plan;
}

/** A status about the whole application: the unit's, and the application's (the commit sets the latter
 * only on the leader). */
export function unitAndApp(status: Status): Plan {
  return { unitStatus: [status], appStatus: [status] };
}
