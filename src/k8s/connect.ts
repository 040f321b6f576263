// From the control plane's admin kubeconfig to a KubeClient, or the reason there is none (never a throw).
import { KubeConfig } from "@kubernetes/client-node";
import type { KubeClient } from "./client.ts";
import { KubeUnavailable } from "./errors.ts";
import { type ClientOptions, NodeKubeClient } from "./node-client.ts";

/** Written by kubernetes-control-plane on every control-plane machine. */
export const ADMIN_KUBECONFIG = "/root/.kube/config";

export interface KubeConnection {
  readonly kubeConfig: KubeConfig;
  readonly path: string;
  readonly context: string;
  /** API server URL of the current context. */
  readonly server: string;
}

function errnoOf(error: unknown): string | undefined {
  const code = error !== null && typeof error === "object" ? (error as { code?: unknown }).code : undefined;
  return typeof code === "string" ? code : undefined;
}

/**
 * Loads `path` (the admin kubeconfig outside tests). Parse errors are not quoted: js-yaml's message
 * carries a snippet of the file, which may be a token or a key.
 */
export function loadKubeconfig(path: string = ADMIN_KUBECONFIG): KubeConnection | KubeUnavailable {
  return loadInto(path, (kubeConfig) => kubeConfig.loadFromFile(path));
}

/** loadKubeconfig from the file's text, as read through MachineFiles (undefined: the file is absent). */
export function loadKubeconfigText(text: string | undefined, path: string): KubeConnection | KubeUnavailable {
  if (text === undefined)
    return new KubeUnavailable("missing-kubeconfig", path, `kubeconfig ${path} not found`);
  return loadInto(path, (kubeConfig) => kubeConfig.loadFromString(text));
}

function loadInto(path: string, load: (kubeConfig: KubeConfig) => void): KubeConnection | KubeUnavailable {
  const kubeConfig = new KubeConfig();
  try {
    load(kubeConfig);
  } catch (error) {
    const errno = errnoOf(error);
    if (errno === "ENOENT") {
      return new KubeUnavailable("missing-kubeconfig", path, `kubeconfig ${path} not found`);
    }
    const why = errno ? `cannot be read (${errno})` : "is not a valid kubeconfig";
    return new KubeUnavailable("unreadable-kubeconfig", path, `kubeconfig ${path} ${why}`);
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

/** A client for the cluster in `path`, or why there is none. Makes no request. */
export function connect(
  path: string = ADMIN_KUBECONFIG,
  options: ClientOptions = {},
): KubeClient | KubeUnavailable {
  const connection = loadKubeconfig(path);
  if (connection instanceof KubeUnavailable) return connection;
  return new NodeKubeClient(connection.kubeConfig, options);
}

/** connect() from the kubeconfig's text (see loadKubeconfigText). */
export function connectText(
  text: string | undefined,
  path: string,
  options: ClientOptions = {},
): KubeClient | KubeUnavailable {
  const connection = loadKubeconfigText(text, path);
  if (connection instanceof KubeUnavailable) return connection;
  return new NodeKubeClient(connection.kubeConfig, options);
}
