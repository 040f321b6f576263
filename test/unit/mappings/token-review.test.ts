import assert from "node:assert/strict";
import { describe, it } from "node:test";
import {
  buildTokenReviewRequest,
  checkToken,
  interpretTokenReview,
} from "../../../src/mappings/token-review.ts";

const TOKEN = `k8s-aws-v1.${"aHR0cHM6Ly9zdHMuYW1hem9uYXdzLmNvbS8".repeat(4)}`;
// The upstream server's exact denial body (json.Marshal of an empty v1beta1 TokenReview).
const DENIAL = '{"metadata":{"creationTimestamp":null},"spec":{},"status":{"user":{}}}';

describe("verify-token", () => {
  it("builds the TokenReview the API server would send, to this node's loopback port", () => {
    const request = buildTokenReviewRequest(TOKEN, 21362);
    assert.equal(request.url, "https://127.0.0.1:21362/authenticate");
    assert.equal(request.method, "POST");
    assert.deepEqual(JSON.parse(request.body), {
      apiVersion: "authentication.k8s.io/v1beta1",
      kind: "TokenReview",
      spec: { token: TOKEN },
    });
  });

  it("refuses what the server refuses before STS, without quoting the token", () => {
    const MISSING =
      "token: is missing; expected the output of `aws-iam-authenticator token -i <cluster-id> --token-only`";
    const table: [unknown, string][] = [
      ["", MISSING],
      ["   ", MISSING],
      [undefined, MISSING],
      [
        "Bearer abc",
        "token: does not start with k8s-aws-v1.; expected an aws-iam-authenticator token (aws-iam-authenticator token --token-only, or status.token of aws eks get-token)",
      ],
      [
        `${TOKEN}${"A".repeat(4096)}`,
        "token: is longer than the server's 4096 bytes; expected a token as the token tools print it",
      ],
    ];
    for (const [bad, message] of table) {
      const check = checkToken(bad);
      assert.ok(!check.ok);
      assert.ok(
        typeof bad !== "string" || bad.trim() === "" || !check.message.includes(bad.slice(0, 20)),
        check.message,
      );
      assert.equal(check.message, message, String(bad).slice(0, 20));
    }
    // Exactly 4096 bytes is still within the server's limit (pkg/token/token.go Verify refuses only longer).
    const longest = `${TOKEN}${"A".repeat(4096 - TOKEN.length)}`;
    assert.deepEqual(checkToken(longest), { ok: true });
    assert.deepEqual(checkToken(TOKEN), { ok: true });
  });

  it("reads a mapped user from a 200 answer", () => {
    const body = JSON.stringify({
      status: {
        authenticated: true,
        user: {
          username: "admin:alice",
          uid: "aws-iam-authenticator:111122223333:AROAEXAMPLE",
          groups: ["system:masters", "dev"],
          extra: {
            arn: ["arn:aws:sts::111122223333:assumed-role/k8s-admins/alice"],
            accessKeyId: ["ASIAEXAMPLE"],
          },
        },
      },
    });
    assert.deepEqual(interpretTokenReview(200, body, TOKEN), {
      ok: true,
      results: {
        authenticated: "true",
        username: "admin:alice",
        groups: "system:masters,dev",
        uid: "aws-iam-authenticator:111122223333:AROAEXAMPLE",
        arn: "arn:aws:sts::111122223333:assumed-role/k8s-admins/alice",
      },
    });
  });

  it("reads the upstream 403 body, which has no status.authenticated, as a refusal", () => {
    const outcome = interpretTokenReview(403, DENIAL, TOKEN);
    assert.ok(!outcome.ok);
    assert.match(outcome.message, /^the authenticator refused the token \(HTTP 403\)/);
    assert.deepEqual(interpretTokenReview(429, DENIAL, TOKEN).ok, false);
    assert.deepEqual(interpretTokenReview(429, DENIAL, TOKEN), {
      ok: false,
      message: "STS throttled the authenticator (HTTP 429); try again shortly",
    });
    assert.deepEqual(interpretTokenReview(200, DENIAL, TOKEN), {
      ok: false,
      message: "the authenticator answered HTTP 200 without status.authenticated=true",
    });
  });

  it("says the authenticator refused the request itself on 400 and 405, with the answer's first line", () => {
    // Upstream's bodies (pkg/server/server.go authenticateEndpoint, http.Error appends a newline).
    assert.deepEqual(interpretTokenReview(400, "expected a request body to be a TokenReview\n", TOKEN), {
      ok: false,
      message:
        "the authenticator refused the request itself (HTTP 400: expected a request body to be a TokenReview)",
    });
    assert.deepEqual(interpretTokenReview(405, "expected POST\n", TOKEN), {
      ok: false,
      message: "the authenticator refused the request itself (HTTP 405: expected POST)",
    });
  });

  it("never returns the token, even when an answer echoes it", () => {
    const echo = interpretTokenReview(500, `boom ${TOKEN}`, TOKEN);
    assert.ok(!echo.ok);
    assert.equal(echo.message, "the authenticator answered HTTP 500: boom <token>");
    const body = JSON.stringify({ status: { authenticated: true, user: { username: TOKEN } } });
    const mapped = interpretTokenReview(200, body, TOKEN);
    assert.ok(mapped.ok);
    assert.ok(!JSON.stringify(mapped.results).includes(TOKEN));
  });
});
