// Observe step for IRSA: the two discovery documents exactly as the API server serves them, read with the
// admin kubeconfig's credentials and always verifying the server's certificate.
import type { RequestOptions } from "node:https";
import type { KubeConfig } from "@kubernetes/client-node";
import { JWKS_PATH, OPENID_CONFIG_PATH } from "../irsa/api-args.ts";
import type { ServedDiscovery } from "../irsa/discovery.ts";
import { type HttpsAnswer, httpsRequest } from "./https-request.ts";

/** Far above a real key set (a few KiB); a larger answer is no discovery document. */
const MAX_DOCUMENT_BYTES = 1024 * 1024;

/**
 * GET /.well-known/openid-configuration and /openid/v1/jwks (kube-apiserver pkg/routes/openidmetadata.go).
 * Bodies are returned byte for byte, since they are uploaded as they are. A 404 means the API server runs
 * without a usable https issuer (it then installs neither route); the reason never quotes a response body.
 */
export async function readServedDiscovery(
  kubeConfig: KubeConfig,
  timeoutMs = 5000,
): Promise<ServedDiscovery> {
  const server = kubeConfig.getCurrentCluster()?.server;
  if (!server) return { ok: false, reason: "the kubeconfig has no current cluster" };
  const options: RequestOptions = {};
  await kubeConfig.applyToHTTPSOptions(options);
  // Whatever the kubeconfig says (insecure-skip-tls-verify), documents that decide whom AWS trusts are
  // only taken from a server whose certificate verifies.
  options.rejectUnauthorized = true;
  // client-node also builds an Agent carrying the kubeconfig's TLS choice; without it the request's own
  // options (ca, client certificate, rejectUnauthorized) apply.
  delete options.agent;
  const out: Record<string, string> = {};
  for (const path of [OPENID_CONFIG_PATH, JWKS_PATH]) {
    const url = new URL(path, server);
    let reply: HttpsAnswer;
    try {
      reply = await httpsRequest(url, { ...options, method: "GET", timeoutMs, maxBytes: MAX_DOCUMENT_BYTES });
    } catch (error) {
      return { ok: false, reason: `GET ${path}: ${error instanceof Error ? error.message : String(error)}` };
    }
    if (reply.status !== 200) {
      const hint =
        reply.status === 404 ? " (the API server serves no discovery: its issuer is not an https URL)" : "";
      return { ok: false, reason: `GET ${path}: HTTP ${reply.status}${hint}` };
    }
    out[path] = reply.body;
  }
  return { ok: true, config: out[OPENID_CONFIG_PATH] ?? "", jwks: out[JWKS_PATH] ?? "" };
}

/** readServedDiscovery from the admin kubeconfig's text (what the actions dispatcher has); client-node is
 * loaded only here, so hooks without IRSA never load it for this. */
export async function readServedDiscoveryFrom(kubeconfigText: string | undefined): Promise<ServedDiscovery> {
  if (kubeconfigText === undefined)
    return { ok: false, reason: "no admin kubeconfig on this machine yet (the control plane writes it)" };
  // Through the Kubernetes adapter's chunk: a dynamic import of client-node itself would keep all of it
  // (every generated API) in the bundle, since a namespace import defeats tree shaking.
  const { loadKubeconfigText } = await import("./connect.ts");
  const loaded = loadKubeconfigText(kubeconfigText, "the admin kubeconfig");
  // Its message never quotes the file, which holds credentials.
  if (!("kubeConfig" in loaded)) return { ok: false, reason: "the admin kubeconfig cannot be parsed" };
  const { kubeConfig } = loaded;
  return readServedDiscovery(kubeConfig);
}
