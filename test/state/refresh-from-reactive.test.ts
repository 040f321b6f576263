/** `juju refresh aws-iam` from the reactive charm-aws-iam, in process against the Kubernetes API emulator:
 * the cluster starts with what the old charm deployed and its leader settings; ours takes over. */
import assert from "node:assert/strict";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, test } from "node:test";
import { PEER_APP_KEYS } from "../../src/plan/peer-databag.ts";
import { LABEL_MANAGED_BY, MANAGED_BY } from "../../src/workload/manifests/labels.ts";
import { type KubeApiEmulator, startKubeApiEmulator } from "../emulator/k8s/index.ts";
import { runKubectl } from "../k8s/kubectl.ts";
import { peerAppBag, UNITS } from "../support/certificates.ts";
import { type ClusterDeployment, clusterDeployment, NODES } from "../support/cluster.ts";
import { REACTIVE_CRD, REACTIVE_MAPPINGS, reactiveObjects } from "../support/reactive.ts";

const OLD_ID = "Zr4mQ8pL2xV7nB1cW5tY9kJ3";
const ALL_READY = "active: 3/3 control-plane nodes ready";
/** A user's own Service and Secret under the old names, without the old charm's label or data keys. */
const USERS_OWN = `apiVersion: v1
kind: Service
metadata:
  name: aws-iam-authenticator
  namespace: kube-system
spec:
  selector:
    app: something-else
  ports:
  - port: 443
    targetPort: 8443
---
apiVersion: v1
kind: Secret
metadata:
  name: aws-iam-certs
  namespace: kube-system
type: Opaque
stringData:
  token: placeholder
`;
/** The old charm's objects that ours do not replace by name, so the refresh deletes them. */
const OLD_OBJECTS = [
  ["Deployment", "aws-iam-authenticator"],
  ["Service", "aws-iam-authenticator"],
  ["Secret", "aws-iam-certs"],
] as const;
const OLD_OBJECT_PATHS =
  /^\/(apis\/apps\/v1|api\/v1)\/namespaces\/kube-system\/(deployments|services|secrets)\/aws-iam-(authenticator|certs)$/;
const MAPPINGS = [
  "iamidentitymapping.iamauthenticator.k8s.aws/alice",
  "iamidentitymapping.iamauthenticator.k8s.aws/ops-role",
];

