// After `juju refresh` from the reactive charm-aws-iam: remove the Kubernetes objects it deployed that
// are not ours (its Deployment, Service and Secret `aws-iam-certs`; with an application not named
// `aws-iam`, also its ServiceAccount, RBAC and ConfigMap), once our DaemonSet serves every control-plane
// node. Objects whose names equal ours (with the application `aws-iam`: the ServiceAccount, ClusterRole,
// ClusterRoleBinding and ConfigMap `aws-iam-authenticator`) are taken over by the leader's forced
// server-side apply before this runs, and the IAMIdentityMapping CRD (with every mapping in it) is shared
// and adopted the same way: neither is ever deleted here.
import type { KubernetesObject } from "@kubernetes/client-node";
import { describeRef, type ObjectRef, refKey } from "../k8s/client.ts";
import type { Observed } from "../observe/observe.ts";
import type { LogLine, Plan } from "../plan/plan.ts";
import { DEFAULT_NAMESPACE, objectNames } from "../workload/manifests/index.ts";
import { LABEL_MANAGED_BY, MANAGED_BY } from "../workload/manifests/labels.ts";

/** Leader-settings keys where the reactive charm kept its server certificate and private key. */
const REACTIVE_TLS_KEYS = ["cert", "key"] as const;

/** After a refresh from the reactive charm its server key sits in leader settings, readable by every
 * unit: drop it (and its certificate), in the hook that read leader settings for its cluster ID. */
export function forgetReactiveTls(observed: Observed): Plan {
  const settings = observed.leaderSettings;
  if (!observed.juju.leader || settings === undefined) return {};
  const stale = REACTIVE_TLS_KEYS.filter((key) => settings[key]);
  if (stale.length === 0) return {};
  return {
    leaderSettings: Object.fromEntries(stale.map((key) => [key, ""])),
    logs: [
      {
        level: "INFO",
        message: "removed the reactive aws-iam charm's certificate and key from leader settings",
      },
    ],
  };
}

/** The name every object of the reactive charm's templates carries (except its Secret). */
const OLD_NAME = "aws-iam-authenticator";
const OLD_SECRET = "aws-iam-certs";
/** Label on every object of the reactive templates but the Secret. */
const OLD_LABEL = "aws-iam";
/** Pod label of the old Deployment, and the old Service's selector. */
const OLD_APP_LABEL = "k8s-app";

interface ReactiveObject {
  readonly ref: ObjectRef;
  /** Whether the live object has the shape the reactive charm gave it (so nobody else made it). */
  readonly isReactive: (live: KubernetesObject) => boolean;
}

type Labels = Readonly<Record<string, string>>;
const labelsOf = (object: KubernetesObject): Labels => object.metadata?.labels ?? {};
const fieldOf = (object: KubernetesObject, key: string): unknown => (object as Record<string, unknown>)[key];
const recordOf = (value: unknown): Readonly<Record<string, unknown>> =>
  typeof value === "object" && value !== null ? (value as Record<string, unknown>) : {};

/** Labelled `aws-iam: "true"` by the reactive templates, and not (yet) one of ours. */
const oldLabelled = (object: KubernetesObject): boolean => labelsOf(object)[OLD_LABEL] === "true";
const withOldApp = (object: KubernetesObject): boolean =>
  oldLabelled(object) && labelsOf(object)[OLD_APP_LABEL] === OLD_NAME;

