// Labels that mark objects as this charm's, scoped by Juju application so two deployments never collide.

export const LABEL_NAME = "app.kubernetes.io/name";
export const LABEL_INSTANCE = "app.kubernetes.io/instance";
export const LABEL_MANAGED_BY = "app.kubernetes.io/managed-by";
export const LABEL_COMPONENT = "app.kubernetes.io/component";

/** Distinct from Juju's own "juju" value so nothing else ever prunes or adopts these objects. */
export const MANAGED_BY = "charm-aws-iam";
export const APP_NAME_LABEL_VALUE = "aws-iam-authenticator";

/** Immutable DaemonSet selector: never add keys here, Kubernetes rejects selector changes. */
export function selectorLabels(appName: string): Record<string, string> {
  return { [LABEL_NAME]: APP_NAME_LABEL_VALUE, [LABEL_INSTANCE]: appName };
}

/** Labels on every object that belongs to one Juju application. */
export function ownedLabels(appName: string): Record<string, string> {
  return { ...selectorLabels(appName), [LABEL_MANAGED_BY]: MANAGED_BY };
}

/**
 * Labels for cluster-wide objects every deployment shares (the CRD): no instance label, so pruning one
 * application's objects by ownedLabelSelector can never delete another deployment's mappings.
 */
export function sharedLabels(): Record<string, string> {
  return { [LABEL_NAME]: APP_NAME_LABEL_VALUE, [LABEL_MANAGED_BY]: MANAGED_BY };
}

/** Label selector (API `labelSelector` syntax) matching exactly one application's objects. */
export function ownedLabelSelector(appName: string): string {
  return Object.entries(ownedLabels(appName))
    .map(([key, value]) => `${key}=${value}`)
    .join(",");
}
