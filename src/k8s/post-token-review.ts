// The one request verify-token makes: POST the TokenReview to this node's authenticator, trusting only the
// CA the control plane's webhook kubeconfig trusts (the served chain is verified against it, as
// kube-apiserver's webhook client does), and the certificate's 127.0.0.1 SAN checked (the charm always
// requests it). The body holds the token: it is never logged, and errors carry no body.
import { request } from "node:https";
import type { HttpAnswer } from "../mappings/actions.ts";
import type { TokenReviewRequest } from "../mappings/token-review.ts";

const TIMEOUT_MS = 10_000;
const MAX_ANSWER_BYTES = 1024 * 1024;

export function postTokenReview(review: TokenReviewRequest, caPem: string): Promise<HttpAnswer> {
  return new Promise((resolve, reject) => {
    const req = request(
      review.url,
      {
        method: review.method,
        headers: { ...review.headers, "Content-Length": String(Buffer.byteLength(review.body)) },
        ca: caPem,
        rejectUnauthorized: true,
        timeout: TIMEOUT_MS,
      },
      (res) => {
        const chunks: Buffer[] = [];
        let size = 0;
        res.on("data", (chunk: Buffer) => {
          size += chunk.length;
          if (size > MAX_ANSWER_BYTES) req.destroy(new Error(`answer larger than ${MAX_ANSWER_BYTES} bytes`));
          else chunks.push(chunk);
        });
        res.on("end", () =>
          resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString("utf8") }),
        );
        res.on("error", reject);
      },
    );
    req.on("timeout", () => req.destroy(new Error(`no answer within ${TIMEOUT_MS} ms`)));
    req.on("error", reject);
    req.end(review.body);
  });
}
