// Observe step for IRSA: the two discovery documents exactly as the API server serves them, read on the
// hook's one Kubernetes client (the admin kubeconfig's credentials and kept-alive connection), and only
// from a server whose certificate that client verifies.
import { JWKS_PATH, OPENID_CONFIG_PATH } from "../irsa/api-args.ts";
import type { ServedDiscovery } from "../irsa/discovery.ts";
import type { KubeClient } from "./client.ts";
import { KubeError, KubeUnavailable } from "./errors.ts";

const NOT_VERIFIED =
  "the admin kubeconfig skips verifying the API server's certificate (insecure-skip-tls-verify), and the discovery documents are only read from a server whose certificate verifies";

/**
 * GET /.well-known/openid-configuration and /openid/v1/jwks (kube-apiserver pkg/routes/openidmetadata.go
 * serves them). Bodies are returned byte for byte, since they are uploaded as they are. A 404: the API
 * server installed neither route, which it does when it cannot build the documents from its flags
 * (kubernetes pkg/controlplane/apiserver/server.go completedConfig.New logs "Could not construct
 * pre-rendered responses for ServiceAccountIssuerDiscovery endpoints" when
 * serviceaccount.NewOpenIDMetadataProvider fails: an issuer that is not an https URL, among others).
 * Two requests on the client's connection; the reason never quotes a response body.
 */
export async function readServedDiscovery(client: KubeClient): Promise<ServedDiscovery> {
  // Whatever the kubeconfig allows, documents that decide whom AWS trusts come from a verified server.
  if (!client.verifiesServer) return { ok: false, reason: NOT_VERIFIED };
  const out: Record<string, string> = {};
  for (const path of [OPENID_CONFIG_PATH, JWKS_PATH]) {
    let reply: { status: number; body: string };
    try {
      reply = await client.getPath(path);
    } catch (error) {
      const why = error instanceof Error ? error.message : String(error);
      return { ok: false, reason: error instanceof KubeError ? why : `GET ${path}: ${why}` };
    }
    if (reply.status !== 200) {
      const hint =
        reply.status === 404
          ? " (the API server serves no discovery: for example, its issuer is not an https URL)"
          : "";
      return { ok: false, reason: `GET ${path}: HTTP ${reply.status}${hint}` };
    }
    out[path] = reply.body;
  }
  return { ok: true, config: out[OPENID_CONFIG_PATH] ?? "", jwks: out[JWKS_PATH] ?? "" };
}

/** readServedDiscovery on the client `kube` makes (the hook's one client), or why there is none. The
 * reasons never quote the kubeconfig, which holds credentials. */
export async function readServedDiscoveryWith(
  kube: () => Promise<KubeClient | KubeError>,
): Promise<ServedDiscovery> {
  const client = await kube();
  if (client instanceof KubeUnavailable) {
    const reason =
      client.reason === "missing-kubeconfig"
        ? "no admin kubeconfig on this machine yet (the control plane writes it)"
        : client.reason === "unreadable-kubeconfig"
          ? "the admin kubeconfig cannot be parsed"
          : "the admin kubeconfig has no current context with a cluster server";
    return { ok: false, reason };
  }
  if (client instanceof KubeError) return { ok: false, reason: client.message };
  return readServedDiscovery(client);
}

/** readServedDiscovery from the admin kubeconfig's text (what the actions dispatcher has). */
export async function readServedDiscoveryFrom(kubeconfigText: string | undefined): Promise<ServedDiscovery> {
  // Through the Kubernetes adapter's chunk: a dynamic import of client-node itself would keep all of it
  // (every generated API) in the bundle, since a namespace import defeats tree shaking.
  const { connectText } = await import("./connect.ts");
  return readServedDiscoveryWith(async () => connectText(kubeconfigText, "the admin kubeconfig"));
}
