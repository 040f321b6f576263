// verify-token: one TokenReview to this node's authenticator, and what its answer means. The token goes only
// into the request body; no result, message or log line built here contains it.
//
// Upstream (kubernetes-sigs/aws-iam-authenticator @ 81b1daba, pkg/server/server.go authenticateEndpoint):
// POST only (405 otherwise), body decoded as an authentication/v1beta1 TokenReview whatever it says (400 when
// it is not one). A token that is malformed, expired, minted for another cluster ID, refused by STS, or whose
// identity no backend maps gets HTTP 403 with the static body tokenReviewDenyJSON, json.Marshal of an empty
// v1beta1 TokenReview: {"metadata":{"creationTimestamp":null},"spec":{},"status":{"user":{}}} (authenticated
// is omitempty, so absent). STS throttling gets 429 with the same body. Success: 200 with status.authenticated
// true, user.username, user.groups, user.uid and user.extra (arn, canonicalArn, sessionName, accessKeyId, ...).
// pkg/token/token.go Verify: tokens over 4096 bytes, or without the "k8s-aws-v1." prefix, are refused.
export const TOKEN_PREFIX = "k8s-aws-v1.";
export const MAX_TOKEN_BYTES = 4096;

export interface TokenReviewRequest {
  readonly url: string;
  readonly method: "POST";
  readonly headers: Readonly<Record<string, string>>;
  readonly body: string;
}

export type TokenCheck = { readonly ok: true } | { readonly ok: false; readonly message: string };

/** Refuses, without sending it, what the server would refuse before asking STS; never quotes the token. */
export function checkToken(token: unknown): TokenCheck {
  if (typeof token !== "string" || token.trim() === "") {
    return {
      ok: false,
      message:
        "token: is missing; expected the output of `aws-iam-authenticator token -i <cluster-id> --token-only`",
    };
  }
  if (!token.startsWith(TOKEN_PREFIX)) {
    return {
      ok: false,
      message: `token: does not start with ${TOKEN_PREFIX}; expected an aws-iam-authenticator token (aws-iam-authenticator token --token-only, or status.token of aws eks get-token)`,
    };
  }
  if (Buffer.byteLength(token, "utf8") > MAX_TOKEN_BYTES) {
    return {
      ok: false,
      message: `token: is longer than the server's ${MAX_TOKEN_BYTES} bytes; expected a token as the token tools print it`,
    };
  }
  return { ok: true };
}

/** The request the API server itself would send, to https://127.0.0.1:<port>/authenticate. */
export function buildTokenReviewRequest(token: string, port: number): TokenReviewRequest {
  return {
    url: `https://127.0.0.1:${port}/authenticate`,
    method: "POST",
    headers: { "Content-Type": "application/json", Accept: "application/json" },
    body: JSON.stringify({
      apiVersion: "authentication.k8s.io/v1beta1",
      kind: "TokenReview",
      spec: { token },
    }),
  };
}

export type TokenReviewOutcome =
  | { readonly ok: true; readonly results: Readonly<Record<string, string>> }
  | { readonly ok: false; readonly message: string };

interface ReviewBody {
  status?: {
    authenticated?: boolean;
    user?: { username?: string; uid?: string; groups?: string[]; extra?: Record<string, string[]> };
  };
}

function parseBody(body: string): ReviewBody | undefined {
  try {
    const doc = JSON.parse(body) as unknown;
    return doc !== null && typeof doc === "object" ? (doc as ReviewBody) : undefined;
  } catch {
    return undefined;
  }
}

/** Replaces the token wherever it would appear, in case a server ever echoed it. */
function scrub(text: string, token: string): string {
  return token.length > TOKEN_PREFIX.length ? text.split(token).join("<token>") : text;
}

const DENIED =
  "the authenticator refused the token (HTTP 403): it is malformed or expired (15 minutes), was minted for another cluster ID, STS refused it, or no backend maps its identity; the authenticator's log on this node says which";

/** What the authenticator's answer means, as action results or a failure message. */
export function interpretTokenReview(status: number, body: string, token: string): TokenReviewOutcome {
  const doc = parseBody(body);
  const firstLine = body.split("\n")[0]?.slice(0, 200) ?? "";
  let outcome: TokenReviewOutcome;
  if (status === 200 && doc?.status?.authenticated === true) {
    const user = doc.status.user ?? {};
    const extra = user.extra ?? {};
    const one = (key: string): string | undefined => extra[key]?.[0];
    const results: Record<string, string> = {
      authenticated: "true",
      username: user.username ?? "",
      groups: (user.groups ?? []).join(","),
      uid: user.uid ?? "",
    };
    for (const [result, key] of [
      ["arn", "arn"],
      ["canonical-arn", "canonicalArn"],
      ["session-name", "sessionName"],
    ] as const) {
      const value = one(key);
      if (value !== undefined) results[result] = value;
    }
    outcome = { ok: true, results };
  } else if (status === 200) {
    outcome = { ok: false, message: "the authenticator answered HTTP 200 without status.authenticated=true" };
  } else if (status === 403) {
    outcome = { ok: false, message: DENIED };
  } else if (status === 429) {
    outcome = { ok: false, message: "STS throttled the authenticator (HTTP 429); try again shortly" };
  } else if (status === 400 || status === 405) {
    outcome = {
      ok: false,
      message: `the authenticator refused the request itself (HTTP ${status}: ${firstLine})`,
    };
  } else {
    outcome = { ok: false, message: `the authenticator answered HTTP ${status}: ${firstLine}` };
  }
  if (outcome.ok) {
    return {
      ok: true,
      results: Object.fromEntries(Object.entries(outcome.results).map(([k, v]) => [k, scrub(v, token)])),
    };
  }
  return { ok: false, message: scrub(outcome.message, token) };
}
