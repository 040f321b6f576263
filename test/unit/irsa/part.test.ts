// IRSA in the shapes the new hook and the actions dispatcher take: a Plan part, and the action against the
// emulated API server's discovery documents read with the admin kubeconfig.
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { KubeConfig } from "@kubernetes/client-node";
import { renderApiExtraArgs } from "../../../src/control-plane/api-extra-args.ts";
import { irsaDiscoveryAction } from "../../../src/irsa/actions.ts";
import { irsaApiExtraArgs } from "../../../src/irsa/api-args.ts";
import { decideIrsaPart, irsaControlPlaneConfig, irsaNeeds } from "../../../src/irsa/decide.ts";
import { PRUNE_KINDS } from "../../../src/k8s/known-resources.ts";
import { NodeKubeClient } from "../../../src/k8s/node-client.ts";
import { readServedDiscovery, readServedDiscoveryFrom } from "../../../src/k8s/read-discovery.ts";
import { PATHS } from "../../../src/machine/paths.ts";
import { type KubeApiEmulator, startKubeApiEmulator } from "../../emulator/k8s/emulator.ts";
import { ServiceAccountIssuer } from "../../emulator/k8s/oidc.ts";
import { generateTls } from "../../emulator/k8s/tls.ts";
import { parsedConfig } from "../../support/config-defaults.ts";
import { observed } from "../plan/observed.ts";

const config = parsedConfig;
const ISSUER = "https://irsa-bucket.s3.us-gov-west-1.amazonaws.com/prod";
const ON = { "irsa-issuer-url": ISSUER };
const { caPem } = generateTls();
/** What a hook with the admin kubeconfig on its machine sees, with `raw` over config.yaml's defaults. */
const seen = (raw: Record<string, unknown> = {}) =>
  observed({ config: raw, files: { [PATHS.adminKubeconfig]: "apiVersion: v1" } });

describe("decideIrsaPart", () => {
  it("off: no status, no objects, no flags, but the prune kinds, so what was deployed goes", () => {
    const part = decideIrsaPart({
      appName: "aws-iam",
      leader: true,
      config: config(),
      caPem,
      served: undefined,
    });
    assert.deepEqual(part.plan, {});
    assert.deepEqual(part.objects, []);
    assert.deepEqual(part.apiExtraArgs, {});
    assert.ok(
      PRUNE_KINDS.some((k) => k.kind === "MutatingWebhookConfiguration"),
      "the prune and teardown kinds always include the webhook's",
    );
    assert.deepEqual(irsaNeeds(seen()), []);
    assert.deepEqual(irsaControlPlaneConfig(config()), { apiExtraArgs: {} });
  });

  it("on, leader: the webhook objects for the workload's apply; a non-leader applies nothing", () => {
    const c = config(ON);
    assert.deepEqual(irsaNeeds(seen(ON)), [{ kind: "irsa-discovery" }]);
    const leader = decideIrsaPart({ appName: "aws-iam", leader: true, config: c, caPem, served: undefined });
    assert.deepEqual(
      leader.objects.map((o) => o.kind),
      ["ServiceAccount", "ClusterRole", "ClusterRoleBinding", "DaemonSet", "MutatingWebhookConfiguration"],
    );
    assert.deepEqual(leader.plan, {});
    const other = decideIrsaPart({ appName: "aws-iam", leader: false, config: c, caPem, served: undefined });
    assert.deepEqual(other.objects, []);
  });

  it("on, the discovery documents are read only with the whole config valid and the admin kubeconfig there", () => {
    assert.deepEqual(irsaNeeds(seen({ ...ON, "backend-mode": "Nonsense" })), []);
    assert.deepEqual(irsaNeeds(observed({ config: ON, files: {} })), []);
  });

  it("issuer not merged yet: blocked on the unit and, for the leader, the application", () => {
    const issuer = new ServiceAccountIssuer();
    const served = {
      ok: true as const,
      config: issuer.configJson("10.0.0.1:6443") ?? "",
      jwks: issuer.keysetJson(),
    };
    const part = decideIrsaPart({ appName: "aws-iam", leader: true, config: config(ON), caPem, served });
    assert.equal(part.plan.unitStatus?.[0]?.name, "blocked");
    assert.match(
      part.plan.unitStatus?.[0]?.message ?? "",
      /^IRSA: API server issuer is https:\/\/kubernetes\.default\.svc, not/,
    );
    assert.deepEqual(part.plan.appStatus, part.plan.unitStatus);
  });

  it("a CA the webhook cannot carry blocks IRSA only, and the flags still render", () => {
    const part = decideIrsaPart({
      appName: "aws-iam",
      leader: true,
      config: config(ON),
      caPem: "not a certificate",
      served: undefined,
    });
    assert.equal(part.plan.unitStatus?.[0]?.name, "blocked");
    assert.deepEqual(part.objects, []);
    assert.equal(part.apiExtraArgs.serviceAccountIssuer, ISSUER);
  });

  it("get-control-plane-config renders the issuer flags next to the cache TTL, with the consequence", () => {
    const cp = irsaControlPlaneConfig(config({ ...ON, "token-webhook-cache-ttl": "2m0s" }));
    assert.equal(
      renderApiExtraArgs({ tokenWebhookCacheTtl: "2m0s", ...cp.apiExtraArgs }),
      `api-audiences=https://kubernetes.default.svc,${ISSUER} authentication-token-webhook-cache-ttl=2m0s service-account-issuer=${ISSUER} service-account-jwks-uri=${ISSUER}/openid/v1/jwks`,
    );
    assert.match(cp.consequence ?? "", /replaces https:\/\/kubernetes\.default\.svc/);
  });
});