describe("juju refresh from the reactive charm-aws-iam, with its Kubernetes objects", () => {
  let kube: KubeApiEmulator;
  let cacheDir: string;
  let c: ClusterDeployment | undefined;
  const kubectl = (args: string[], input?: string) => runKubectl(kube.kubeconfigPath, cacheDir, args, input);

  beforeEach(async () => {
    kube = await startKubeApiEmulator({ controlPlaneNodes: 3, workerNodes: 1 });
    cacheDir = mkdtempSync(join(tmpdir(), "kubectl-cache-"));
  });
  afterEach(async () => {
    await c?.dispose();
    c = undefined;
    await kube.close();
    rmSync(cacheDir, { recursive: true, force: true });
  });

  /** The old charm's leader settings; then setup hooks, the upgrade, and an update-status round. */
  const refresh = async () => {
    c = await clusterDeployment(kube, {
      mode: "in-process",
      rolloutWaitMs: 5000,
      before: (d) => {
        Object.assign(d.state.applications["aws-iam"]!.leaderSettings, {
          cluster_id: OLD_ID,
          cert: "placeholder certificate",
          key: "placeholder key",
          service_ip: "10.152.183.9",
        });
      },
    });
    await c.d.upgrade("aws-iam");
    await c.d.updateStatus("aws-iam");
    return c;
  };

  const mappingSpecs = async () =>
    (
      JSON.parse(await kubectl(["get", "iamidentitymappings", "-o", "json"])) as {
        items: Array<{ metadata: { name: string }; spec: unknown }>;
      }
    ).items
      .map((item) => [item.metadata.name, item.spec])
      .sort();

  test("ends active with the old cluster ID, every mapping intact, the old Deployment, Service and Secret gone", async () => {
    await kubectl(["apply", "--validate=false", "-f", "-"], REACTIVE_CRD);
    await kubectl(["apply", "--validate=false", "-f", "-"], REACTIVE_MAPPINGS);
    await kubectl(["apply", "--validate=false", "-f", "-"], reactiveObjects(OLD_ID));
    const mappingsBefore = await mappingSpecs();
    assert.equal(mappingsBefore.length, 2);
    assert.ok(kube.get("Deployment", "aws-iam-authenticator", "kube-system"), "seeded the old Deployment");

    const { d, statuses, app, counting } = await refresh();

    assert.deepEqual(
      Object.values(statuses()),
      UNITS.map((_, i) => `active: authenticator ready on ${NODES[i]}`),
    );
    assert.equal(app(), ALL_READY);
    assert.equal(peerAppBag(d)[PEER_APP_KEYS.clusterId], OLD_ID);
    assert.equal(peerAppBag(d)[PEER_APP_KEYS.reactiveObjectsRemoved], "true");

    // The users' mappings survived, spec and all.
    assert.deepEqual(
      (await kubectl(["get", "iamidentitymappings", "-o", "name"])).trim().split("\n"),
      MAPPINGS,
    );
    assert.deepEqual(await mappingSpecs(), mappingsBefore);

    // Not ours: deleted.
    assert.equal(kube.get("Deployment", "aws-iam-authenticator", "kube-system"), undefined);
    assert.equal(kube.get("Service", "aws-iam-authenticator", "kube-system"), undefined);
    assert.equal(kube.get("Secret", "aws-iam-certs", "kube-system"), undefined);

    // Same names as ours (application aws-iam): taken over by our apply, now labelled as ours.
    for (const [kind, namespace] of [
      ["ConfigMap", "kube-system"],
      ["ServiceAccount", "kube-system"],
      ["ClusterRole", undefined],
      ["ClusterRoleBinding", undefined],
    ] as const) {
      const live = kube.get(kind, "aws-iam-authenticator", namespace) as
        | { metadata: { labels?: Record<string, string> } }
        | undefined;
      assert.equal(live?.metadata.labels?.[LABEL_MANAGED_BY], MANAGED_BY, kind);
    }
    const configMap = kube.get("ConfigMap", "aws-iam-authenticator", "kube-system") as {
      data: Record<string, string>;
    };
    assert.match(Object.values(configMap.data).join("\n"), new RegExp(`clusterID: ${OLD_ID}`));
    // The CRD too, so the controller's status fields are no longer pruned.
    const crd = kube.get("CustomResourceDefinition", "iamidentitymappings.iamauthenticator.k8s.aws") as {
      metadata: { labels?: Record<string, string> };
    };
    assert.equal(crd.metadata.labels?.[LABEL_MANAGED_BY], MANAGED_BY);

    const deletes = kube.counters.entries.filter((e) => e.method === "DELETE").map((e) => e.path);
    assert.ok(
      deletes.every(
        (path) => !path.includes("iamidentitymapping") && !path.includes("customresourcedefinitions"),
      ),
      deletes.join("\n"),
    );

    // Idle: no writes and no more requests than a deployment that never had the old charm.
    const idle = await counting(() => d.updateStatus("aws-iam"));
    assert.deepEqual(idle.writes, []);
    assert.equal(idle.requests, 12 + 2 + 2);
  });

  test("a failed delete keeps the old objects and the mark unset, and a later hook removes them", async () => {
    await kubectl(["apply", "--validate=false", "-f", "-"], reactiveObjects(OLD_ID));
    const refusal = "etcd leader changed";
    const removeFault = kube.faults.add({
      method: "DELETE",
      path: OLD_OBJECT_PATHS,
      status: 503,
      message: refusal,
    });

    const { d, statuses } = await refresh();

    const failedHooks = () =>
      d.log.filter((s) => s.result !== undefined && s.result.exitCode !== 0).map((s) => s.description);
    assert.deepEqual(failedHooks(), []);
    assert.deepEqual(
      Object.values(statuses()),
      UNITS.map((_, i) => `active: authenticator ready on ${NODES[i]}`),
    );
    assert.equal(peerAppBag(d)[PEER_APP_KEYS.reactiveObjectsRemoved], undefined);
    for (const [kind, name] of OLD_OBJECTS)
      assert.ok(kube.get(kind, name, "kube-system"), `${kind} ${name} kept`);
    // The leader's update-status tried again, said why it kept them, and claimed no removal.
    const leader = d.state.applications["aws-iam"]!.leader;
    assert.ok(leader !== undefined);
    const leaderLogs = d.state.units[leader]!.logs;
    const hookLogs = (hook: string) =>
      leaderLogs.filter((l) => l.hook === hook).map((l) => `${l.level} ${l.message}`);
    assert.deepEqual(hookLogs("update-status"), [
      "WARNING keeping the reactive charm's objects for a later hook: delete Deployment kube-system/aws-iam-authenticator: " +
        `API server answered 503 ServiceUnavailable: ${refusal} (after 3 attempts)`,
    ]);

    removeFault();
    const seen = leaderLogs.length;
    await d.updateStatus("aws-iam");

    assert.deepEqual(failedHooks(), []);
    assert.equal(peerAppBag(d)[PEER_APP_KEYS.reactiveObjectsRemoved], "true");
    for (const [kind, name] of OLD_OBJECTS) {
      assert.equal(kube.get(kind, name, "kube-system"), undefined, `${kind} ${name} gone`);
    }
    assert.deepEqual(
      leaderLogs.slice(seen).map((l) => `${l.level} ${l.message}`),
      OLD_OBJECTS.map(([kind, name]) => `INFO deleted ${kind} kube-system/${name}`),
    );
  });

  test("objects with the old names that the old charm did not make are kept", async () => {
    // A user's own Service and Secret under the old names, without the old charm's label or keys.
    await kubectl(["create", "--validate=false", "-f", "-"], USERS_OWN);
    const { d } = await refresh();

    assert.equal(peerAppBag(d)[PEER_APP_KEYS.reactiveObjectsRemoved], "true");
    assert.ok(kube.get("Service", "aws-iam-authenticator", "kube-system"), "the user's Service stays");
    assert.ok(kube.get("Secret", "aws-iam-certs", "kube-system"), "the user's Secret stays");
  });
});
