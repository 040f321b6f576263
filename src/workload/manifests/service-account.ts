// Identity of the server pods; the API token is mounted only when a backend actually calls the API.
import type { V1ServiceAccount } from "@kubernetes/client-node";
import { ownedLabels } from "./labels.ts";
import { objectNames } from "./names.ts";
import type { ResolvedSpec } from "./spec.ts";

/** Token automount is off here and switched on per pod (daemon-set.ts) only for CRD/EKSConfigMap. */
export function buildServiceAccount(spec: ResolvedSpec): V1ServiceAccount {
  return {
    apiVersion: "v1",
    kind: "ServiceAccount",
    metadata: {
      name: objectNames(spec.appName).serviceAccount,
      namespace: spec.namespace,
      labels: ownedLabels(spec.appName),
    },
    automountServiceAccountToken: false,
  };
}

/** Whether the server talks to the Kubernetes API at all with these backends. */
export function needsApiAccess(spec: ResolvedSpec): boolean {
  return spec.backendModes.includes("CRD") || spec.backendModes.includes("EKSConfigMap");
}
