/** IRSA against real tools: kubectl applies the webhook objects and reads them back from the emulated API
 * server; an HTTPS server started from the authenticator's Secret (the certificate the webhook serves) is
 * verified with the MutatingWebhookConfiguration's caBundle exactly as stored, at the stored URL's host and
 * path; and the discovery documents kubectl reads are the ones the action hands out, issuer mismatch first. */
import assert from "node:assert/strict";
import { mkdtempSync, rmSync } from "node:fs";
import { createServer, request, type Server } from "node:https";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { KubeConfig } from "@kubernetes/client-node";
import { irsaApiExtraArgs } from "../../src/irsa/api-args.ts";
import { checkDiscoveryDocuments, discoveryActionResult, issuerMismatch } from "../../src/irsa/discovery.ts";
import type { IrsaSettings } from "../../src/irsa/settings.ts";
import { buildIrsaObjects, webhookObjectName } from "../../src/irsa/webhook.ts";
import { NodeKubeClient } from "../../src/k8s/node-client.ts";
import { readServedDiscovery } from "../../src/k8s/read-discovery.ts";
import { buildAuthenticatorObjects, objectNames } from "../../src/workload/manifests/index.ts";
import { makeCa, windowFrom } from "../emulator/charms/tls-forge-ca.ts";
import { type KubeApiEmulator, startKubeApiEmulator } from "../emulator/k8s/emulator.ts";
import { generateTls } from "../emulator/k8s/tls.ts";
import { runKubectl } from "../k8s/kubectl.ts";

const ISSUER = "https://irsa-bucket.s3.eu-west-1.amazonaws.com/prod";
const SETTINGS: IrsaSettings = {
  issuerUrl: ISSUER,
  webhookImage: "public.ecr.aws/eks/amazon-eks-pod-identity-webhook:v0.6.17",
  tokenAudience: "sts.amazonaws.com",
  defaultRegion: "eu-west-1",
  stsRegionalEndpoints: true,
  annotationPrefix: "eks.amazonaws.com",
};

interface StoredWebhook {
  webhooks: Array<{ clientConfig: { url: string; caBundle: string } }>;
}

function listen(server: Server): Promise<number> {
  return new Promise((resolve) =>
    server.listen(0, "127.0.0.1", () => resolve((server.address() as AddressInfo).port)),
  );
}

function get(url: string, ca: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const req = request(url, { ca }, (res) => {
      let body = "";
      res.setEncoding("utf8");
      res.on("data", (c: string) => {
        body += c;
      });
      res.on("end", () => resolve(body));
    });
    req.on("error", reject);
    req.end();
  });
}

