// From the control plane's admin kubeconfig (its text, as read through MachineFiles) to a KubeClient, or
// the reason there is none (never a throw).
import { KubeConfig } from "@kubernetes/client-node";
import type { KubeClient } from "./client.ts";
import { KubeUnavailable } from "./errors.ts";
import { type ClientOptions, NodeKubeClient } from "./node-client.ts";

export interface KubeConnection {
  readonly kubeConfig: KubeConfig;
  readonly path: string;
  readonly context: string;
  /** API server URL of the current context. */
  readonly server: string;
}

/**
 * The kubeconfig `path` holds, from its text (undefined: the file is absent). Parse errors are not
 * quoted: js-yaml's message carries a snippet of the file, which may be a token or a key.
 */
export function loadKubeconfigText(text: string | undefined, path: string): KubeConnection | KubeUnavailable {
  if (text === undefined)
    return new KubeUnavailable("missing-kubeconfig", path, `kubeconfig ${path} not found`);
  const kubeConfig = new KubeConfig();
  try {
    kubeConfig.loadFromString(text);
  } catch {
    return new KubeUnavailable("unreadable-kubeconfig", path, `kubeconfig ${path} is not a valid kubeconfig`);
  }
  const context = kubeConfig.getCurrentContext();
  const cluster = kubeConfig.getCurrentCluster();
  if (!context || !kubeConfig.getContextObject(context) || !cluster?.server) {
    return new KubeUnavailable(
      "no-current-context",
      path,
      `kubeconfig ${path} has no current context with a cluster server`,
    );
  }
  return { kubeConfig, path, context, server: cluster.server };
}

/** A client for the cluster in the kubeconfig's text (see loadKubeconfigText), or why there is none.
 * Makes no request. */
export function connectText(
  text: string | undefined,
  path: string,
  options: ClientOptions = {},
): KubeClient | KubeUnavailable {
  const connection = loadKubeconfigText(text, path);
  if (connection instanceof KubeUnavailable) return connection;
  return new NodeKubeClient(connection.kubeConfig, options);
}
