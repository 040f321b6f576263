import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { type ApplyResult, applyDesired } from "../../src/k8s/apply.ts";
import type { KubeClient } from "../../src/k8s/client.ts";
import { APPLIED_HASH_ANNOTATION, desiredHash } from "../../src/k8s/desired-hash.ts";
import { CRD_NAME, ownedLabels } from "../../src/workload/manifests/index.ts";
import type { KubeApiEmulator, Obj } from "../emulator/k8s/index.ts";
import {
  APP,
  clientFor,
  DAEMON_SET,
  FIELD_MANAGER,
  IMAGE,
  NAMESPACE,
  OWNED,
  objectsFor,
  PRUNE_KINDS,
  requestsSince,
  SPEC,
  startCluster,
} from "./harness.ts";

const OWNED_KIND_NAMES = [
  "ServiceAccount",
  "ClusterRole",
  "ClusterRoleBinding",
  "Role",
  "RoleBinding",
  "ConfigMap",
  "Secret",
  "DaemonSet",
];

function labelsOf(object: Obj): Record<string, string> {
  return ((object["metadata"] as Obj)["labels"] ?? {}) as Record<string, string>;
}

function ours(emulator: KubeApiEmulator, app = APP): Obj[] {
  return OWNED_KIND_NAMES.flatMap((kind) => emulator.objects(kind)).filter(
    (object) => labelsOf(object)["app.kubernetes.io/instance"] === app,
  );
}

function managers(object: Obj): string[] {
  const fields = ((object["metadata"] as Obj)["managedFields"] ?? []) as Obj[];
  return fields.map((entry) => `${String(entry["manager"])}/${String(entry["operation"])}`);
}

function podImages(emulator: KubeApiEmulator): string[] {
  return emulator
    .objects("Pod")
    .map((pod) => (((pod["spec"] as Obj)["containers"] as Obj[])[0]?.["image"] as string) ?? "")
    .sort();
}

