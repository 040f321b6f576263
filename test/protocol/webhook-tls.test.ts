/** The webhook kubeconfig aws-iam writes is what a TokenReview client needs, and nothing more: a server
 * with the certificate a provider issued (here self-signed-certificates, CSR protocol) on 127.0.0.1 is
 * reached at the file's URL trusting only the file's certificate-authority-data (TLS handshake and the
 * IP SAN check pass), kubectl reads the same file, and the ops control plane stand-in forwards a
 * TokenReview there through the host trust store aws-iam filled. */
import assert from "node:assert/strict";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { createServer, request, type Server } from "node:https";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, test } from "node:test";
import { load } from "js-yaml";
import { PATHS } from "../../src/machine/paths.ts";
import type { OpsControlPlane } from "../emulator/charms/ops-control-plane.ts";
import type { Deployment } from "../emulator/juju/deployment.ts";
import { runKubectl } from "../k8s/kubectl.ts";
import { latestContent, statusOf } from "../support/certificates.ts";
import { charmDeployment } from "../support/deployments.ts";
import { csrProvider } from "../support/providers.ts";
import { makeTestCerts } from "../unit/control-plane/certs-fixture.ts";

const GOOD = "k8s-aws-v1.aHR0cHM6Ly9zdHMuYW1hem9uYXdzLmNvbS8_good";
const USER = { username: "alice", uid: "aws-iam-authenticator:123456789012:AIDAEXAMPLE", groups: ["dev"] };

interface Kubeconfig {
  clusters: Array<{ name: string; cluster: { server: string; "certificate-authority-data": string } }>;
}

/** The authenticator's /authenticate, as far as a TokenReview client can tell. */
function startAuthenticator(certPem: string, chainPem: string, keyPem: string): Promise<Server> {
  const server = createServer({ cert: certPem + chainPem, key: keyPem }, (req, res) => {
    let body = "";
    req.setEncoding("utf8");
    req.on("data", (chunk: string) => {
      body += chunk;
    });
    req.on("end", () => {
      let review: { spec?: { token?: string } } = {};
      try {
        review = JSON.parse(body) as typeof review;
      } catch {
        // Not a TokenReview: answered as not authenticated.
      }
      const ok = req.method === "POST" && req.url === "/authenticate" && review.spec?.token === GOOD;
      res.setHeader("content-type", "application/json");
      res.end(
        JSON.stringify({ status: ok ? { authenticated: true, user: USER } : { authenticated: false } }),
      );
    });
  });
  return new Promise((resolve) => server.listen(0, "127.0.0.1", () => resolve(server)));
}

function postReview(url: string, ca: string, token: string): Promise<unknown> {
  const body = JSON.stringify({
    apiVersion: "authentication.k8s.io/v1",
    kind: "TokenReview",
    spec: { token },
  });
  return new Promise((resolve, reject) => {
    const req = request(
      url,
      { method: "POST", ca, headers: { "content-type": "application/json" } },
      (res) => {
        let text = "";
        res.setEncoding("utf8");
        res.on("data", (chunk: string) => {
          text += chunk;
        });
        res.on("end", () => resolve(JSON.parse(text)));
      },
    );
    req.on("error", reject);
    req.end(body);
  });
}

describe("the webhook kubeconfig against a server with the issued certificate", () => {
  let d: Deployment;
  let ops: OpsControlPlane;
  let server: Server;
  let url: string;
  let file: string;
  let cacheDir: string;

  before(async () => {
    const deployment = charmDeployment({
      generation: "current",
      extraApps: [csrProvider({ flavour: "self-signed" })],
    });
    d = deployment.d;
    ops = deployment.controlPlane as OpsControlPlane;
    await d.integrate(...deployment.integration);
    await d.integrate("aws-iam:certificates", "self-signed-certificates:certificates");
    await d.settle();
    const secret = latestContent(d);
    server = await startAuthenticator(secret["certificate"]!, secret["chain"] ?? "", secret["key"]!);
    const port = (server.address() as AddressInfo).port;
    url = `https://127.0.0.1:${port}/authenticate`;
    await d.configure("aws-iam", { port });
    file = join(d.state.units["aws-iam/1"]!.machineRoot, PATHS.webhookKubeconfig);
    cacheDir = mkdtempSync(join(tmpdir(), "kubectl-cache-"));
  });
  after(async () => {
    await new Promise((resolve) => server.close(resolve));
    rmSync(cacheDir, { recursive: true, force: true });
  });

  test("a TokenReview reaches the server at the file's URL, trusting only the file's CA", async () => {
    // The model has no Kubernetes: the units got as far as the workload step.
    assert.match(statusOf(d, "aws-iam/1"), /^waiting: no Kubernetes credentials/);
    const cluster = (load(readFileSync(file, "utf8")) as Kubeconfig).clusters[0]!.cluster;
    assert.equal(cluster.server, url);
    const ca = Buffer.from(cluster["certificate-authority-data"], "base64").toString("utf8");
    assert.deepEqual(await postReview(cluster.server, ca, GOOD), {
      status: { authenticated: true, user: USER },
    });
    assert.deepEqual(await postReview(cluster.server, ca, "k8s-aws-v1.other"), {
      status: { authenticated: false },
    });
  });

  test("another CA fails the handshake: the file's CA is what makes it pass", async () => {
    await assert.rejects(
      postReview(url, makeTestCerts().otherCaPem, GOOD),
      (error: NodeJS.ErrnoException) => {
        assert.match(error.code ?? "", /CERT|SIGNATURE|ISSUER/);
        return true;
      },
    );
  });

  test("kubectl reads the same file", async () => {
    const out = await runKubectl(file, cacheDir, ["config", "view", "--raw", "-o", "json"]);
    const view = JSON.parse(out) as Kubeconfig & { "current-context": string };
    const expected = load(readFileSync(file, "utf8")) as Kubeconfig;
    assert.equal(view["current-context"], "webhook");
    assert.deepEqual(view.clusters, expected.clusters);
  });

  test("the ops control plane forwards to authn-webhook-endpoint through the host trust store", async () => {
    const unit = "kubernetes-control-plane/1";
    const unset = await ops.review(unit, GOOD);
    assert.deepEqual([unset.endpoint, unset.review.status], ["", { authenticated: false }]);
    ops.configure(url);
    const forwarded = await ops.review(unit, GOOD);
    assert.equal(forwarded.error, undefined);
    assert.deepEqual(forwarded.review.status, { authenticated: true, user: USER });
    assert.deepEqual((await ops.review(unit, "k8s-aws-v1.other")).review.status, { authenticated: false });
    // Without our CA in the host trust store the (strict) stand-in cannot verify the server; the next
    // hook puts it back.
    rmSync(join(d.state.units[unit]!.machineRoot, PATHS.hostTrustedCa));
    const untrusted = await ops.review(unit, GOOD);
    assert.deepEqual(untrusted.review.status, { authenticated: false });
    assert.match(untrusted.error ?? "", /trust store has no CA/);
    await d.updateStatus("aws-iam");
    assert.deepEqual((await ops.review(unit, GOOD)).review.status, { authenticated: true, user: USER });
  });
});
