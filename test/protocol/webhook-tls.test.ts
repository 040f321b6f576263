/** The webhook kubeconfig aws-iam writes is what a TokenReview client needs, and nothing more: a server
 * with the certificate a provider issued (here self-signed-certificates, CSR protocol) on 127.0.0.1 is
 * reached at the file's URL trusting only the file's certificate-authority-data (TLS handshake and the
 * IP SAN check pass), kubectl reads the same file, and the ops control plane stand-in forwards a
 * TokenReview there through the host trust store aws-iam filled. */
import assert from "node:assert/strict";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, test } from "node:test";
import { load } from "js-yaml";
import { pemBlocks, pemFile, servedChainPem } from "../../src/certificates/pem.ts";
import { PATHS } from "../../src/machine/paths.ts";
import {
  type AuthenticatorDouble,
  DENY_BODY,
  startAuthenticatorDouble,
} from "../emulator/authenticator/server.ts";
import { INTERNAL_ERROR_BODY } from "../emulator/charms/ck-auth-webhook.ts";
import type { OpsControlPlane } from "../emulator/charms/ops-control-plane.ts";
import type { Deployment } from "../emulator/juju/deployment.ts";
import { runKubectl } from "../k8s/kubectl.ts";
import { latestContent, statusOf } from "../support/certificates.ts";
import { charmDeployment } from "../support/deployments.ts";
import { postReview } from "../support/post-review.ts";
import { csrProvider } from "../support/providers.ts";
import { makeTestCerts } from "../unit/control-plane/certs-fixture.ts";

const GOOD = "k8s-aws-v1.aHR0cHM6Ly9zdHMuYW1hem9uYXdzLmNvbS8_good";
const USER = { username: "alice", uid: "aws-iam-authenticator:123456789012:AIDAEXAMPLE", groups: ["dev"] };

interface Kubeconfig {
  clusters: Array<{ name: string; cluster: { server: string; "certificate-authority-data": string } }>;
}

describe("the webhook kubeconfig against a server with the issued certificate", () => {
  let d: Deployment;
  let ops: OpsControlPlane;
  let server: AuthenticatorDouble;
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
    // No Kubernetes here: the files the Secret would hold, built by the charm's own functions
    // (test/protocol/served-chain.test.ts reads the real Secret).
    const secret = latestContent(d);
    server = await startAuthenticatorDouble({
      certFile: servedChainPem({
        certPem: secret["certificate"]!,
        intermediatePems: pemBlocks(secret["chain"] ?? ""),
      }),
      keyFile: pemFile([secret["key"]!]),
      users: { [GOOD]: USER },
    });
    url = server.url;
    await d.configure("aws-iam", { port: server.port });
    file = join(d.state.units["aws-iam/1"]!.machineRoot, PATHS.webhookKubeconfig);
    cacheDir = mkdtempSync(join(tmpdir(), "kubectl-cache-"));
  });
  after(async () => {
    await server.close();
    rmSync(cacheDir, { recursive: true, force: true });
  });

  test("a TokenReview reaches the server at the file's URL, trusting only the file's CA", async () => {
    // The model has no Kubernetes: the units got as far as the workload step.
    assert.match(statusOf(d, "aws-iam/1"), /^waiting: no Kubernetes credentials/);
    const cluster = (load(readFileSync(file, "utf8")) as Kubeconfig).clusters[0]!.cluster;
    assert.equal(cluster.server, url);
    const ca = Buffer.from(cluster["certificate-authority-data"], "base64").toString("utf8");
    assert.deepEqual(
      (JSON.parse((await postReview(cluster.server, ca, GOOD)).body) as { status: unknown }).status,
      {
        authenticated: true,
        user: USER,
      },
    );
    // The upstream deny body: no `authenticated` at all.
    assert.deepEqual(
      JSON.parse((await postReview(cluster.server, ca, "k8s-aws-v1.other")).body),
      JSON.parse(DENY_BODY),
    );
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

  test("the ops control plane forwards to authn-webhook-endpoint, verified through the host trust store", async () => {
    const unit = "kubernetes-control-plane/1";
    const unset = await ops.review(unit, GOOD);
    assert.deepEqual(
      [unset.endpoint, unset.review?.status, unset.forwards],
      ["", { authenticated: false }, []],
    );
    ops.configure(url);
    const forwarded = await ops.review(unit, GOOD);
    assert.deepEqual(
      forwarded.forwards.map((f) => f.tls),
      ["verified"],
    );
    assert.deepEqual(forwarded.review?.status, { authenticated: true, user: USER });
    // What a user with an unmapped token meets: the forwarder's KeyError, a 500.
    const denied = await ops.review(unit, "k8s-aws-v1.other");
    assert.deepEqual([denied.httpStatus, denied.body], [500, INTERNAL_ERROR_BODY]);
    // Without our CA in the host trust store CK's forwarder still gets through, unverified (its
    // verify_ssl=False retry); the next hook puts the CA back and it verifies again.
    rmSync(join(d.state.units[unit]!.machineRoot, PATHS.hostTrustedCa));
    const untrusted = await ops.review(unit, GOOD);
    assert.deepEqual(
      untrusted.forwards.map((f) => f.tls),
      ["unverified"],
    );
    assert.deepEqual(untrusted.review?.status, { authenticated: true, user: USER });
    await d.updateStatus("aws-iam");
    assert.deepEqual(
      (await ops.review(unit, GOOD)).forwards.map((f) => f.tls),
      ["verified"],
    );
  });
});
