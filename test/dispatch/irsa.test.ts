/** End-to-end, IAM roles for pods through the real built dispatch on one control-plane machine whose admin
 * kubeconfig points at the Kubernetes API emulator: IRSA on applies the pod identity webhook's objects with the
 * authenticator's, the status and get-irsa-discovery say the API server's issuer is not the configured one
 * until the operator's api-extra-args merge (emulated with setServiceAccountIssuer), then the unit is active
 * and the action hands out the documents exactly as served; IRSA off removes every webhook object and the
 * authenticator keeps serving. The other cases (no CA yet, unusable documents, the RangeError path) are
 * decided by the pure core (test/unit/irsa). */
import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { ISSUER_CHANGE_CONSEQUENCE, jwksUri } from "../../src/irsa/api-args.ts";
import { checkDiscoveryDocuments } from "../../src/irsa/discovery.ts";
import { type KubeApiEmulator, startKubeApiEmulator } from "../emulator/k8s/index.ts";
import { statusOf } from "../support/certificates.ts";
import { ALL_OBJECTS, type ClusterDeployment, clusterDeployment, nodeOf } from "../support/cluster.ts";
import { dispatchExecutor } from "../support/deployments.ts";

const UNIT = "aws-iam/0";
const ISSUER = "https://my-bucket.s3.eu-west-1.amazonaws.com/my-cluster";
const WEBHOOK = "aws-iam-irsa-webhook";
const WEBHOOK_OBJECTS = [
  `clusterrole.rbac.authorization.k8s.io/${WEBHOOK}`,
  `clusterrolebinding.rbac.authorization.k8s.io/${WEBHOOK}`,
  `daemonset.apps/${WEBHOOK}`,
  `mutatingwebhookconfiguration.admissionregistration.k8s.io/${WEBHOOK}`,
  `serviceaccount/${WEBHOOK}`,
];
const PARAMS = { "account-id": "111122223333", namespace: "apps", "service-account": "s3-reader" };

describe("IRSA through the built dispatch", () => {
  let kube: KubeApiEmulator;
  let c: ClusterDeployment;

  before(async () => {
    kube = await startKubeApiEmulator({ controlPlaneNodes: 1, workerNodes: 0 });
    // Set up in process (the certificate and the workload through the built dispatch are
    // test/dispatch/served-chain.test.ts and workload.test.ts); every hook and action of the test runs
    // through the built dispatch.
    c = await clusterDeployment(kube, { mode: "in-process", units: 1 });
    c.d.useExecutor(dispatchExecutor());
  });
  after(async () => {
    await c.dispose();
    await kube.close();
  });

  test("on: webhook applied, issuer mismatch until the API server changes it; off: every webhook object gone", async () => {
    const { d, kubectl } = c;
    const ready = `active: authenticator ready on ${nodeOf(d, UNIT)}`;
    const webhookObjects = async () =>
      (
        await kubectl([
          "get",
          "ds,sa,clusterrole,clusterrolebinding,mutatingwebhookconfiguration",
          "-A",
          "-l",
          "app.kubernetes.io/component=irsa-webhook",
          "-o",
          "name",
        ])
      )
        .split("\n")
        .filter((line) => line !== "")
        .sort();
    const failed = () => d.log.filter((s) => s.result !== undefined && s.result.exitCode !== 0);
    assert.equal(statusOf(d, UNIT), ready);

    await d.configure("aws-iam", { "irsa-issuer-url": ISSUER });
    assert.deepEqual(await webhookObjects(), WEBHOOK_OBJECTS);
    const ds = JSON.parse(await kubectl(["-n", "kube-system", "get", "ds", WEBHOOK, "-o", "json"]));
    assert.equal(ds.status.numberReady, ds.status.desiredNumberScheduled, "the webhook's pods are ready");
    assert.ok(ds.status.numberReady >= 1);
    const mismatch =
      `IRSA: API server issuer is https://kubernetes.default.svc, not irsa-issuer-url ${ISSUER}: ` +
      "merge the api-extra-args from get-control-plane-config into kubernetes-control-plane";
    assert.equal(statusOf(d, UNIT), `blocked: ${mismatch}`);
    const early = await d.runAction(UNIT, "get-irsa-discovery", PARAMS);
    assert.equal(early.action?.failed, mismatch.slice("IRSA: ".length));

    const config = await d.runAction(UNIT, "get-control-plane-config");
    assert.match(
      String(config.action!.results["api-extra-args"]),
      new RegExp(`service-account-issuer=${ISSUER} service-account-jwks-uri=${ISSUER}/openid/v1/jwks`),
    );
    assert.equal(config.action!.results["irsa-warning"], ISSUER_CHANGE_CONSEQUENCE);

    // The operator merged the flags: kube-apiserver now signs and serves discovery as the new issuer.
    kube.setServiceAccountIssuer(ISSUER, jwksUri(ISSUER));
    await d.updateStatus("aws-iam");
    assert.equal(statusOf(d, UNIT), ready);
    const idle = await c.counting(() => d.updateStatus("aws-iam"));
    assert.deepEqual(idle.writes, [], "an idle update-status writes nothing to Kubernetes");

    const discovery = await d.runAction(UNIT, "get-irsa-discovery", PARAMS);
    assert.equal(discovery.exitCode, 0, discovery.stderr);
    const results = discovery.action!.results as Record<string, string>;
    const served = {
      config: await kubectl(["get", "--raw", "/.well-known/openid-configuration"]),
      jwks: await kubectl(["get", "--raw", "/openid/v1/jwks"]),
    };
    assert.equal(results["openid-configuration"], served.config);
    assert.equal(results["jwks"], served.jwks);
    const check = checkDiscoveryDocuments(results["openid-configuration"] ?? "", results["jwks"] ?? "");
    assert.ok(check.ok, JSON.stringify(check));
    assert.equal(check.config.issuer, ISSUER);
    assert.equal(check.config.jwksUri, `${ISSUER}/openid/v1/jwks`);
    assert.equal(results["openid-configuration-key"], "my-cluster/.well-known/openid-configuration");
    assert.equal(results["jwks-key"], "my-cluster/openid/v1/jwks");
    assert.equal(
      results["provider-arn"],
      "arn:aws:iam::111122223333:oidc-provider/my-bucket.s3.eu-west-1.amazonaws.com/my-cluster",
    );
    assert.equal(results["audience"], "sts.amazonaws.com");
    const policy = JSON.parse(results["trust-policy"] ?? "{}");
    assert.equal(
      policy.Statement[0].Condition.StringEquals["my-bucket.s3.eu-west-1.amazonaws.com/my-cluster:sub"],
      "system:serviceaccount:apps:s3-reader",
    );

    await d.configure("aws-iam", { "irsa-issuer-url": "" });
    assert.deepEqual(await webhookObjects(), []);
    assert.deepEqual((await c.objects("shared")).sort(), [...ALL_OBJECTS].sort());
    assert.equal(statusOf(d, UNIT), ready);
    assert.deepEqual(
      failed().map((s) => `${s.description}: ${s.result!.stderr}`),
      [],
    );
  });
});
