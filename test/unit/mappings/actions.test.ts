// The mapping actions as src/actions/mappings.ts calls them: against the Kubernetes emulator through the real
// client, and verify-token against the authenticator double over TLS verified with the webhook kubeconfig's CA.
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import yaml from "js-yaml";
import { pemFile } from "../../../src/certificates/pem.ts";
import { renderWebhookKubeconfig } from "../../../src/control-plane/webhook-kubeconfig.ts";
import type { KubeClient } from "../../../src/k8s/client.ts";
import { KubeUnavailable } from "../../../src/k8s/errors.ts";
import { postTokenReview } from "../../../src/k8s/post-token-review.ts";
import {
  addMappingAction,
  listMappingsAction,
  type MappingsActionDeps,
  removeMappingAction,
  verifyTokenAction,
} from "../../../src/mappings/actions.ts";
import { buildIamIdentityMappingCrd } from "../../../src/workload/manifests/crd.ts";
import { type AuthenticatorDouble, startAuthenticatorDouble } from "../../emulator/authenticator/server.ts";
import { servingChain, windowFrom } from "../../emulator/charms/tls-forge-ca.ts";
import type { KubeApiEmulator } from "../../emulator/k8s/index.ts";
import { clientFor, startCluster } from "../../k8s/harness.ts";
import { parsedConfig } from "../../support/config-defaults.ts";

const config = parsedConfig;

const APP = "aws-iam";
const ROLE = "arn:aws:iam::111122223333:role/k8s-admins";
const WEBHOOK_KUBECONFIG = "/root/cdk/aws-iam-webhook.yaml";

const writes = (api: KubeApiEmulator, from: number): string[] =>
  api.requests
    .slice(from)
    .filter((r) => ["POST", "PUT", "PATCH", "DELETE"].includes(r.method))
    .map((r) => `${r.method} ${r.path}`);

