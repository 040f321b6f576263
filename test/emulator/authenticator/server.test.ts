/** The authenticator double and CK's forwarder model against each other and real clients: the exact
 * bytes the upstream server answers, how it reads cert.pem, and what CK's auth-webhook does with TLS
 * and with a denial. */
import assert from "node:assert/strict";
import { request } from "node:https";
import { after, before, describe, test } from "node:test";
import { pemFile } from "../../../src/certificates/pem.ts";
import { ckAuthWebhook, INTERNAL_ERROR_BODY } from "../charms/ck-auth-webhook.ts";
import { type KeyPair, servingChain, windowFrom } from "../charms/tls-forge-ca.ts";
import { type AuthenticatorDouble, DENY_BODY, loadX509KeyPair, startAuthenticatorDouble } from "./server.ts";

const MAPPED = "k8s-aws-v1.mapped";
const USER = { username: "alice", uid: "aws-iam-authenticator:123456789012:AIDAEXAMPLE", groups: ["dev"] };
const ACCENTED = "k8s-aws-v1.accented";
const ZOE = { username: "zoë", uid: "aws-iam-authenticator:123456789012:AIDAZOE", groups: ["dev"] };

function post(
  url: string,
  body: string,
  options: { ca?: string[]; method?: string } = {},
): Promise<{ status: number; type: string; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request(
      url,
      {
        method: options.method ?? "POST",
        agent: false,
        ...(options.ca ? { ca: options.ca } : { rejectUnauthorized: false }),
      },
      (res) => {
        let text = "";
        res.setEncoding("utf8");
        res.on("data", (chunk: string) => {
          text += chunk;
        });
        res.on("end", () =>
          resolve({ status: res.statusCode ?? 0, type: String(res.headers["content-type"]), body: text }),
        );
      },
    );
    req.on("error", reject);
    req.end(body);
  });
}

