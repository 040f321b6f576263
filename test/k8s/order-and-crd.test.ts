import assert from "node:assert/strict";
import { describe, test } from "node:test";
import type { KubernetesObject } from "@kubernetes/client-node";
import type { KubeClient, ObjectRef } from "../../src/k8s/client.ts";
import { isEstablished, waitForCrdEstablished } from "../../src/k8s/crd-ready.ts";
import { inDeletionOrder } from "../../src/k8s/deletion-order.ts";
import { KubeNotReady } from "../../src/k8s/errors.ts";

describe("inDeletionOrder", () => {
  test("DaemonSet first, bindings before roles, ServiceAccount late, CRD last, unknown kinds before the CRD", () => {
    const kinds = [
      "CustomResourceDefinition",
      "ServiceAccount",
      "Role",
      "Widget",
      "RoleBinding",
      "ConfigMap",
      "DaemonSet",
      "Secret",
    ];
    const sorted = inDeletionOrder(kinds.map((kind) => ({ kind }))).map((o) => o.kind);
    assert.deepEqual(sorted, [
      "DaemonSet",
      "Secret",
      "ConfigMap",
      "RoleBinding",
      "Role",
      "ServiceAccount",
      "Widget",
      "CustomResourceDefinition",
    ]);
  });
});

const CRD = {
  apiVersion: "apiextensions.k8s.io/v1",
  kind: "CustomResourceDefinition",
  metadata: { name: "x.example" },
};
const ESTABLISHED = { ...CRD, status: { conditions: [{ type: "Established", status: "True" }] } };

function readsThen(answers: (KubernetesObject | undefined)[]): KubeClient & { reads: ObjectRef[] } {
  const reads: ObjectRef[] = [];
  const read = async (ref: ObjectRef) => {
    reads.push(ref);
    return answers[reads.length - 1];
  };
  const client = { reads, read };
  return client as unknown as KubeClient & { reads: ObjectRef[] };
}

describe("waitForCrdEstablished", () => {
  const options = { timeoutMs: 1000, pollMs: 250, sleep: async () => {} };

  test("no request when the apply response already says Established", async () => {
    const client = readsThen([]);
    await waitForCrdEstablished(client, ESTABLISHED, options);
    assert.equal(client.reads.length, 0);
    assert.equal(isEstablished(ESTABLISHED), true);
  });

  test("polls until Established", async () => {
    const client = readsThen([CRD, ESTABLISHED]);
    await waitForCrdEstablished(client, CRD, options);
    assert.equal(client.reads.length, 2);
    assert.equal(client.reads[0]?.name, "x.example");
  });

  test("gives up after timeout/poll reads with KubeNotReady", async () => {
    const client = readsThen([]);
    await assert.rejects(waitForCrdEstablished(client, CRD, options), KubeNotReady);
    assert.equal(client.reads.length, 4);
  });
});
