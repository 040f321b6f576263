/** Fault injection, connection loss and the request counters. */
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { PatchStrategy } from "@kubernetes/client-node";
import { type KubeApiEmulator, startKubeApiEmulator } from "./emulator.ts";
import type { Obj } from "./json.ts";
import { clientsFor, md, statusOf } from "./test-support.ts";

const cm = (name: string, data: Obj): Obj => ({
  apiVersion: "v1",
  kind: "ConfigMap",
  metadata: { name, namespace: "default" },
  data,
});

describe("faults and counters", () => {
  let api: KubeApiEmulator;
  let clients: ReturnType<typeof clientsFor>;
  const apply = (o: Obj) =>
    clients.objects.patch(o, undefined, undefined, "aws-iam", true, PatchStrategy.ServerSideApply);
  const read = (name: string) =>
    clients.objects.read({ apiVersion: "v1", kind: "ConfigMap", metadata: { name, namespace: "default" } });

  before(async () => {
    api = await startKubeApiEmulator();
    clients = clientsFor(api);
  });
  after(() => api.close());

  it("answers matching requests with an injected 5xx Status, a limited number of times", async () => {
    await apply(cm("f1", { a: "1" }));
    api.faults.add({
      method: "GET",
      path: "/api/v1/namespaces/default/configmaps/f1",
      status: 503,
      times: 1,
    });
    const status = await statusOf(read("f1"), 503);
    assert.equal(status["reason"], "ServiceUnavailable");
    assert.equal(md(await read("f1"))["name"], "f1");
    const remove = api.faults.add({ path: /\/configmaps\/f1$/, status: 500 });
    assert.equal((await statusOf(read("f1"), 500))["reason"], "InternalError");
    remove();
    assert.equal(md(await read("f1"))["name"], "f1");
  });

  it("delays matching requests without failing them", async () => {
    api.faults.add({ path: "/api/v1/namespaces/default/configmaps/f1", delayMs: 800, times: 1 });
    const order: string[] = [];
    await Promise.all([
      read("f1").then(() => order.push("delayed")),
      new Promise((r) => setTimeout(r, 20)).then(() => read("missing").catch(() => order.push("prompt"))),
    ]);
    assert.deepEqual(order, ["prompt", "delayed"]);
    assert.ok(api.requests.some((r) => r.faulted && r.status === 200));
  });

  it("drops the connection for reset faults", async () => {
    api.faults.add({ path: "/api/v1/namespaces/default/configmaps/f1", reset: true, times: 1 });
    await assert.rejects(read("f1"), /socket hang up|ECONNRESET/);
  });

  it("refuses connections while stopped and keeps state across restart on the same port", async () => {
    const port = api.port;
    await api.stop();
    await assert.rejects(read("f1"), /ECONNREFUSED/);
    await api.restart();
    assert.equal(api.port, port);
    assert.equal(md(await read("f1"))["name"], "f1");
  });

  it("restores a snapshot: objects, resourceVersions and served types as they were, no fault rules", async () => {
    await apply(cm("s1", { a: "1" }));
    const snapshot = api.snapshot();
    const version = md(await read("s1"))["resourceVersion"];
    await apply(cm("s1", { a: "2" }));
    await apply(cm("s2", { a: "1" }));
    await clients.objects.delete(cm("s1", {}));
    api.faults.add({ path: "/api/v1/namespaces/default/configmaps/s1", status: 503 });
    api.restore(snapshot);
    const back = await read("s1");
    assert.deepEqual((back as Obj)["data"], { a: "1" });
    assert.equal(md(back)["resourceVersion"], version);
    await statusOf(read("s2"), 404);
    // A copy, not the live objects: what happens after a restore does not leak into the snapshot.
    await apply(cm("s1", { a: "3" }));
    api.restore(snapshot);
    assert.deepEqual(((await read("s1")) as Obj)["data"], { a: "1" });
  });

  it("counts requests and writes by path, so a no-op reconcile can be asserted", async () => {
    await apply(cm("f2", { a: "1" }));
    api.counters.reset();
    const before = md(await read("f2"))["resourceVersion"];
    const again = await apply(cm("f2", { a: "1" }));
    assert.equal(md(again)["resourceVersion"], before);
    assert.equal(api.counters.total, 2);
    assert.equal(api.counters.writes, 1);
    assert.deepEqual(api.counters.writesByPath, { "/api/v1/namespaces/default/configmaps/f2": 1 });
    const patch = api.requests.find((r) => r.method === "PATCH");
    assert.equal(patch?.contentType, "application/apply-patch+yaml");
    assert.equal(patch?.query, "fieldManager=aws-iam&force=true");
  });
});
