/** Where the charm keeps things on the control-plane machine. */
export const PATHS = {
  /** Read by the legacy control plane (`clusters[0].cluster.server`). */
  webhookKubeconfig: "/root/cdk/aws-iam-webhook.yaml",
  /** The control plane's admin kubeconfig, written by kubernetes-control-plane. */
  adminKubeconfig: "/root/.kube/config",
  /** Our CA in the host trust store, so the control plane's auth-webhook verifies TLS to us. */
  hostTrustedCa: "/usr/local/share/ca-certificates/aws-iam-authenticator-ca.crt",
} as const;

/** Unit-local bookkeeping (never secrets): one file per unit, since several units of
 * different applications can share a machine. */
export function unitCachePath(unitName: string): string {
  return `/var/lib/juju-aws-iam/${unitName.replace("/", "-")}.json`;
}

/** Which certificate this unit materialised (fingerprint, expiry, provider; never the key). */
export function unitTlsRecordPath(unitName: string): string {
  return `/var/lib/juju-aws-iam/${unitName.replace("/", "-")}-tls.json`;
}
