// /root/cdk/aws-iam-webhook.yaml: the kubeconfig kube-apiserver's token-webhook format expects
// (clusters = the remote service, users = what the API server presents, here nothing). The reactive
// control plane only reads `clusters[0].cluster.server` from it, but the file stays a complete, valid
// webhook config so it is also usable with --authentication-token-webhook-config-file directly.
import { dump } from "js-yaml";
import { normaliseCaPem } from "./ca-pem.ts";
import { webhookEndpointUrl } from "./webhook-endpoint.ts";

export interface WebhookKubeconfigInput {
  port: number;
  /** The CA that issued the authenticator's serving certificate (not the certificate itself). */
  caPem: string;
}

export function renderWebhookKubeconfig({ port, caPem }: WebhookKubeconfigInput): string {
  return webhookKubeconfigFor(port, normaliseCaPem(caPem, "webhook CA"));
}

/** The same file for a CA bundle that normaliseCaPem has already checked and returned (parsing the
 * certificates again would only repeat its answer). */
export function webhookKubeconfigFor(port: number, ca: string): string {
  const doc = {
    apiVersion: "v1",
    kind: "Config",
    clusters: [
      {
        name: "aws-iam-authenticator",
        cluster: {
          server: webhookEndpointUrl(port),
          "certificate-authority-data": Buffer.from(ca, "utf8").toString("base64"),
        },
      },
    ],
    // No credentials: the authenticator does not authenticate its caller.
    users: [{ name: "kube-apiserver", user: {} }],
    contexts: [{ name: "webhook", context: { cluster: "aws-iam-authenticator", user: "kube-apiserver" } }],
    "current-context": "webhook",
  };
  return dump(doc, { lineWidth: -1, noRefs: true });
}