/** The reactive charm's objects (src/templates/*.yaml and templates/certs.yaml), dependents first. */
const REACTIVE_OBJECTS: readonly ReactiveObject[] = [
  {
    ref: { apiVersion: "apps/v1", kind: "Deployment", namespace: DEFAULT_NAMESPACE, name: OLD_NAME },
    isReactive: withOldApp,
  },
  {
    ref: { apiVersion: "v1", kind: "Service", namespace: DEFAULT_NAMESPACE, name: OLD_NAME },
    isReactive: (live) =>
      oldLabelled(live) && recordOf(recordOf(fieldOf(live, "spec"))["selector"])[OLD_APP_LABEL] === OLD_NAME,
  },
  {
    // Unlabelled in its template: recognised by its exact data keys.
    ref: { apiVersion: "v1", kind: "Secret", namespace: DEFAULT_NAMESPACE, name: OLD_SECRET },
    isReactive: (live) =>
      (fieldOf(live, "type") ?? "Opaque") === "Opaque" &&
      Object.keys(recordOf(fieldOf(live, "data")))
        .sort()
        .join(",") === "cert.pem,key.pem",
  },
  {
    ref: { apiVersion: "v1", kind: "ConfigMap", namespace: DEFAULT_NAMESPACE, name: OLD_NAME },
    isReactive: withOldApp,
  },
  {
    ref: { apiVersion: "rbac.authorization.k8s.io/v1", kind: "ClusterRoleBinding", name: OLD_NAME },
    isReactive: oldLabelled,
  },
  {
    ref: { apiVersion: "rbac.authorization.k8s.io/v1", kind: "ClusterRole", name: OLD_NAME },
    isReactive: oldLabelled,
  },
  {
    ref: { apiVersion: "v1", kind: "ServiceAccount", namespace: DEFAULT_NAMESPACE, name: OLD_NAME },
    isReactive: oldLabelled,
  },
];

/** Ours (by kind and name) for `appName`: never candidates, whatever labels they still carry. */
function ourNames(appName: string): ReadonlySet<string> {
  const names = objectNames(appName);
  return new Set([
    `ServiceAccount|${DEFAULT_NAMESPACE}|${names.serviceAccount}`,
    `ClusterRole||${names.clusterRole}`,
    `ClusterRoleBinding||${names.clusterRoleBinding}`,
    `Role|${DEFAULT_NAMESPACE}|${names.awsAuthRole}`,
    `Role|${DEFAULT_NAMESPACE}|${names.eventsRole}`,
    `ConfigMap|${DEFAULT_NAMESPACE}|${names.configMap}`,
    `Secret|${DEFAULT_NAMESPACE}|${names.secret}`,
    `DaemonSet|${DEFAULT_NAMESPACE}|${names.daemonSet}`,
  ]);
}

/** The reactive charm's objects that `appName`'s own objects do not replace by name. */
function reactiveLeftovers(appName: string): readonly ReactiveObject[] {
  const ours = ourNames(appName);
  return REACTIVE_OBJECTS.filter(({ ref }) => !ours.has(`${ref.kind}|${ref.namespace ?? ""}|${ref.name}`));
}

/** The objects to GET once ours serves every control-plane node (the watch's lookUp). */
export function reactiveLookUps(appName: string): readonly ObjectRef[] {
  return reactiveLeftovers(appName).map(({ ref }) => ref);
}

/** From what the look-up found: delete those with the reactive shape (dependents first), keep the others,
 * and record for good that this is done. A 404 counts as gone. Never the CRD or any IAMIdentityMapping. */
export function decideLeftovers(
  appName: string,
  lookedUp: ReadonlyMap<string, KubernetesObject | undefined>,
): Plan {
  const deletes: ObjectRef[] = [];
  const kept: string[] = [];
  for (const { ref, isReactive } of reactiveLeftovers(appName)) {
    const live = lookedUp.get(refKey(ref));
    if (live === undefined) continue;
    if (labelsOf(live)[LABEL_MANAGED_BY] === MANAGED_BY || !isReactive(live)) kept.push(describeRef(ref));
    else deletes.push(ref);
  }
  // No "removed" line here: the deletes may fail (charm.ts deleteAfterWatch keeps them for a later
  // hook), so each is logged by the commit once the API server has deleted it.
  const logs: LogLine[] = [];
  if (kept.length > 0) {
    logs.push({
      level: "INFO",
      message: `kept ${kept.join(", ")}: not shaped as the reactive aws-iam charm made them`,
    });
  }
  return {
    peerApp: { reactiveObjectsRemoved: "true" },
    ...(deletes.length > 0 ? { kubernetesDeletes: deletes } : {}),
    ...(logs.length > 0 ? { logs } : {}),
  };
}
