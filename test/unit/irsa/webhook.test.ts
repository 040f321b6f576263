import assert from "node:assert/strict";
import { X509Certificate } from "node:crypto";
import { describe, it } from "node:test";
import type { V1ClusterRole, V1DaemonSet, V1MutatingWebhookConfiguration } from "@kubernetes/client-node";
import type { IrsaSettings } from "../../../src/irsa/settings.ts";
import {
  buildIrsaObjects,
  buildMutatingWebhookConfiguration,
  buildWebhookDaemonSet,
  buildWebhookRbac,
  type WebhookSpec,
  webhookArgs,
} from "../../../src/irsa/webhook.ts";
import { buildAuthenticatorObjects, selectorLabels } from "../../../src/workload/manifests/index.ts";
import { generateTls } from "../../emulator/k8s/tls.ts";
import { BASE_SPEC } from "../workload/manifests/fixtures.ts";
import { validateAgainstOfficialSchema } from "../workload/manifests/schema.ts";

const tls = generateTls();
const SETTINGS: IrsaSettings = {
  issuerUrl: "https://irsa-bucket.s3.eu-west-1.amazonaws.com/prod",
  webhookImage: "public.ecr.aws/eks/amazon-eks-pod-identity-webhook:v0.6.17",
  tokenAudience: "sts.amazonaws.com",
  defaultRegion: undefined,
  stsRegionalEndpoints: true,
  annotationPrefix: "eks.amazonaws.com",
};
const SPEC: WebhookSpec = { appName: "aws-iam", settings: SETTINGS, caPem: tls.caPem };

function mwc(spec: WebhookSpec = SPEC): V1MutatingWebhookConfiguration {
  return buildMutatingWebhookConfiguration(spec);
}