describe("the authenticator double and CK's auth-webhook", () => {
  let root: KeyPair;
  let intermediate: KeyPair;
  let leaf: string;
  let key: string;
  let full: AuthenticatorDouble;
  let leafOnly: AuthenticatorDouble;

  before(async () => {
    ({ root, intermediate, leaf, key } = servingChain(windowFrom(new Date(), 30)));
    full = await startAuthenticatorDouble({
      certFile: pemFile([leaf, intermediate.certPem]),
      keyFile: pemFile([key]),
      users: { [MAPPED]: USER, [ACCENTED]: ZOE },
    });
    leafOnly = await startAuthenticatorDouble({
      certFile: pemFile([leaf]),
      keyFile: pemFile([key]),
      users: { [MAPPED]: USER },
    });
  });
  after(async () => {
    await full.close();
    await leafOnly.close();
  });

  test("cert.pem with two blocks glued on one line is refused, as Go's tls.LoadX509KeyPair refuses it", () => {
    const glued = `${leaf.trim()}${intermediate.certPem.trim()}`;
    assert.ok(glued.includes("-----END CERTIFICATE----------BEGIN CERTIFICATE-----"));
    assert.throws(() => loadX509KeyPair(glued, key), /tls: failed to find any PEM data in certificate input/);
    assert.equal(
      loadX509KeyPair(pemFile([leaf, intermediate.certPem]), key).cert.split("BEGIN CERTIFICATE").length,
      3,
    );
  });

  test("answers: 403 with the exact deny body, 200 for a mapped user, v1 requests decoded as v1beta1, 405 and 400", async () => {
    const v1 = (token: string) =>
      JSON.stringify({ apiVersion: "authentication.k8s.io/v1", kind: "TokenReview", spec: { token } });
    const denied = await post(full.url, v1("k8s-aws-v1.junk"));
    assert.deepEqual(denied, { status: 403, type: "application/json; charset=UTF-8", body: DENY_BODY });
    assert.equal(
      JSON.parse(denied.body).status.authenticated,
      undefined,
      "omitempty dropped `authenticated: false`",
    );
    const mapped = await post(full.url, v1(MAPPED));
    assert.equal(mapped.status, 200);
    assert.equal(
      mapped.body,
      `{"metadata":{"creationTimestamp":null},"spec":{},"status":{"authenticated":true,"user":${JSON.stringify(USER)}}}\n`,
    );
    assert.deepEqual(full.received.slice(-2), ["authentication.k8s.io/v1", "authentication.k8s.io/v1"]);
    assert.deepEqual((await post(full.url, "", { method: "GET" })).status, 405);
    assert.deepEqual(await post(full.url, '{"spec":{"token":42}}'), {
      status: 400,
      type: "text/plain; charset=utf-8",
      body: "expected a request body to be a TokenReview\n",
    });
  });

  test("an intermediate as the only anchor: OpenSSL clients (Node, CK's forwarder) find no path; the forwarder falls back", async () => {
    // Node verifies with OpenSSL and no partial-chain flag, like Python before 3.13 (Go would accept it).
    await assert.rejects(
      post(full.url, JSON.stringify({ spec: { token: MAPPED } }), { ca: [intermediate.certPem] }),
      (error: NodeJS.ErrnoException) => error.code === "UNABLE_TO_GET_ISSUER_CERT",
    );
    const viaIntermediate = await ckAuthWebhook({ custom: full.url }, MAPPED, [intermediate.certPem]);
    assert.equal(viaIntermediate.forwards[0]!.tls, "unverified");
    assert.match(viaIntermediate.forwards[0]!.error ?? "", /unable to get issuer certificate/);
    // The root in the trust store and the chain served: verified.
    const verified = await ckAuthWebhook({ custom: full.url }, MAPPED, [root.certPem]);
    assert.equal(verified.forwards[0]!.tls, "verified");
    assert.deepEqual(verified.review?.status, { authenticated: true, user: USER });
    // The forwarder passes on the API server's v1beta1 review (and the server answers v1beta1 whatever).
    assert.equal(full.received.at(-1), "authentication.k8s.io/v1beta1");
  });

  test("the forwarder answers with json.dumps: non-ASCII escaped as \\uXXXX, Python's separators", async () => {
    const answer = await ckAuthWebhook({ custom: full.url }, ACCENTED, [root.certPem]);
    assert.deepEqual(answer.review?.status, { authenticated: true, user: ZOE });
    assert.ok(answer.body.includes('"user": {"username": "zo\\u00eb", '), answer.body);
    assert.ok(!answer.body.includes("ë"));
  });

  test("a server without its intermediate: the forwarder's handshake fails and it forwards unverified anyway", async () => {
    const answer = await ckAuthWebhook({ custom: leafOnly.url }, MAPPED, [root.certPem]);
    assert.equal(answer.forwards[0]!.tls, "unverified");
    assert.match(answer.forwards[0]!.error ?? "", /UNABLE_TO_VERIFY_LEAF_SIGNATURE|unable to (get|verify)/i);
    assert.equal(answer.httpStatus, 200);
    assert.deepEqual(answer.review?.status, { authenticated: true, user: USER });
  });

  test("a denied token: KeyError on status.authenticated → 500, and on 1.28 keystone after aws-iam is never asked", async () => {
    const custom = await ckAuthWebhook({ custom: full.url }, "k8s-aws-v1.unmapped", [root.certPem]);
    assert.deepEqual(
      custom.forwards.map((f) => [f.httpStatus, f.body]),
      [[403, DENY_BODY]],
    );
    assert.deepEqual(
      [custom.httpStatus, custom.contentType, custom.body],
      [500, "text/plain", INTERNAL_ERROR_BODY],
    );
    // The 1.28 order: AWS_IAM_ENDPOINT, then KEYSTONE_ENDPOINT (here: a keystone that would say yes).
    const legacy = await ckAuthWebhook({ awsIam: full.url, keystone: leafOnly.url }, "k8s-aws-v1.unmapped", [
      root.certPem,
    ]);
    assert.equal(legacy.httpStatus, 500);
    assert.equal(legacy.forwards.length, 1, "the exception ends the handler before keystone");
    // With nothing configured the webhook just says no.
    const none = await ckAuthWebhook({}, MAPPED, [root.certPem]);
    assert.deepEqual(
      [none.httpStatus, none.contentType, none.review?.status],
      [200, "application/json; charset=utf-8", { authenticated: false }],
    );
    assert.equal(
      none.body,
      '{"kind": "TokenReview", "apiVersion": "authentication.k8s.io/v1beta1", "metadata": {"creationTimestamp": null}, "spec": {"token": "k8s-aws-v1.mapped", "audiences": ["https://kubernetes.default.svc"]}, "status": {"authenticated": false}}',
    );
  });
});
