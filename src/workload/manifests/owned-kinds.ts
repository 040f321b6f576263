// Every kind the builders emit, with the path to list it by label across all namespaces: what the apply prunes
// and teardown deletes (k8s/known-resources.ts PRUNE_KINDS).

export interface OwnedKind {
  readonly apiVersion: string;
  readonly kind: string;
  readonly namespaced: boolean;
  /** All-namespaces collection path: `GET <listPath>?labelSelector=<ownedLabelSelector(app)>` finds ours. */
  readonly listPath: string;
  /** False for the CRD: it is shared by every deployment and deleting it deletes every IAMIdentityMapping. */
  readonly prune: boolean;
}

export const OWNED_KINDS: readonly OwnedKind[] = [
  {
    apiVersion: "apiextensions.k8s.io/v1",
    kind: "CustomResourceDefinition",
    namespaced: false,
    listPath: "/apis/apiextensions.k8s.io/v1/customresourcedefinitions",
    prune: false,
  },
  {
    apiVersion: "v1",
    kind: "ServiceAccount",
    namespaced: true,
    listPath: "/api/v1/serviceaccounts",
    prune: true,
  },
  {
    apiVersion: "rbac.authorization.k8s.io/v1",
    kind: "ClusterRole",
    namespaced: false,
    listPath: "/apis/rbac.authorization.k8s.io/v1/clusterroles",
    prune: true,
  },
  {
    apiVersion: "rbac.authorization.k8s.io/v1",
    kind: "ClusterRoleBinding",
    namespaced: false,
    listPath: "/apis/rbac.authorization.k8s.io/v1/clusterrolebindings",
    prune: true,
  },
  {
    apiVersion: "rbac.authorization.k8s.io/v1",
    kind: "Role",
    namespaced: true,
    listPath: "/apis/rbac.authorization.k8s.io/v1/roles",
    prune: true,
  },
  {
    apiVersion: "rbac.authorization.k8s.io/v1",
    kind: "RoleBinding",
    namespaced: true,
    listPath: "/apis/rbac.authorization.k8s.io/v1/rolebindings",
    prune: true,
  },
  { apiVersion: "v1", kind: "ConfigMap", namespaced: true, listPath: "/api/v1/configmaps", prune: true },
  { apiVersion: "v1", kind: "Secret", namespaced: true, listPath: "/api/v1/secrets", prune: true },
  {
    apiVersion: "apps/v1",
    kind: "DaemonSet",
    namespaced: true,
    listPath: "/apis/apps/v1/daemonsets",
    prune: true,
  },
];
