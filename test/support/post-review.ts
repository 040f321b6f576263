/** What kube-apiserver's token webhook client sends: one TokenReview POST, trusting only `ca`, on a fresh
 * connection. Answers the status and the body as received. */
import { request } from "node:https";

export function postReview(
  url: string,
  ca: string,
  token: string,
): Promise<{ status: number; body: string }> {
  const body = JSON.stringify({
    apiVersion: "authentication.k8s.io/v1",
    kind: "TokenReview",
    spec: { token },
  });
  return new Promise((resolve, reject) => {
    const req = request(
      url,
      { method: "POST", ca, agent: false, headers: { "content-type": "application/json" } },
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
