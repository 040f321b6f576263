// One HTTPS request and its whole answer: the two requests the charm makes outside client-node (the
// discovery documents and verify-token's TokenReview). This module loads node:https: import it only
// from modules that are themselves loaded dynamically, so hooks that make neither request never pay for it.
import { type RequestOptions, request } from "node:https";

export interface HttpsAnswer {
  readonly status: number;
  /** The body as served, decoded as UTF-8. */
  readonly body: string;
}

export interface HttpsRequestOptions extends Omit<RequestOptions, "timeout"> {
  /** Connect to last byte of the answer. */
  readonly timeoutMs: number;
  /** A longer answer fails the request (its body is never kept). */
  readonly maxBytes: number;
}

/**
 * Any HTTP status is an answer; a socket error, a certificate that does not verify, no answer within
 * timeoutMs (code ETIMEDOUT) or an answer over maxBytes rejects. Errors never carry either body.
 */
export function httpsRequest(url: URL, options: HttpsRequestOptions, body?: string): Promise<HttpsAnswer> {
  const { timeoutMs, maxBytes, ...rest } = options;
  return new Promise((resolve, reject) => {
    const req = request(url, { ...rest, timeout: timeoutMs }, (res) => {
      const chunks: Buffer[] = [];
      let size = 0;
      res.on("data", (chunk: Buffer) => {
        size += chunk.length;
        if (size > maxBytes) req.destroy(new Error(`answer larger than ${maxBytes} bytes`));
        else chunks.push(chunk);
      });
      res.on("end", () =>
        resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString("utf8") }),
      );
      res.on("error", reject);
    });
    req.on("timeout", () =>
      req.destroy(Object.assign(new Error(`no answer within ${timeoutMs} ms`), { code: "ETIMEDOUT" })),
    );
    req.on("error", reject);
    req.end(body);
  });
}