describe("applyDesired against the emulated API server", () => {
  let emulator: KubeApiEmulator;
  let client: KubeClient;
  let first: ApplyResult;
  let firstRequests: { total: number; writes: number };

  before(async () => {
    emulator = await startCluster(3, 1);
    client = clientFor(emulator);
    const mark = emulator.requests.length;
    first = await applyDesired({
      client,
      objects: objectsFor(),
      fieldManager: FIELD_MANAGER,
      ownedLabels: OWNED,
      pruneKinds: PRUNE_KINDS,
    });
    firstRequests = requestsSince(emulator, mark);
  });
  after(() => emulator.close());

  test("the first apply creates every object, labelled ours, under one field manager", () => {
    assert.equal(first.writes, 9);
    assert.deepEqual(first.pruned, []);
    assert.equal(first.applied[0]?.kind, "CustomResourceDefinition");
    assert.equal(ours(emulator).length, 8);
    for (const object of [...ours(emulator), emulator.get("CustomResourceDefinition", CRD_NAME)!]) {
      assert.deepEqual(managers(object), [`${FIELD_MANAGER}/Apply`]);
      const annotations = (object["metadata"] as Obj)["annotations"] as Record<string, string>;
      assert.match(annotations[APPLIED_HASH_ANNOTATION] ?? "", /^[0-9a-f]{64}$/);
    }
    assert.match(first.hash, /^[0-9a-f]{64}$/);
    // 8 LISTs with our selector + 1 GET of the shared CRD, then 9 server-side applies; no discovery.
    assert.deepEqual(firstRequests, { total: 18, writes: 9 });
  });

  test("the DaemonSet runs one pod per control-plane node and none on workers", () => {
    const nodes = emulator
      .objects("Pod")
      .map((pod) => (pod["spec"] as Obj)["nodeName"])
      .sort();
    assert.deepEqual(nodes, ["control-plane-0", "control-plane-1", "control-plane-2"]);
  });

  test("a reconcile with nothing new makes zero writes", async () => {
    const mark = emulator.requests.length;
    const again = await applyDesired({
      client,
      objects: objectsFor(),
      fieldManager: FIELD_MANAGER,
      ownedLabels: OWNED,
      pruneKinds: PRUNE_KINDS,
      previousHash: first.hash,
    });
    assert.equal(again.hash, first.hash);
    assert.equal(again.writes, 0);
    assert.deepEqual(requestsSince(emulator, mark), { total: 9, writes: 0 });
  });

  test("a new leader without the hash still writes nothing when the cluster matches", async () => {
    const mark = emulator.requests.length;
    const again = await applyDesired({
      client,
      objects: objectsFor(),
      fieldManager: FIELD_MANAGER,
      ownedLabels: OWNED,
      pruneKinds: PRUNE_KINDS,
    });
    assert.equal(again.writes, 0);
    assert.equal(requestsSince(emulator, mark).writes, 0);
  });

  test("an object deleted behind our back is re-created even with an unchanged hash", async () => {
    assert.equal(
      await client.delete({ apiVersion: "v1", kind: "ConfigMap", namespace: NAMESPACE, name: DAEMON_SET }),
      true,
    );
    const mark = emulator.requests.length;
    const again = await applyDesired({
      client,
      objects: objectsFor(),
      fieldManager: FIELD_MANAGER,
      ownedLabels: OWNED,
      pruneKinds: PRUNE_KINDS,
      previousHash: first.hash,
    });
    assert.deepEqual(
      again.applied.map((ref) => ref.kind),
      ["ConfigMap"],
    );
    assert.equal(requestsSince(emulator, mark).writes, 1);
    assert.ok(emulator.get("ConfigMap", DAEMON_SET, NAMESPACE));
  });

  test("an image change is one DaemonSet write and rolls the pods", async () => {
    const image = "rocks.canonical.com/cdk/aws-iam-authenticator:v0.7.19";
    assert.deepEqual(podImages(emulator), [IMAGE, IMAGE, IMAGE]);
    const mark = emulator.requests.length;
    const changed = await applyDesired({
      client,
      objects: objectsFor({ image }),
      fieldManager: FIELD_MANAGER,
      ownedLabels: OWNED,
      pruneKinds: PRUNE_KINDS,
      previousHash: first.hash,
    });
    assert.notEqual(changed.hash, first.hash);
    assert.equal(changed.writes, 1);
    // 8 LISTs + the CRD GET + one PATCH.
    assert.equal(requestsSince(emulator, mark).total, 10);
    const writes = emulator.counters.writeEntries().slice(-requestsSince(emulator, mark).writes);
    assert.deepEqual(
      writes.map((entry) => `${entry.method} ${entry.path}`),
      [`PATCH /apis/apps/v1/namespaces/${NAMESPACE}/daemonsets/${DAEMON_SET}`],
    );
    assert.deepEqual(podImages(emulator), [image, image, image]);
  });

  test("objects no longer desired are pruned; the CRD stays", async () => {
    const mountedOnly = objectsFor({ backendModes: ["MountedFile"] });
    const result = await applyDesired({
      client,
      objects: mountedOnly,
      fieldManager: FIELD_MANAGER,
      ownedLabels: OWNED,
      pruneKinds: PRUNE_KINDS,
      previousHash: first.hash,
    });
    // Bindings go before the roles they name.
    assert.deepEqual(
      result.pruned.map((ref) => ref.kind),
      ["ClusterRoleBinding", "RoleBinding", "ClusterRole", "Role"],
    );
    assert.deepEqual(
      ours(emulator)
        .map((o) => o["kind"])
        .sort(),
      ["ConfigMap", "DaemonSet", "Secret", "ServiceAccount"],
    );
    assert.ok(emulator.get("CustomResourceDefinition", CRD_NAME));
    const settled = await applyDesired({
      client,
      objects: mountedOnly,
      fieldManager: FIELD_MANAGER,
      ownedLabels: OWNED,
      pruneKinds: PRUNE_KINDS,
      previousHash: result.hash,
    });
    assert.equal(settled.writes, 0);
  });

  test("another application's objects are never pruned", async () => {
    const other = ownedLabels("other");
    const otherObjects = objectsFor({ appName: "other" });
    const created = await applyDesired({
      client,
      objects: otherObjects,
      fieldManager: FIELD_MANAGER,
      ownedLabels: other,
      pruneKinds: PRUNE_KINDS,
    });
    // The shared CRD already carries the same content, so only "other"'s 8 objects are written.
    assert.equal(created.writes, 8);
    const ourCount = ours(emulator).length;
    await applyDesired({
      client,
      objects: objectsFor({ backendModes: ["MountedFile"], image: "example.org/x:v0.7.1" }),
      fieldManager: FIELD_MANAGER,
      ownedLabels: OWNED,
      pruneKinds: PRUNE_KINDS,
    });
    assert.equal(ours(emulator, "other").length, 8);
    assert.equal(ours(emulator).length, ourCount);
  });

  test("the desired hash is stable for equal input and moves with any change, the key included", () => {
    assert.equal(desiredHash(objectsFor()), first.hash);
    const otherKey = objectsFor({
      tls: { certPem: SPEC.tls.certPem, keyPem: SPEC.tls.keyPem.replace("secret", "SECRET") },
    });
    assert.notEqual(desiredHash(otherKey), first.hash);
  });
});
