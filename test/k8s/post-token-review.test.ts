// verify-token's one request against a local https server: it trusts only the given CA, checks the
// 127.0.0.1 SAN, gives up on a silent server, and refuses an answer over 1 MiB (src/k8s/post-token-review.ts).
import assert from "node:assert/strict";
import { createServer, type Server } from "node:https";
import type { AddressInfo } from "node:net";
import { after, before, describe, test } from "node:test";
import { postTokenReview } from "../../src/k8s/post-token-review.ts";
import { buildTokenReviewRequest } from "../../src/mappings/token-review.ts";
import { makeCa, newKeyPem, signLeaf, windowFrom } from "../emulator/charms/tls-forge-ca.ts";
import { makeServingCerts, type ServingCerts } from "../unit/control-plane/certs-fixture.ts";

const MIB = 1024 * 1024;
const TOKEN = "k8s-aws-v1.secret-token-value";

describe("postTokenReview", () => {
  let pems: ServingCerts;
  /** What the next request gets: a body of this many bytes, or no answer at all. */
  let answer: { bytes: number } | "silent" = { bytes: 2 };
  const received: string[] = [];
  const servers: Server[] = [];

  async function serve(tls: { certPem: string; keyPem: string }): Promise<number> {
    const server = createServer({ cert: tls.certPem, key: tls.keyPem }, (req, res) => {
      let body = "";
      req.on("data", (chunk: Buffer) => {
        body += chunk.toString("utf8");
      });
      req.on("end", () => {
        received.push(body);
        if (answer === "silent") return;
        res.writeHead(200, { "Content-Type": "application/json" });
        res.end("x".repeat(answer.bytes));
      });
    });
    servers.push(server);
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    return (server.address() as AddressInfo).port;
  }

  let loopbackPort: number;
  let nameOnlyPort: number;
  before(async () => {
    pems = makeServingCerts();
    loopbackPort = await serve(pems.loopback);
    nameOnlyPort = await serve(pems.nameOnly);
  });
  after(() => {
    for (const server of servers) server.closeAllConnections();
    for (const server of servers) server.close();
  });

  const review = (port: number) => buildTokenReviewRequest(TOKEN, port);

  test("posts the review to a server whose 127.0.0.1 certificate the CA signed, and returns its answer", async () => {
    answer = { bytes: 2 };
    received.length = 0;
    assert.deepEqual(await postTokenReview(review(loopbackPort), pems.caPem), { status: 200, body: "xx" });
    assert.equal(received.length, 1);
    assert.equal(JSON.parse(received[0] ?? "").spec.token, TOKEN);
  });

  test("verifies against an intermediate alone, as kube-apiserver does (vault 1.15+ sends no root)", async () => {
    const window = windowFrom(new Date(), 2);
    const root = makeCa("Vault root CA", window);
    const inter = makeCa("Vault intermediate CA", window, root);
    const keyPem = newKeyPem();
    const certPem = signLeaf({
      ca: inter,
      subjectKeyPem: keyPem,
      commonName: "a",
      sans: ["127.0.0.1"],
      window,
    });
    const port = await serve({ certPem: `${certPem}\n${inter.certPem}\n`, keyPem });
    answer = { bytes: 2 };
    assert.deepEqual(await postTokenReview(review(port), inter.certPem), { status: 200, body: "xx" });
  });

  test("refuses a server signed by another CA before sending the token", async () => {
    received.length = 0;
    await assert.rejects(postTokenReview(review(loopbackPort), pems.otherCaPem), (error: Error) => {
      assert.match(error.message, /certificate/i);
      assert.doesNotMatch(error.message, /secret-token/);
      return true;
    });
    assert.deepEqual(received, [], "the server never got the body");
  });

  test("refuses a certificate without the 127.0.0.1 SAN, even from the trusted CA", async () => {
    received.length = 0;
    await assert.rejects(
      postTokenReview(review(nameOnlyPort), pems.caPem),
      (error: NodeJS.ErrnoException) => error.code === "ERR_TLS_CERT_ALTNAME_INVALID",
    );
    assert.deepEqual(received, []);
  });

  test("gives up on a server that never answers", { timeout: 10_000 }, async () => {
    answer = "silent";
    await assert.rejects(
      postTokenReview(review(loopbackPort), pems.caPem, 200),
      (error: NodeJS.ErrnoException) =>
        error.code === "ETIMEDOUT" && /no answer within 200 ms/.test(error.message),
    );
  });

  test("takes an answer of 1 MiB and refuses one byte more, quoting neither", async () => {
    answer = { bytes: MIB };
    const full = await postTokenReview(review(loopbackPort), pems.caPem);
    assert.equal(full.body.length, MIB);
    answer = { bytes: MIB + 1 };
    await assert.rejects(postTokenReview(review(loopbackPort), pems.caPem), (error: Error) => {
      assert.equal(error.message, `answer larger than ${MIB} bytes`);
      return true;
    });
  });
});
