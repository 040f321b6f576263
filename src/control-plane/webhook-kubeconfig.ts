// /root/cdk/aws-iam-webhook.yaml: the kubeconfig kube-apiserver's token-webhook format expects
// (clusters = the remote service, users = what the API server presents, here nothing). The reactive
// control plane only reads `clusters[0].cluster.server` from it, but the file stays a complete, valid
// webhook config so it is also usable with --authentication-token-webhook-config-file directly.
// Written from a fixed text, not with js-yaml: every unit renders it in every hook, and none of its values
// can need quoting (names, a loopback URL, base64). The text is what js-yaml's dump gives for the same
// document (test/unit/control-plane/webhook-kubeconfig.test.ts), so units that wrote it before see no change.
import { canonicalCaPem } from "./ca-pem.ts";
import { webhookEndpointUrl } from "./webhook-endpoint.ts";

export interface WebhookKubeconfigInput {
  port: number;
  /** The CA that issued the authenticator's serving certificate (not the certificate itself). The caller
   * checks it is a CA (rules.ts webhookFiles). */
  caPem: string;
}

export function renderWebhookKubeconfig({ port, caPem }: WebhookKubeconfigInput): string {
  const caData = Buffer.from(canonicalCaPem(caPem, "webhook CA"), "utf8").toString("base64");
  return [
    "apiVersion: v1",
    "kind: Config",
    "clusters:",
    "  - name: aws-iam-authenticator",
    "    cluster:",
    `      server: ${webhookEndpointUrl(port)}`,
    `      certificate-authority-data: ${caData}`,
    // No credentials: the authenticator does not authenticate its caller.
    "users:",
    "  - name: kube-apiserver",
    "    user: {}",
    "contexts:",
    "  - name: webhook",
    "    context:",
    "      cluster: aws-iam-authenticator",
    "      user: kube-apiserver",
    "current-context: webhook",
    "",
  ].join("\n");
}
