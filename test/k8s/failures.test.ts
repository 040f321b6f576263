import assert from "node:assert/strict";
import { afterEach, beforeEach, describe, test } from "node:test";
import type { KubeClient } from "../../src/k8s/client.ts";
import { KubeRejected, KubeUnreachable } from "../../src/k8s/errors.ts";
import type { KubeApiEmulator } from "../emulator/k8s/index.ts";
import { clientFor, FAST, FIELD_MANAGER, KEY_BODY, NAMESPACE, objectsFor, startCluster } from "./harness.ts";

const CM_LIST = "/api/v1/configmaps";
const NODES = "/api/v1/nodes";
const CONFIG_MAP = { apiVersion: "v1", kind: "ConfigMap" } as const;

async function rejection(promise: Promise<unknown>): Promise<unknown> {
  try {
    await promise;
  } catch (error) {
    return error;
  }
  assert.fail("expected a rejection");
}

describe("errors are mapped, retried a bounded number of times, and scrubbed", () => {
  let emulator: KubeApiEmulator;
  let client: KubeClient;

  beforeEach(async () => {
    emulator = await startCluster(1, 0);
    // Short timeouts: some of these tests make the server slower than the timeout on purpose.
    client = clientFor(emulator, FAST);
  });
  afterEach(() => emulator.close());

  function attempts(path: string): number {
    return emulator.requests.filter((r) => r.path === path).length;
  }

  test("API down: KubeUnreachable with the reason", async () => {
    await emulator.stop();
    const error = await rejection(client.listNodes());
    assert.ok(error instanceof KubeUnreachable);
    assert.equal(error.detail, "ECONNREFUSED");
    assert.match(error.message, /ECONNREFUSED \(after 3 attempts\)$/);
  });

  test("5xx: two retries, then KubeUnreachable", async () => {
    emulator.faults.add({ path: CM_LIST, status: 503 });
    const error = await rejection(client.listOwned("a=b", [CONFIG_MAP]));
    assert.ok(error instanceof KubeUnreachable);
    assert.equal(error.detail, "503 ServiceUnavailable");
    assert.equal(attempts(CM_LIST), 3);
  });

  test("a passing 5xx is absorbed by the retry", async () => {
    emulator.faults.add({ path: CM_LIST, status: 500, times: 2 });
    assert.deepEqual(await client.listOwned("a=b", [CONFIG_MAP]), []);
    assert.equal(attempts(CM_LIST), 3);
  });

  test("a slow answer times out per attempt, then KubeUnreachable", async () => {
    emulator.faults.add({ path: CM_LIST, delayMs: 1500 });
    const error = await rejection(client.listOwned("a=b", [CONFIG_MAP]));
    assert.ok(error instanceof KubeUnreachable);
    assert.equal(error.detail, "timeout");
    assert.equal(attempts(CM_LIST), 3);
  });

  test("a dropped connection is retried like a refused one", async () => {
    emulator.faults.add({ path: NODES, reset: true, times: 1 });
    await client.listNodes();
    assert.equal(attempts(NODES), 2);
  });

  test("a 500 answer is KubeUnreachable", async () => {
    emulator.faults.add({ path: NODES, status: 500 });
    const error = await rejection(client.listNodes());
    assert.ok(error instanceof KubeUnreachable);
    assert.equal(error.detail, "500 InternalError");
  });

  test("once unreachable, later calls fail at once without new requests", async () => {
    emulator.faults.add({ path: CM_LIST, status: 503 });
    await rejection(client.listOwned("a=b", [CONFIG_MAP]));
    const before = emulator.requests.length;
    const error = await rejection(client.listNodes());
    assert.ok(error instanceof KubeUnreachable);
    assert.equal(emulator.requests.length, before);
  });

  test("4xx is KubeRejected at once, with the Status reason", async () => {
    const [secret] = objectsFor().filter((o) => o.kind === "Secret");
    const bad = { ...secret!, metadata: { ...secret!.metadata, name: "invalid-" } };
    const error = await rejection(client.apply([bad], FIELD_MANAGER));
    assert.ok(error instanceof KubeRejected);
    assert.equal(error.code, 422);
    assert.equal(error.reason, "Invalid");
    assert.equal(error.retryable, false);
    assert.match(
      error.message,
      /^apply Secret kube-system\/invalid- rejected \(422 Invalid\): Secret "invalid-" is invalid/,
    );
    assert.equal(attempts(`/api/v1/namespaces/${NAMESPACE}/secrets/invalid-`), 1);
  });

  test("a Secret's data never reaches an error message, even when the server echoes it", async () => {
    const [secret] = objectsFor().filter((o) => o.kind === "Secret");
    const data = (secret as { data: Record<string, string> }).data;
    emulator.faults.add({
      method: "PATCH",
      status: 409,
      message: `conflict on data: ${data["key.pem"]} / ${KEY_BODY} / ${Buffer.from(data["key.pem"]!, "base64").toString()}`,
    });
    const error = await rejection(client.apply([secret!], FIELD_MANAGER));
    assert.ok(error instanceof KubeRejected);
    assert.equal(error.code, 409);
    assert.equal(error.retryable, true);
    assert.ok(!error.message.includes(KEY_BODY));
    assert.ok(!error.message.includes(data["key.pem"]!));
    assert.ok(!(error.stack ?? "").includes(KEY_BODY));
    assert.match(error.message, /<redacted>/);
  });

  test("a wrong token is KubeRejected Unauthorized", async () => {
    emulator.token = "rotated";
    const error = await rejection(client.listNodes());
    assert.ok(error instanceof KubeRejected);
    assert.equal(error.code, 401);
  });

  test("reading or deleting what is not there is not an error", async () => {
    const ref = { ...CONFIG_MAP, namespace: NAMESPACE, name: "absent" };
    assert.equal(await client.read(ref), undefined);
    assert.equal(await client.delete(ref), false);
  });
});

describe("one client keeps one connection", () => {
  let emulator: KubeApiEmulator;
  beforeEach(async () => {
    emulator = await startCluster(1, 0);
  });
  afterEach(() => emulator.close());

  test("its requests share one TLS connection; after a reset, one new connection serves the rest", async () => {
    const client = clientFor(emulator, FAST);
    for (let i = 0; i < 5; i++) await client.listNodes();
    assert.equal(emulator.requests.length, 5);
    assert.equal(emulator.tlsConnections, 1, "five requests, one handshake");
    emulator.faults.add({ path: NODES, reset: true, times: 1 });
    assert.equal((await client.listNodes()).length, 1, "retried after the reset");
    await client.listNodes();
    assert.equal(emulator.tlsConnections, 2, "the reset connection replaced once");
  });

  test("each client (each hook) has its own connection", async () => {
    await clientFor(emulator, FAST).listNodes();
    await clientFor(emulator, FAST).listNodes();
    assert.equal(emulator.tlsConnections, 2);
  });
});
