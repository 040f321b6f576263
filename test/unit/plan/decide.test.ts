import assert from "node:assert/strict";
import { describe, it } from "node:test";
import type { V1Pod } from "@kubernetes/client-node";
import { decideCertificates } from "../../../src/certificates/decide.ts";
import { encodeUnitRecord } from "../../../src/certificates/secret-content.ts";
import { KubeUnreachable } from "../../../src/k8s/errors.ts";
import { PATHS, unitTlsRecordPath } from "../../../src/machine/paths.ts";
import type { ClusterView } from "../../../src/observe/cluster-view.ts";
import { decidePlan } from "../../../src/plan/decide.ts";
import { finalStatus } from "../../../src/plan/status.ts";
import { makeCa, newKeyPem, signLeaf, windowFrom } from "../../emulator/charms/tls-forge-ca.ts";
import { NOW, observed, relation, type Seen } from "./observed.ts";

const DAY = 86_400_000;
const key = newKeyPem();
const fresh = {
  privateKey: () => key,
  uuid: () => "cert-uuid",
  randomBytes: (n: number) => Buffer.alloc(n, 7),
};
const ca = makeCa("root", windowFrom(new Date(NOW.getTime() - DAY), 3650));
const juju = relation("juju-info", 2, { remoteApp: "kubernetes-control-plane" });
const easyrsa = (remoteAppData = {}) => relation("certificates", 5, { remoteApp: "easyrsa", remoteAppData });
const IMAGE = "rocks.canonical.com/cdk/aws-iam-authenticator:v0.7.2";

/** A leader whose certificate is installed and whose peers share a cluster ID. */
function settledLeader(more: Seen = {}): Seen {
  const first = decideCertificates(
    observed({ certificates: easyrsa(), peerApp: {} }),
    { commonName: "aws-iam-authenticator" },
    fresh,
  );
  const csr = first.plan.secret!.content["csr"]!;
  const certificate = signLeaf({
    ca,
    subjectKeyPem: csr,
    commonName: "aws-iam-authenticator",
    sans: ["127.0.0.1", "localhost"],
    window: windowFrom(new Date(NOW.getTime() - 60_000), 90),
  });
  const answer = {
    certificates: JSON.stringify([
      { certificate_signing_request: csr, certificate, ca: ca.certPem, chain: [] },
    ]),
  };
  return {
    controlPlane: juju,
    certificates: easyrsa(answer),
    peerApp: { "tls-secret-id": "secret:abc", "generated-cluster-id": "ABC" },
    tlsSecret: { id: "secret:abc", content: first.plan.secret!.content },
    files: { [PATHS.adminKubeconfig]: "apiVersion: v1" },
    config: { image: IMAGE },
    ...more,
  };
}

/** A non-leader whose record matches the certificate the leader shares. */
function follower(more: Seen = {}): Seen {
  const notAfter = new Date(NOW.getTime() + 60 * DAY).toISOString();
  const record = encodeUnitRecord({ fingerprint: "F", notAfter, protocol: "csr", provider: "easyrsa" });
  return {
    ...settledLeader(),
    leader: false,
    unit: "aws-iam/1",
    tlsSecret: undefined,
    peerApp: {
      "tls-secret-id": "secret:abc",
      "tls-fingerprint": "F",
      "tls-ca": ca.certPem,
      "generated-cluster-id": "ABC",
    },
    files: { [PATHS.adminKubeconfig]: "apiVersion: v1", [unitTlsRecordPath("aws-iam/1")]: record },
    ...more,
  };
}

const readyPod = (node: string): V1Pod => ({
  metadata: { labels: { "pod-template-generation": "1" } },
  spec: { nodeName: node, containers: [{ name: "authenticator", image: IMAGE }] },
  status: { conditions: [{ type: "Ready", status: "True" }] },
});
const daemonSet = {
  namespace: "kube-system",
  name: "aws-iam-authenticator",
  generation: 1,
  observedGeneration: 1,
  desired: 1,
  ready: 1,
  updated: 1,
  image: IMAGE,
};
const seenView = (pods: V1Pod[], ds: typeof daemonSet | null = daemonSet): ClusterView => ({
  kind: "seen",
  nodes: ["node-0"],
  pods,
  daemonSet: ds ?? undefined,
});

