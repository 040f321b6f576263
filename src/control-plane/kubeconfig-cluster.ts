// The cluster a kubeconfig's current context points at: the admin kubeconfig CK writes (for the client
// kubeconfig users get) and the charm's own webhook kubeconfig (for verify-token) are both read here.
import { jsYaml } from "../util/lazy-module.ts";

export interface KubeconfigCluster {
  readonly server: string;
  /** certificate-authority-data, decoded. */
  readonly caPem: string;
}

interface KubeconfigDoc {
  readonly "current-context"?: string;
  readonly contexts?: readonly { name?: string; context?: { cluster?: string } }[];
  readonly clusters?: readonly {
    name?: string;
    cluster?: { server?: string; "certificate-authority-data"?: string };
  }[];
}

/** The current context's server and CA; undefined when the text is not YAML or either is missing. */
export function currentCluster(kubeconfigText: string): KubeconfigCluster | undefined {
  const yaml = jsYaml();
  let doc: KubeconfigDoc | null | undefined;
  try {
    doc = yaml.load(kubeconfigText) as KubeconfigDoc | null | undefined;
  } catch (error) {
    if (error instanceof yaml.YAMLException) return undefined;
    throw error;
  }
  const contextName = doc?.["current-context"];
  const clusterName = doc?.contexts?.find((c) => c.name === contextName)?.context?.cluster;
  const cluster = doc?.clusters?.find((c) => c.name === clusterName)?.cluster;
  const caData = cluster?.["certificate-authority-data"];
  if (!cluster?.server || !caData) return undefined;
  return { server: cluster.server, caPem: Buffer.from(caData, "base64").toString("utf8") };
}
