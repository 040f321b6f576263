// Least-privilege RBAC: only the calls the server makes for the enabled backends (verified in upstream source).
import type {
  V1ClusterRole,
  V1ClusterRoleBinding,
  V1PolicyRule,
  V1Role,
  V1RoleBinding,
} from "@kubernetes/client-node";
import { CRD_GROUP, CRD_PLURAL } from "./crd.ts";
import { ownedLabels } from "./labels.ts";
import { objectNames } from "./names.ts";
import type { ResolvedSpec } from "./spec.ts";

export type RbacObject = V1ClusterRole | V1ClusterRoleBinding | V1Role | V1RoleBinding;

/** The EKSConfigMap backend reads this one object; both are hard-coded upstream (pkg/mapper/configmap). */
export const AWS_AUTH_NAMESPACE = "kube-system";
export const AWS_AUTH_NAME = "aws-auth";
/**
 * client-go's event recorder files events about cluster-scoped objects (our IAMIdentityMappings) in
 * "default" (tools/record/event.go makeEvent), so a Role there is enough; no cluster-wide event rights.
 */
export const EVENTS_NAMESPACE = "default";

const RBAC_GROUP = "rbac.authorization.k8s.io";

/** CRD backend: its informer lists/watches mappings; its controller calls UpdateStatus (never patch). */
function crdRules(): V1PolicyRule[] {
  return [
    { apiGroups: [CRD_GROUP], resources: [CRD_PLURAL], verbs: ["get", "list", "watch"] },
    { apiGroups: [CRD_GROUP], resources: [`${CRD_PLURAL}/status`], verbs: ["update"] },
  ];
}

/** The controller's event sink creates events and patches them when it aggregates repeats. */
function eventRules(): V1PolicyRule[] {
  return [{ apiGroups: [""], resources: ["events"], verbs: ["create", "patch"] }];
}

/**
 * EKSConfigMap backend: the server only watches with fieldSelector metadata.name=aws-auth, and the API server
 * turns that selector into the request's resource name, so resourceNames confines list/watch to aws-auth
 * (apiserver endpoints/request/requestinfo.go). get/list are kept so a move to an informer keeps working.
 */
function awsAuthRules(): V1PolicyRule[] {
  return [
    {
      apiGroups: [""],
      resources: ["configmaps"],
      resourceNames: [AWS_AUTH_NAME],
      verbs: ["get", "list", "watch"],
    },
  ];
}

function subjects(spec: ResolvedSpec): V1RoleBinding["subjects"] {
  return [
    { kind: "ServiceAccount", name: objectNames(spec.appName).serviceAccount, namespace: spec.namespace },
  ];
}

function namespacedGrant(
  spec: ResolvedSpec,
  name: string,
  namespace: string,
  rules: V1PolicyRule[],
): [V1Role, V1RoleBinding] {
  const metadata = { name, namespace, labels: ownedLabels(spec.appName) };
  return [
    { apiVersion: `${RBAC_GROUP}/v1`, kind: "Role", metadata, rules },
    {
      apiVersion: `${RBAC_GROUP}/v1`,
      kind: "RoleBinding",
      metadata: { ...metadata, labels: ownedLabels(spec.appName) },
      roleRef: { apiGroup: RBAC_GROUP, kind: "Role", name },
      subjects: subjects(spec),
    },
  ];
}

function crdGrant(spec: ResolvedSpec): RbacObject[] {
  const names = objectNames(spec.appName);
  const labels = ownedLabels(spec.appName);
  return [
    {
      apiVersion: `${RBAC_GROUP}/v1`,
      kind: "ClusterRole",
      metadata: { name: names.clusterRole, labels },
      rules: crdRules(),
    },
    {
      apiVersion: `${RBAC_GROUP}/v1`,
      kind: "ClusterRoleBinding",
      metadata: { name: names.clusterRoleBinding, labels: ownedLabels(spec.appName) },
      roleRef: { apiGroup: RBAC_GROUP, kind: "ClusterRole", name: names.clusterRole },
      subjects: subjects(spec),
    },
    ...namespacedGrant(spec, names.eventsRole, EVENTS_NAMESPACE, eventRules()),
  ];
}

/** Roles and bindings for the enabled backends, in apply order (role before its binding); none for MountedFile. */
export function buildRbacObjects(spec: ResolvedSpec): RbacObject[] {
  const objects: RbacObject[] = [];
  if (spec.backendModes.includes("CRD")) objects.push(...crdGrant(spec));
  if (spec.backendModes.includes("EKSConfigMap")) {
    objects.push(
      ...namespacedGrant(spec, objectNames(spec.appName).awsAuthRole, AWS_AUTH_NAMESPACE, awsAuthRules()),
    );
  }
  return objects;
}