describe("IRSA with kubectl against the emulated API server", () => {
  const tls = generateTls();
  let api: KubeApiEmulator;
  let cacheDir: string;
  const kubectl = (args: string[], input?: string) => runKubectl(api.kubeconfigPath, cacheDir, args, input);

  before(async () => {
    api = await startKubeApiEmulator({ controlPlaneNodes: 1 });
    cacheDir = mkdtempSync(join(tmpdir(), "kubectl-cache-"));
  });
  after(async () => {
    await api.close();
    rmSync(cacheDir, { recursive: true, force: true });
  });

  it("applies the webhook objects next to the authenticator's and reads the hook back unchanged", async () => {
    const authenticator = buildAuthenticatorObjects({
      appName: "aws-iam",
      image: "rocks.canonical.com/cdk/aws-iam-authenticator:v0.7.4",
      clusterId: "ck-1",
      tls: { certPem: tls.certPem, keyPem: tls.keyPem },
    });
    const irsa = buildIrsaObjects({ appName: "aws-iam", settings: SETTINGS, caPem: tls.caPem });
    const list = { apiVersion: "v1", kind: "List", items: [...authenticator, ...irsa] };
    await kubectl(
      ["apply", "--server-side", "--validate=false", "--field-manager=aws-iam", "-f", "-"],
      JSON.stringify(list),
    );
    const stored = JSON.parse(
      await kubectl(["get", "mutatingwebhookconfigurations", webhookObjectName("aws-iam"), "-o", "json"]),
    ) as StoredWebhook;
    assert.deepEqual(stored.webhooks, irsa[4].webhooks);
    const ds = JSON.parse(
      await kubectl(["get", "daemonset", "-n", "kube-system", webhookObjectName("aws-iam"), "-o", "json"]),
    ) as { spec: { template: { spec: { volumes: Array<{ secret: { secretName: string } }> } } } };
    assert.equal(ds.spec.template.spec.volumes[0]?.secret.secretName, objectNames("aws-iam").secret);
  });

  it("the certificate in the authenticator's Secret verifies with the stored caBundle at the stored URL", async () => {
    const stored = JSON.parse(
      await kubectl(["get", "mutatingwebhookconfigurations", webhookObjectName("aws-iam"), "-o", "json"]),
    ) as StoredWebhook;
    const secret = JSON.parse(
      await kubectl(["get", "secret", "-n", "kube-system", objectNames("aws-iam").secret, "-o", "json"]),
    ) as { data: Record<string, string> };
    const decode = (b64: string) => Buffer.from(b64, "base64").toString("utf8");
    const server = createServer(
      { cert: decode(secret.data["cert.pem"]!), key: decode(secret.data["key.pem"]!) },
      (req, res) => res.end(`${req.method} ${req.url}`),
    );
    const port = await listen(server);
    try {
      const hook = stored.webhooks[0]!;
      const url = new URL(hook.clientConfig.url);
      assert.equal(url.hostname, "127.0.0.1");
      // Same host and path as stored; only the port is the test server's (the real one is a host port).
      url.port = String(port);
      assert.equal(await get(url.href, decode(hook.clientConfig.caBundle)), "GET /mutate");
      // A CA that did not sign it.
      const otherCa = makeCa("another CA", windowFrom(new Date(), 1)).certPem;
      await assert.rejects(get(url.href, otherCa), /self-signed|unable to verify|certificate/i);
    } finally {
      server.close();
    }
  });

  it("hands out the documents kubectl reads, refusing them until the issuer flag is merged", async () => {
    const raw = async () => ({
      config: await kubectl(["get", "--raw", "/.well-known/openid-configuration"]),
      jwks: await kubectl(["get", "--raw", "/openid/v1/jwks"]),
    });
    const input = {
      settings: SETTINGS,
      partition: "aws",
      accountId: "111122223333",
      namespace: "apps",
      serviceAccount: "app",
    } as const;

    const before = await raw();
    const check = checkDiscoveryDocuments(before.config, before.jwks);
    assert.ok(check.ok);
    assert.match(
      issuerMismatch(SETTINGS, check.config) ?? "",
      /^API server issuer is https:\/\/kubernetes\.default\.svc, not/,
    );
    const refused = discoveryActionResult({ ...input, servedConfig: before.config, servedJwks: before.jwks });
    assert.ok(!refused.ok);

    const flags = irsaApiExtraArgs(SETTINGS);
    api.setServiceAccountIssuer(flags.serviceAccountIssuer, flags.serviceAccountJwksUri);
    const afterDocs = await raw();
    const result = discoveryActionResult({
      ...input,
      servedConfig: afterDocs.config,
      servedJwks: afterDocs.jwks,
    });
    assert.ok(result.ok, result.ok ? "" : result.message);
    // kubectl prints the bodies as served; the emulator renders them the way kube-apiserver does.
    assert.equal(
      result.results["openid-configuration"],
      api.cluster.serviceAccountIssuer.configJson(`127.0.0.1:${api.port}`),
    );
    assert.equal(result.results["jwks"], api.cluster.serviceAccountIssuer.keysetJson());
    const served = JSON.parse(result.results["jwks"] ?? "") as { keys: Array<{ kid: string }> };
    assert.equal(served.keys[0]?.kid, api.cluster.serviceAccountIssuer.kid);
  });

  it("reads the same bytes with the admin kubeconfig, and never from a server it cannot verify", async () => {
    const kc = new KubeConfig();
    kc.loadFromString(api.kubeconfigYaml());
    const served = await readServedDiscovery(new NodeKubeClient(kc));
    assert.ok(served.ok, served.ok ? "" : served.reason);
    assert.equal(served.config, await kubectl(["get", "--raw", "/.well-known/openid-configuration"]));
    assert.equal(served.jwks, await kubectl(["get", "--raw", "/openid/v1/jwks"]));

    const insecure = new KubeConfig();
    insecure.loadFromOptions({
      clusters: [{ name: "c", server: api.url, skipTLSVerify: true }],
      users: [{ name: "u", token: api.token }],
      contexts: [{ name: "x", cluster: "c", user: "u" }],
      currentContext: "x",
    });
    const refused = await readServedDiscovery(new NodeKubeClient(insecure));
    assert.ok(!refused.ok);
    assert.match(refused.reason, /certificate/i);

    api.setServiceAccountIssuer("kubernetes/serviceaccount");
    const none = await readServedDiscovery(new NodeKubeClient(kc));
    assert.ok(!none.ok);
    assert.match(none.reason, /HTTP 404 \(the API server serves no discovery/);
  });
});