describe("irsaDiscoveryAction against the emulated API server", () => {
  let api: KubeApiEmulator;
  let readServed: () => ReturnType<typeof readServedDiscovery>;

  before(async () => {
    api = await startKubeApiEmulator({ controlPlaneNodes: 1 });
    const kc = new KubeConfig();
    kc.loadFromString(api.kubeconfigYaml());
    readServed = () => readServedDiscovery(new NodeKubeClient(kc));
  });
  after(async () => api.close());

  const params = { "account-id": "111122223333", namespace: "apps", "service-account": "s3-reader" };

  it("reads from the admin kubeconfig's text, and says when there is none", async () => {
    const served = await readServedDiscoveryFrom(api.kubeconfigYaml());
    assert.ok(served.ok, served.ok ? "" : served.reason);
    assert.deepEqual(await readServedDiscoveryFrom(undefined), {
      ok: false,
      reason: "no admin kubeconfig on this machine yet (the control plane writes it)",
    });
    assert.deepEqual(await readServedDiscoveryFrom("{: not yaml"), {
      ok: false,
      reason: "the admin kubeconfig cannot be parsed",
    });
  });

  it("fails while IRSA is off or parameters are missing", async () => {
    const off = await irsaDiscoveryAction(params, { config: config() }, { readServed });
    assert.ok(!off.ok);
    assert.match(off.message, /^IRSA is off: set irsa-issuer-url/);
    const missing = await irsaDiscoveryAction(
      { "account-id": "111122223333" },
      { config: config(ON) },
      { readServed },
    );
    assert.ok(!missing.ok);
    assert.match(missing.message, /^namespace and service-account/);
    const noAccount = await irsaDiscoveryAction(
      { namespace: "apps", "service-account": "s3-reader", "account-id": "  " },
      { config: config(ON) },
      { readServed },
    );
    assert.deepEqual(noAccount, {
      ok: false,
      message: "account-id: is missing; expected the 12-digit AWS account the IAM OIDC provider is in",
    });
    const badPartition = await irsaDiscoveryAction(
      { ...params, partition: "aws-mars" },
      { config: config(ON) },
      { readServed },
    );
    assert.deepEqual(badPartition, {
      ok: false,
      message:
        'partition: "aws-mars" is not one of aws, aws-cn, aws-us-gov, aws-iso, aws-iso-b, aws-iso-e, aws-iso-f, aws-eusc',
    });
    const unread = await irsaDiscoveryAction(
      params,
      { config: config(ON) },
      { readServed: async () => ({ ok: false, reason: "x" }) },
    );
    assert.deepEqual(unread, {
      ok: false,
      message: "could not read the API server's discovery documents: x",
    });
  });

  it("refuses the documents until the issuer is merged, then hands them out in the config's partition", async () => {
    const c = config({ ...ON, partition: "aws-us-gov" });
    const early = await irsaDiscoveryAction(params, { config: c }, { readServed });
    assert.ok(!early.ok);
    assert.match(
      early.message,
      /^API server issuer is https:\/\/kubernetes\.default\.svc, not irsa-issuer-url/,
    );

    const flags = irsaApiExtraArgs(c.irsa!);
    api.setServiceAccountIssuer(flags.serviceAccountIssuer, flags.serviceAccountJwksUri);
    const outcome = await irsaDiscoveryAction(params, { config: c }, { readServed });
    assert.ok(outcome.ok, outcome.ok ? "" : outcome.message);
    assert.equal(
      outcome.results["openid-configuration"],
      api.cluster.serviceAccountIssuer.configJson(`127.0.0.1:${api.port}`),
    );
    assert.equal(outcome.results["jwks"], api.cluster.serviceAccountIssuer.keysetJson());
    assert.equal(outcome.results["openid-configuration-key"], "prod/.well-known/openid-configuration");
    assert.equal(
      outcome.results["provider-arn"],
      "arn:aws-us-gov:iam::111122223333:oidc-provider/irsa-bucket.s3.us-gov-west-1.amazonaws.com/prod",
    );
    const aws = await irsaDiscoveryAction({ ...params, partition: "aws" }, { config: c }, { readServed });
    assert.match((aws.ok && aws.results["provider-arn"]) || "", /^arn:aws:iam::/);
  });
});