describe("decidePlan", () => {
  it("invalid config: only that status", () => {
    const { plan, afterCluster } = decidePlan(observed({ config: { port: "x" }, controlPlane: juju }), {
      fresh,
    });
    assert.equal(afterCluster, undefined);
    assert.deepEqual(Object.keys(plan).sort(), ["appStatus", "unitStatus"]);
    assert.equal(plan.unitStatus![0]!.name, "blocked");
    assert.match(plan.unitStatus![0]!.message, /^invalid config: /);
  });

  it("no control plane: the integrate line, and the version", () => {
    const { plan } = decidePlan(observed({ config: { image: IMAGE } }), { fresh });
    assert.match(finalStatus(plan.unitStatus!).message, /^integrate with kubernetes-control-plane: /);
    assert.equal(plan.workloadVersion, "v0.7.2");
  });

  it("first hook with a provider: asks for a certificate and waits; nothing else is decided", () => {
    const { plan, afterCluster } = decidePlan(
      observed({ controlPlane: juju, certificates: easyrsa(), peerApp: {} }),
      { fresh },
    );
    assert.equal(afterCluster, undefined);
    assert.ok(plan.secret);
    assert.equal(plan.kubernetes, undefined);
    assert.equal(plan.files, undefined);
    assert.deepEqual(finalStatus(plan.unitStatus!), {
      name: "waiting",
      message: "waiting for a server certificate from easyrsa",
    });
  });

  it("leader with a certificate and credentials: objects, files, trust, then statuses from the cluster", () => {
    const { plan, afterCluster } = decidePlan(observed(settledLeader()), { fresh, knownNode: "node-0" });
    const kinds = plan.kubernetes!.objects.map((object) => object.kind);
    assert.ok(kinds.includes("DaemonSet") && kinds.includes("Secret"), kinds.join(","));
    assert.equal(plan.files![PATHS.webhookKubeconfig]!.mode, 0o600);
    assert.match(plan.hostTrust!, /BEGIN CERTIFICATE/);
    assert.equal(afterCluster!.watch.wholeCluster, true);
    assert.equal(afterCluster!.watch.settled(seenView([])), false, "still rolling out: poll again");
    assert.equal(afterCluster!.watch.settled(seenView([readyPod("node-0")])), true);

    const after = afterCluster!.decide(seenView([readyPod("node-0")]), { appliedHash: "h1" });
    assert.equal(after.peerApp!.appliedHash, "h1");
    assert.equal(after.node, "node-0");
    assert.deepEqual(after.appStatus, [{ name: "active", message: "1/1 control-plane nodes ready" }]);
    const unit = finalStatus([...(plan.unitStatus ?? []), ...after.unitStatus!], plan.activeNotes);
    assert.equal(unit.name, "active");
    assert.match(
      unit.message,
      /^authenticator ready on node-0; run: juju config kubernetes-control-plane authn-webhook-endpoint=/,
    );
  });

  it("the forwarding line goes once the control plane forwards to us", () => {
    const files = {
      [PATHS.adminKubeconfig]: "apiVersion: v1",
      "/root/cdk/auth-webhook/auth-webhook.py":
        "CUSTOM_AUTHN_ENDPOINT = 'https://127.0.0.1:21362/authenticate'\n",
    };
    const { plan } = decidePlan(observed(settledLeader({ files })), { fresh, knownNode: "node-0" });
    assert.equal(plan.activeNotes, undefined);
  });

  it("no admin kubeconfig yet: waiting for credentials, no apply and no cluster view", () => {
    const { plan, afterCluster } = decidePlan(observed(settledLeader({ files: {} })), { fresh });
    assert.equal(afterCluster, undefined);
    assert.equal(plan.kubernetes, undefined);
    assert.deepEqual(finalStatus(plan.unitStatus!), {
      name: "waiting",
      message: "no Kubernetes credentials at /root/.kube/config yet (the control plane writes them)",
    });
  });

  it("no admin kubeconfig yet and a config.yaml over a ConfigMap's 1 MiB: blocked saying so, nothing built", () => {
    // Only the rendered config shows this (every option is valid on its own).
    const pad = "x".repeat(40);
    const users = Array.from(
      { length: 3500 },
      (_, i) =>
        `- {userarn: "arn:aws:iam::111122223333:user/user-${i}", username: user-${i}-${pad}, groups: [a-${pad}, b-${pad}, c-${pad}, d-${pad}]}`,
    ).join("\n");
    const config = { image: IMAGE, "backend-mode": "MountedFile", "map-users": users };
    const { plan } = decidePlan(observed(settledLeader({ files: {}, config })), { fresh });
    assert.equal(plan.kubernetes, undefined);
    const status = finalStatus(plan.unitStatus!);
    assert.equal(status.name, "blocked");
    assert.match(
      status.message,
      /^invalid authenticator settings: the server config with these mappings is \d+ bytes, over the ConfigMap limit/,
    );
  });

  it("the API unreachable after the apply: waiting and retried, a warning logged, the hash kept", () => {
    const { afterCluster } = decidePlan(observed(settledLeader()), { fresh, knownNode: "node-0" });
    const error = new KubeUnreachable("ECONNREFUSED", "connect ECONNREFUSED");
    const after = afterCluster!.decide({ kind: "failed", error }, { appliedHash: "h1" });
    assert.deepEqual(after.unitStatus, [
      { name: "waiting", message: "Kubernetes API unreachable (ECONNREFUSED); retrying on the next hook" },
    ]);
    assert.equal(after.peerApp!.appliedHash, "h1");
    assert.equal(after.logs![0]!.level, "WARNING");
  });

  it("a non-leader before the leader deployed: waits for it without polling", () => {
    const { afterCluster } = decidePlan(observed(follower()), { fresh, knownNode: "node-1" });
    assert.equal(afterCluster!.watch.wholeCluster, false);
    const view = seenView([], null);
    assert.equal(afterCluster!.watch.settled(view), true);
    assert.deepEqual(afterCluster!.decide(view, {}).unitStatus, [
      {
        name: "waiting",
        message:
          "waiting for the leader to deploy the authenticator (no DaemonSet kube-system/aws-iam-authenticator yet)",
      },
    ]);
  });

  it("legacy non-leader whose API server is down: waits for it, webhook_status false", () => {
    const legacy = relation("aws-iam", 3, {
      remoteApp: "kubernetes-control-plane",
      remoteUnits: ["kubernetes-control-plane/1"],
      remoteUnitData: { "kubernetes-control-plane/1": { api_server_state: '"down"' } },
    });
    const seen = follower({ controlPlane: undefined, legacyControlPlane: legacy, certificates: easyrsa() });
    const { plan, afterCluster } = decidePlan(observed(seen), { fresh });
    assert.equal(afterCluster, undefined);
    assert.deepEqual(finalStatus(plan.unitStatus!), {
      name: "waiting",
      message: "waiting for the API server on kubernetes-control-plane/1",
    });
    assert.equal(plan.unitData!["aws-iam:3"]!["webhook_status"], "false");
    assert.equal(plan.peerUnit!.controlPlaneUnit, "kubernetes-control-plane/1");
  });
});
