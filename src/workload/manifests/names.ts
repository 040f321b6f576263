// Object names derived from the Juju application, so two deployments in one cluster never share an object.

export interface ObjectNames {
  readonly serviceAccount: string;
  readonly clusterRole: string;
  readonly clusterRoleBinding: string;
  readonly awsAuthRole: string;
  readonly eventsRole: string;
  readonly configMap: string;
  readonly secret: string;
  readonly daemonSet: string;
}

/** Names for every per-application object; "<app>-authenticator" stays within 63 characters (appName ≤ 49). */
export function objectNames(appName: string): ObjectNames {
  const base = `${appName}-authenticator`;
  return {
    serviceAccount: base,
    clusterRole: base,
    clusterRoleBinding: base,
    awsAuthRole: `${base}-aws-auth`,
    eventsRole: `${base}-events`,
    configMap: base,
    secret: `${base}-tls`,
    daemonSet: base,
  };
}
