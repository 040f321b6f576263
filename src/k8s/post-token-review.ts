// The one request verify-token makes: POST the TokenReview to this node's authenticator, trusting only the
// CA the control plane's webhook kubeconfig trusts (the served chain is verified against it, as
// kube-apiserver's webhook client does), and the certificate's 127.0.0.1 SAN checked (the charm always
// requests it). The body holds the token: it is never logged, and errors carry no body.
import type { HttpAnswer } from "../mappings/actions.ts";
import type { TokenReviewRequest } from "../mappings/token-review.ts";
import { httpsRequest } from "./https-request.ts";

const TIMEOUT_MS = 10_000;
const MAX_ANSWER_BYTES = 1024 * 1024;

export function postTokenReview(
  review: TokenReviewRequest,
  caPem: string,
  timeoutMs = TIMEOUT_MS,
): Promise<HttpAnswer> {
  return httpsRequest(
    new URL(review.url),
    {
      method: review.method,
      headers: { ...review.headers, "Content-Length": String(Buffer.byteLength(review.body)) },
      ca: caPem,
      // As kube-apiserver's Go verifier does with the same kubeconfig: any certificate in the pool ends a
      // path (golang/go crypto/x509 verify.go Certificate.Verify, buildChains), so vault 1.15+'s
      // intermediate, the anchor when it sends no root, verifies. OpenSSL's default would need a
      // self-signed one (Node's X509_V_FLAG_PARTIAL_CHAIN switch, nodejs/node#54790, v20.18 and v22.9).
      allowPartialTrustChain: true,
      rejectUnauthorized: true,
      timeoutMs,
      maxBytes: MAX_ANSWER_BYTES,
    },
    review.body,
  );
}