describe("IRSA webhook objects", () => {
  it("validate against the official schemas, in apply order with the hook last", () => {
    const objects = buildIrsaObjects(SPEC);
    assert.deepEqual(
      objects.map((o) => o.kind),
      ["ServiceAccount", "ClusterRole", "ClusterRoleBinding", "DaemonSet", "MutatingWebhookConfiguration"],
    );
    for (const obj of objects) validateAgainstOfficialSchema(obj);
  });

  it("grants read-only service accounts and nothing for CSRs or secrets", () => {
    const [role, binding] = buildWebhookRbac(SPEC);
    assert.deepEqual((role as V1ClusterRole).rules, [
      { apiGroups: [""], resources: ["serviceaccounts"], verbs: ["get", "list", "watch"] },
    ]);
    assert.deepEqual(binding.subjects, [
      { kind: "ServiceAccount", name: "aws-iam-irsa-webhook", namespace: "kube-system" },
    ]);
    assert.equal(binding.roleRef.name, role.metadata?.name);
  });

  it("calls the local instance over loopback with the CA the authenticator's certificate verifies against", () => {
    const hook = mwc().webhooks?.[0];
    assert.ok(hook);
    assert.equal(hook.clientConfig.url, "https://127.0.0.1:21364/mutate");
    assert.equal(hook.clientConfig.service, undefined);
    const ca = new X509Certificate(Buffer.from(hook.clientConfig.caBundle ?? "", "base64").toString("utf8"));
    assert.ok(
      new X509Certificate(tls.certPem).verify(ca.publicKey),
      "served certificate verifies against caBundle",
    );
    assert.ok(new X509Certificate(tls.certPem).checkIP("127.0.0.1"), "served certificate covers 127.0.0.1");
  });

  it("refuses a leaf certificate as caBundle", () => {
    assert.throws(() => mwc({ ...SPEC, caPem: tls.certPem }), /is not a CA/);
  });

  it("can never block a pod: Ignore, short timeout, system namespaces and opted-out pods never sent", () => {
    const hook = mwc().webhooks?.[0];
    assert.ok(hook);
    assert.equal(hook.failurePolicy, "Ignore");
    assert.equal(hook.sideEffects, "None");
    assert.ok((hook.timeoutSeconds ?? 10) <= 5);
    assert.deepEqual(hook.namespaceSelector?.matchExpressions, [
      {
        key: "kubernetes.io/metadata.name",
        operator: "NotIn",
        values: ["kube-system", "kube-public", "kube-node-lease"],
      },
    ]);
    assert.deepEqual(hook.objectSelector?.matchExpressions, [
      { key: "eks.amazonaws.com/skip-pod-identity-webhook", operator: "DoesNotExist" },
    ]);
    assert.deepEqual(hook.rules, [
      {
        operations: ["CREATE"],
        apiGroups: [""],
        apiVersions: ["v1"],
        resources: ["pods"],
        scope: "Namespaced",
      },
    ]);
  });

  it("asks for v1beta1 reviews, the only version released images answer correctly", () => {
    assert.deepEqual(mwc().webhooks?.[0]?.admissionReviewVersions, ["v1beta1"]);
  });

  it("passes the region, regional-endpoint, prefix and audience flags", () => {
    const args = webhookArgs({
      ...SPEC,
      settings: {
        ...SETTINGS,
        defaultRegion: "eu-west-1",
        stsRegionalEndpoints: false,
        annotationPrefix: "iam.example.com",
        tokenAudience: "sts.example",
      },
    });
    for (const flag of [
      "--in-cluster=false",
      "--aws-default-region=eu-west-1",
      "--sts-regional-endpoint=false",
      "--annotation-prefix=iam.example.com",
      "--token-audience=sts.example",
      "--port=21364",
      "--metrics-port=21365",
    ])
      assert.ok(args.includes(flag), `${flag} in ${args.join(" ")}`);
    assert.ok(
      !webhookArgs(SPEC).some((a) => a.startsWith("--aws-default-region")),
      "no region flag when unset",
    );
  });

  it("runs on the control-plane hosts' network with the authenticator's Secret mounted as its certificate", () => {
    const ds = buildWebhookDaemonSet(SPEC) as V1DaemonSet;
    const pod = ds.spec?.template.spec;
    assert.ok(pod);
    assert.equal(pod.hostNetwork, true);
    assert.deepEqual(pod.nodeSelector, { "node-role.kubernetes.io/control-plane": "" });
    const authenticatorSecret = buildAuthenticatorObjects(BASE_SPEC).find((o) => o.kind === "Secret");
    assert.equal(pod.volumes?.[0]?.secret?.secretName, authenticatorSecret?.metadata?.name);
    const args = pod.containers[0]?.args ?? [];
    assert.ok(args.includes("--tls-cert=/etc/webhook/certs/cert.pem"));
    assert.ok(args.includes("--tls-key=/etc/webhook/certs/key.pem"));
    assert.deepEqual(ds.spec?.updateStrategy?.rollingUpdate, { maxUnavailable: 1, maxSurge: 0 });
  });

  it("is locked down like the authenticator: non-root pod, no privilege, read-only root, no capabilities", () => {
    const pod = buildWebhookDaemonSet(SPEC).spec?.template.spec;
    const authenticator = buildAuthenticatorObjects(BASE_SPEC).find(
      (o) => o.kind === "DaemonSet",
    ) as V1DaemonSet;
    const theirs = authenticator.spec?.template.spec;
    assert.deepEqual(pod?.securityContext, theirs?.securityContext);
    assert.deepEqual(pod?.containers[0]?.securityContext, {
      privileged: false,
      allowPrivilegeEscalation: false,
      readOnlyRootFilesystem: true,
      capabilities: { drop: ["ALL"] },
    });
    assert.deepEqual(pod?.containers[0]?.securityContext, theirs?.containers[0]?.securityContext);
  });

  it("selects pods the authenticator's DaemonSet never selects, and the other way round", () => {
    const ds = buildWebhookDaemonSet(SPEC);
    const mine = ds.spec?.selector.matchLabels ?? {};
    const theirs = selectorLabels("aws-iam");
    const podLabels = ds.spec?.template.metadata?.labels ?? {};
    const matches = (selector: Record<string, string>, labels: Record<string, string>) =>
      Object.entries(selector).every(([k, v]) => labels[k] === v);
    assert.ok(matches(mine, podLabels));
    assert.ok(!matches(theirs, podLabels), "authenticator selector must not match webhook pods");
    const authenticatorPodLabels =
      (buildAuthenticatorObjects(BASE_SPEC).find((o) => o.kind === "DaemonSet") as V1DaemonSet).spec?.template
        .metadata?.labels ?? {};
    assert.ok(!matches(mine, authenticatorPodLabels), "webhook selector must not match authenticator pods");
  });

  it("labels every object as the application's, so pruning by the owned selector removes them all", () => {
    for (const obj of buildIrsaObjects(SPEC)) {
      assert.equal(obj.metadata?.labels?.["app.kubernetes.io/instance"], "aws-iam");
      assert.equal(obj.metadata?.labels?.["app.kubernetes.io/managed-by"], "charm-aws-iam");
      assert.equal(obj.metadata?.labels?.["app.kubernetes.io/name"], "aws-iam-authenticator");
    }
  });

  it("is deterministic: the same input renders the same objects", () => {
    assert.deepEqual(buildIrsaObjects(SPEC), buildIrsaObjects({ ...SPEC }));
  });
});
