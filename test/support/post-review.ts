/** What kube-apiserver's token webhook client sends under CK: one POST of the v1beta1 TokenReview it
 * builds (apiServerTokenReview says from which sources), trusting only `ca`, on a fresh connection.
 * Answers the status and the body as received. */
import { request } from "node:https";
import { apiServerTokenReview } from "../emulator/charms/ck-auth-webhook.ts";

export function postReview(
  url: string,
  ca: string,
  token: string,
): Promise<{ status: number; body: string }> {
  const body = apiServerTokenReview(token);
  return new Promise((resolve, reject) => {
    const req = request(
      url,
      // Go's crypto/x509 ends a path at any certificate of its root pool (verify.go Certificate.Verify,
      // buildChains): with vault 1.15+'s intermediate as the kubeconfig's CA, that is a partial chain.
      {
        method: "POST",
        ca,
        allowPartialTrustChain: true,
        agent: false,
        headers: { "content-type": "application/json" },
      },
      (res) => {
        let text = "";
        res.setEncoding("utf8");
        res.on("data", (chunk: string) => {
          text += chunk;
        });
        res.on("end", () => resolve({ status: res.statusCode ?? 0, body: text }));
      },
    );
    req.on("error", reject);
    req.end(body);
  });
}