describe("mapping actions against the emulated cluster", () => {
  let api: KubeApiEmulator;
  let kube: KubeClient;
  let deps: MappingsActionDeps;

  before(async () => {
    api = await startCluster(1, 0);
    kube = clientFor(api);
    deps = { kube: async () => kube, readFile: async () => undefined, post: postTokenReview };
  });
  after(async () => api.close());

  it("add-mapping refuses while the CRD is missing, then creates, leaves alone, and list-mappings shows it", async () => {
    const input = {
      appName: APP,
      config: config({
        "backend-mode": "CRD,MountedFile",
        "map-roles": `- {rolearn: '${ROLE}', username: from-config}`,
      }),
    };
    const missing = await addMappingAction({ arn: ROLE, username: "admin" }, input, deps);
    assert.ok(!missing.ok);
    assert.match(missing.message, /CRD is not installed yet/);

    await kube.apply([buildIamIdentityMappingCrd()], "test");
    const created = await addMappingAction(
      { arn: ROLE, username: "admin", groups: "system:masters" },
      input,
      deps,
    );
    assert.ok(created.ok, created.ok ? "" : created.message);
    assert.equal(created.results["result"], "created");
    const from = api.requests.length;
    const again = await addMappingAction(
      { arn: ROLE, username: "admin", groups: "system:masters" },
      input,
      deps,
    );
    assert.deepEqual(again.ok && again.results, { name: created.results["name"], result: "unchanged" });
    assert.deepEqual(writes(api, from), []);

    const listed = await listMappingsAction({}, input, deps);
    assert.ok(listed.ok);
    const entries = yaml.load(listed.results["mappings"] ?? "") as {
      source: string;
      wins: boolean;
      answeredBy?: string;
    }[];
    // No authenticator runs here, so nothing wrote status.canonicalARN, the only field upstream's CRD mapper
    // indexes (pkg/mapper/crd/controller/controller.go syncHandler): the object does not answer yet.
    assert.deepEqual(
      entries.map((e) => [e.source, e.wins, e.answeredBy]),
      [
        [
          `IAMIdentityMapping/${created.results["name"]}`,
          false,
          "nothing until status.canonicalARN is written",
        ],
        ["map-roles[0]", true, undefined],
      ],
    );
    assert.deepEqual(writes(api, from), [], "list-mappings only reads");
  });

  it("refuses an object someone else made unless forced, and remove-mapping deletes what it matches", async () => {
    const input = { appName: APP, config: config() };
    const user = "arn:aws:iam::111122223333:user/alice";
    await kube.apply(
      [
        {
          apiVersion: "iamauthenticator.k8s.aws/v1alpha1",
          kind: "IAMIdentityMapping",
          metadata: { name: "alice-by-hand" },
          spec: { arn: user, username: "alice" },
        } as never,
      ],
      "kubectl",
    );
    const refused = await removeMappingAction({ arn: user }, input, deps);
    assert.ok(!refused.ok);
    assert.match(refused.message, /alice-by-hand/);
    const add = await addMappingAction({ arn: user, username: "alice" }, input, deps);
    assert.ok(!add.ok);
    assert.match(add.message, /already maps/);
    const removed = await removeMappingAction({ arn: user, force: true }, input, deps);
    assert.deepEqual(removed.ok && removed.results, { deleted: "alice-by-hand", count: "1" });
  });

  it("reads the operator's aws-auth for EKSConfigMap, with problems, and never writes it", async () => {
    await kube.apply(
      [
        {
          apiVersion: "v1",
          kind: "ConfigMap",
          metadata: { name: "aws-auth", namespace: "kube-system" },
          data: { mapRoles: `- rolearn: ${ROLE}\n  username: eks-admin\n`, mapAccounts: "- '12345'\n" },
        } as never,
      ],
      "eksctl",
    );
    const from = api.requests.length;
    const listed = await listMappingsAction(
      {},
      { appName: APP, config: config({ "backend-mode": "EKSConfigMap,CRD" }) },
      deps,
    );
    assert.ok(listed.ok);
    const entries = yaml.load(listed.results["mappings"] ?? "") as {
      source: string;
      wins: boolean;
      problems?: string[];
    }[];
    assert.equal(entries[0]?.source, "aws-auth mapRoles[0]");
    assert.equal(entries[0]?.wins, true);
    assert.ok(entries.some((e) => e.source === "aws-auth mapAccounts[0]" && (e.problems?.length ?? 0) > 0));
    assert.deepEqual(writes(api, from), []);
  });

  // Each fault test gets its own client: the adapter remembers an unreachable server for the rest of the
  // hook (node-client.ts call), which would fail every later test on the shared one.
  it("list-mappings fails with the adapter's reason when the API server fails the read", async () => {
    const faulty = clientFor(api);
    const remove = api.faults.add({ method: "GET", path: /\/iamidentitymappings$/, status: 503 });
    try {
      const outcome = await listMappingsAction(
        {},
        { appName: APP, config: config({ "backend-mode": "CRD,MountedFile" }) },
        { ...deps, kube: async () => faulty },
      );
      assert.ok(!outcome.ok);
      assert.equal(
        outcome.message,
        "list IAMIdentityMapping -l : API server answered 503 ServiceUnavailable: the server is currently unable to handle the request (after 3 attempts)",
      );
    } finally {
      remove();
    }
  });

  it("add-mapping fails with the adapter's reason when the API server fails the apply", async () => {
    await kube.apply([buildIamIdentityMappingCrd()], "test");
    const faulty = clientFor(api);
    const from = api.requests.length;
    const remove = api.faults.add({ method: "PATCH", path: /\/iamidentitymappings\//, status: 503 });
    try {
      const outcome = await addMappingAction(
        { arn: "arn:aws:iam::111122223333:role/faulted", username: "faulted" },
        { appName: APP, config: config() },
        { ...deps, kube: async () => faulty },
      );
      assert.ok(!outcome.ok);
      assert.match(
        outcome.message,
        /^apply IAMIdentityMapping role-111122223333-faulted-[0-9a-f]{8}: API server answered 503 ServiceUnavailable: the server is currently unable to handle the request \(after 3 attempts\)$/,
      );
      assert.equal(writes(api, from).length, 3, "the apply was tried, and retried twice");
    } finally {
      remove();
    }
  });

  it("remove-mapping fails with the adapter's reason when the API server fails the delete", async () => {
    await kube.apply([buildIamIdentityMappingCrd()], "test");
    const arn = "arn:aws:iam::111122223333:role/to-remove";
    const input = { appName: APP, config: config() };
    const added = await addMappingAction({ arn, username: "to-remove" }, input, deps);
    assert.ok(added.ok, added.ok ? "" : added.message);
    const faulty = clientFor(api);
    const remove = api.faults.add({ method: "DELETE", path: /\/iamidentitymappings\//, status: 500 });
    try {
      const outcome = await removeMappingAction({ arn }, input, { ...deps, kube: async () => faulty });
      assert.ok(!outcome.ok);
      assert.equal(
        outcome.message,
        `delete IAMIdentityMapping ${added.results["name"]}: API server answered 500 InternalError: Internal error occurred: injected fault (after 3 attempts)`,
      );
    } finally {
      remove();
    }
    const removed = await removeMappingAction({ arn }, input, deps);
    assert.deepEqual(removed.ok && removed.results, { deleted: added.results["name"], count: "1" });
  });

  it("fails with the adapter's reason when there is no client", async () => {
    const none: MappingsActionDeps = {
      ...deps,
      kube: async () =>
        new KubeUnavailable(
          "missing-kubeconfig",
          "/root/.kube/config",
          "no kubeconfig at /root/.kube/config",
        ),
    };
    const outcome = await addMappingAction(
      { arn: ROLE, username: "a" },
      { appName: APP, config: config() },
      none,
    );
    assert.deepEqual(outcome, {
      ok: false,
      message: "no Kubernetes client: no kubeconfig at /root/.kube/config",
    });
  });
});

describe("verify-token against this node's authenticator", () => {
  const MAPPED = "k8s-aws-v1.mapped-token-secret";
  let double: AuthenticatorDouble;
  let kubeconfig: string;

  before(async () => {
    const { root, intermediate, leaf, key } = servingChain(windowFrom(new Date(), 30));
    double = await startAuthenticatorDouble({
      certFile: pemFile([leaf, intermediate.certPem]),
      keyFile: pemFile([key]),
      users: {
        [MAPPED]: {
          username: "admin:alice",
          uid: "aws-iam-authenticator:111122223333:AROAEXAMPLE",
          groups: ["system:masters"],
        },
      },
    });
    kubeconfig = renderWebhookKubeconfig({ port: double.port, caPem: root.certPem });
  });
  after(async () => double.close());

  const run = (
    token: string,
    files: Record<string, string>,
    post: MappingsActionDeps["post"] = postTokenReview,
  ) =>
    verifyTokenAction(
      { token },
      { appName: APP, config: { ...config(), port: double.port }, webhookKubeconfigPath: WEBHOOK_KUBECONFIG },
      { kube: async () => new Error("unused"), readFile: async (path) => files[path], post },
    );

  it("prints the user and groups a mapped token maps to, over TLS verified with the root CA", async () => {
    const outcome = await run(MAPPED, { [WEBHOOK_KUBECONFIG]: kubeconfig });
    assert.ok(outcome.ok, outcome.ok ? "" : outcome.message);
    assert.equal(outcome.results["username"], "admin:alice");
    assert.equal(outcome.results["groups"], "system:masters");
    assert.ok(!JSON.stringify(outcome).includes(MAPPED));
  });

  it("says why a token is refused without quoting it, and sends nothing the server would refuse unread", async () => {
    const denied = await run("k8s-aws-v1.unknown-secret", { [WEBHOOK_KUBECONFIG]: kubeconfig });
    assert.ok(!denied.ok);
    assert.match(denied.message, /^the authenticator refused the token \(HTTP 403\)/);
    assert.ok(!denied.message.includes("unknown-secret"));
    const sent = double.received.length;
    const junk = await run("not-a-token", { [WEBHOOK_KUBECONFIG]: kubeconfig });
    assert.ok(!junk.ok);
    assert.equal(double.received.length, sent);
    const noCa = await run(MAPPED, {});
    assert.ok(!noCa.ok);
    assert.match(noCa.message, /^no CA in \/root\/cdk\/aws-iam-webhook\.yaml yet/);
  });

  it("says the authenticator did not answer without quoting the token, even when the error does", async () => {
    const outcome = await run(MAPPED, { [WEBHOOK_KUBECONFIG]: kubeconfig }, async (request) => {
      throw new Error(`connect ECONNREFUSED 127.0.0.1 while sending ${request.body}`);
    });
    assert.ok(!outcome.ok);
    assert.ok(outcome.message.startsWith("no answer from the authenticator"), outcome.message);
    assert.ok(!outcome.message.includes(MAPPED), "the token is scrubbed");
    assert.ok(outcome.message.includes("<token>"));
    assert.equal(
      outcome.message,
      `no answer from the authenticator on 127.0.0.1:${double.port}: connect ECONNREFUSED 127.0.0.1 while sending {"apiVersion":"authentication.k8s.io/v1beta1","kind":"TokenReview","spec":{"token":"<token>"}}`,
    );
  });
});
