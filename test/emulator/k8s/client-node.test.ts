/** The emulator through @kubernetes/client-node 1.4, the way the charm talks to it. */
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import {
  CoreV1Api,
  CustomObjectsApi,
  Health,
  KubernetesObjectApi,
  PatchStrategy,
} from "@kubernetes/client-node";
import { type KubeApiEmulator, startKubeApiEmulator } from "./emulator.ts";
import { isObj, type Obj } from "./json.ts";
import { clientsFor, md, statusOf } from "./test-support.ts";

const SSA = PatchStrategy.ServerSideApply;

function cm(name: string, data: Record<string, string>, labels: Record<string, string> = {}): Obj {
  const metadata = { name, namespace: "default", ...(Object.keys(labels).length > 0 ? { labels } : {}) };
  return { apiVersion: "v1", kind: "ConfigMap", metadata, data };
}

describe("client-node against the emulator", () => {
  let api: KubeApiEmulator;
  let clients: ReturnType<typeof clientsFor>;

  before(async () => {
    api = await startKubeApiEmulator({ controlPlaneNodes: 1 });
    clients = clientsFor(api);
  });
  after(() => api.close());

  it("rejects a wrong token with 401 Unauthorized and answers /readyz with the right one", async () => {
    const bad = `${api.kubeconfigPath}.bad`;
    api.writeKubeconfig(bad, { token: "wrong" });
    const { kc } = clientsFor(api);
    kc.loadFromFile(bad);
    // The typed CoreV1Api drops 401 bodies; the generic client keeps them.
    await assert.rejects(kc.makeApiClient(CoreV1Api).listNode(), (e: { code?: number }) => e.code === 401);
    const generic = KubernetesObjectApi.makeApiClient(kc);
    const status = await statusOf(
      generic.read({ apiVersion: "v1", kind: "Node", metadata: { name: "x" } }),
      401,
    );
    assert.equal(status["reason"], "Unauthorized");
    assert.equal(status["message"], "Unauthorized");
    assert.equal(await new Health(clients.kc).readyz({}), true);
  });

  it("server-side apply: creates, and a repeated identical apply does not bump resourceVersion", async () => {
    const first = await clients.objects.patch(
      cm("ssa-1", { key: "v1" }),
      undefined,
      undefined,
      "aws-iam",
      true,
      SSA,
    );
    const rv = md(first)["resourceVersion"];
    const writesBefore = api.counters.writes;
    const second = await clients.objects.patch(
      cm("ssa-1", { key: "v1" }),
      undefined,
      undefined,
      "aws-iam",
      true,
      SSA,
    );
    assert.equal(md(second)["resourceVersion"], rv);
    assert.equal(api.counters.writes, writesBefore + 1, "the PATCH is still counted as a write request");
    const managed = md(second)["managedFields"] as Obj[];
    assert.equal(managed.length, 1);
    assert.equal(managed[0]!["manager"], "aws-iam");
    assert.equal(managed[0]!["operation"], "Apply");
    assert.deepEqual(managed[0]!["fieldsV1"], { "f:data": { "f:key": {} } });
  });

  it("apply without fieldManager is rejected like the real server (422 Invalid)", async () => {
    const status = await statusOf(
      clients.objects.patch(cm("ssa-x", { a: "b" }), undefined, undefined, undefined, undefined, SSA),
      422,
    );
    assert.equal(status["reason"], "Invalid");
    assert.match(String(status["message"]), /fieldManager: Required value: is required for apply patch/);
  });

  it("reports apply conflicts with another manager, and force moves ownership", async () => {
    await clients.objects.patch(
      cm("ssa-2", { key: "mine", other: "x" }),
      undefined,
      undefined,
      "aws-iam",
      true,
      SSA,
    );
    const status = await statusOf(
      clients.objects.patch(cm("ssa-2", { key: "theirs" }), undefined, undefined, "someone-else", false, SSA),
      409,
    );
    assert.equal(status["reason"], "Conflict");
    assert.equal(status["message"], 'Apply failed with 1 conflict: conflict with "aws-iam": .data.key');
    const forced = await clients.objects.patch(
      cm("ssa-2", { key: "theirs" }),
      undefined,
      undefined,
      "someone-else",
      true,
      SSA,
    );
    assert.equal((forced as Obj & { data: Obj }).data["key"], "theirs");
    const owners = (md(forced)["managedFields"] as Obj[]).map((e) => [e["manager"], e["fieldsV1"]]);
    assert.deepEqual(owners, [
      ["aws-iam", { "f:data": { "f:other": {} } }],
      ["someone-else", { "f:data": { "f:key": {} } }],
    ]);
  });

  it("lists several conflicts grouped by manager", async () => {
    await clients.objects.patch(cm("ssa-3", { a: "1", b: "2" }), undefined, undefined, "aws-iam", true, SSA);
    const status = await statusOf(
      clients.objects.patch(cm("ssa-3", { a: "9", b: "9" }), undefined, undefined, "other", false, SSA),
      409,
    );
    assert.equal(
      status["message"],
      'Apply failed with 2 conflicts: conflicts with "aws-iam":\n- .data.a\n- .data.b',
    );
  });

  it("removes fields a manager stopped applying unless someone else owns them", async () => {
    await clients.objects.patch(
      cm("ssa-4", { a: "1", b: "2", c: "3" }),
      undefined,
      undefined,
      "aws-iam",
      true,
      SSA,
    );
    await clients.objects.patch(cm("ssa-4", { c: "3" }), undefined, undefined, "co-owner", true, SSA);
    const after = (await clients.objects.patch(
      cm("ssa-4", { a: "1" }),
      undefined,
      undefined,
      "aws-iam",
      true,
      SSA,
    )) as Obj;
    assert.deepEqual(after["data"], { a: "1", c: "3" });
  });

  it("PUT with a stale resourceVersion is a 409 Conflict worded like the server", async () => {
    const created = await clients.objects.create(cm("put-1", { a: "1" }));
    const stale: Obj = { ...created, data: { a: "2" } };
    await clients.objects.replace({ ...created, data: { a: "3" } } as Obj);
    const status = await statusOf(clients.objects.replace(stale), 409);
    assert.equal(
      status["message"],
      'Operation cannot be fulfilled on configmaps "put-1": the object has been modified; please apply your changes to the latest version and try again',
    );
  });

  it("answers NotFound / AlreadyExists / missing namespace with real Status bodies", async () => {
    const missing = await statusOf(
      clients.objects.read({
        apiVersion: "v1",
        kind: "ConfigMap",
        metadata: { name: "nope", namespace: "default" },
      }),
      404,
    );
    assert.equal(missing["message"], 'configmaps "nope" not found');
    assert.deepEqual(missing["details"], { name: "nope", kind: "configmaps" });
    await clients.objects.create(cm("dup", {}));
    const dup = await statusOf(clients.objects.create(cm("dup", {})), 409);
    assert.equal(dup["reason"], "AlreadyExists");
    assert.equal(dup["message"], 'configmaps "dup" already exists');
    const noNs = await statusOf(
      clients.objects.create({ ...cm("x", {}), metadata: { name: "x", namespace: "ghost" } }),
      404,
    );
    assert.equal(noNs["message"], 'namespaces "ghost" not found');
    const ds = await statusOf(
      clients.objects.read({
        apiVersion: "apps/v1",
        kind: "DaemonSet",
        metadata: { name: "nope", namespace: "default" },
      }),
      404,
    );
    assert.equal(ds["message"], 'daemonsets.apps "nope" not found');
  });

  it("filters lists by label selector operators and by field selector", async () => {
    await clients.objects.create(cm("sel-a", {}, { app: "sel", tier: "web" }));
    await clients.objects.create(cm("sel-b", {}, { app: "sel", tier: "db" }));
    await clients.objects.create(cm("sel-c", {}, { app: "sel" }));
    const names = async (labelSelector?: string, fieldSelector?: string) => {
      const list = await clients.objects.list(
        "v1",
        "ConfigMap",
        "default",
        undefined,
        undefined,
        undefined,
        fieldSelector,
        labelSelector,
      );
      return list.items.map((o) => o.metadata?.name).filter((n) => n?.startsWith("sel-"));
    };
    assert.deepEqual(await names("app=sel,tier==web"), ["sel-a"]);
    assert.deepEqual(await names("app=sel,tier!=web"), ["sel-b", "sel-c"]);
    assert.deepEqual(await names("tier in (web,db)"), ["sel-a", "sel-b"]);
    assert.deepEqual(await names("app=sel,tier notin (web)"), ["sel-b", "sel-c"]);
    assert.deepEqual(await names("app,!tier"), ["sel-c"]);
    assert.deepEqual(await names(undefined, "metadata.name=sel-b"), ["sel-b"]);
  });

  it("bumps generation on spec changes only", async () => {
    const ds = {
      apiVersion: "apps/v1",
      kind: "Deployment",
      metadata: { name: "gen", namespace: "default" },
      spec: {
        replicas: 1,
        template: { metadata: { labels: { a: "b" } }, spec: { containers: [{ name: "c", image: "i:1" }] } },
      },
    };
    const a = await clients.objects.patch(ds, undefined, undefined, "aws-iam", true, SSA);
    assert.equal(md(a)["generation"], 1);
    const b = await clients.objects.patch(
      { ...ds, metadata: { ...ds.metadata, labels: { x: "y" } } },
      undefined,
      undefined,
      "aws-iam",
      true,
      SSA,
    );
    assert.equal(md(b)["generation"], 1);
    const c = await clients.objects.patch(
      { ...ds, spec: { ...ds.spec, replicas: 2 } },
      undefined,
      undefined,
      "aws-iam",
      true,
      SSA,
    );
    assert.equal(md(c)["generation"], 2);
  });
});

describe("CustomResourceDefinitions", () => {
  let api: KubeApiEmulator;
  let clients: ReturnType<typeof clientsFor>;
  const crd = {
    apiVersion: "apiextensions.k8s.io/v1",
    kind: "CustomResourceDefinition",
    metadata: { name: "iamidentitymappings.iamauthenticator.k8s.aws" },
    spec: {
      group: "iamauthenticator.k8s.aws",
      scope: "Cluster",
      names: {
        plural: "iamidentitymappings",
        singular: "iamidentitymapping",
        kind: "IAMIdentityMapping",
        listKind: "IAMIdentityMappingList",
      },
      versions: [
        {
          name: "v1alpha1",
          served: true,
          storage: true,
          schema: { openAPIV3Schema: { type: "object" } },
          subresources: { status: {} },
        },
      ],
    },
  };
  const mapping = (arn: string, status?: Obj): Obj => ({
    apiVersion: "iamauthenticator.k8s.aws/v1alpha1",
    kind: "IAMIdentityMapping",
    metadata: { name: "admin" },
    spec: { arn, username: "admin", groups: ["system:masters"] },
    ...(status ? { status } : {}),
  });

  before(async () => {
    api = await startKubeApiEmulator();
    clients = clientsFor(api);
  });
  after(() => api.close());

  it("serves, discovers and deletes custom resources with their CRD", async () => {
    await assert.rejects(clients.objects.create(mapping("arn:1")), /HTTP-Code: 404/);
    await clients.objects.patch(crd, undefined, undefined, "aws-iam", true, SSA);
    const discovery = await fetchJson(api, "/apis/iamauthenticator.k8s.aws/v1alpha1");
    const resources = discovery["resources"] as Obj[];
    assert.deepEqual(
      resources.map((r) => [r["name"], r["namespaced"], r["kind"]]),
      [
        ["iamidentitymappings", false, "IAMIdentityMapping"],
        ["iamidentitymappings/status", false, "IAMIdentityMapping"],
      ],
    );
    const storedCrd = api.get("CustomResourceDefinition", crd.metadata.name);
    assert.ok(storedCrd);
    const conditions = ((storedCrd["status"] as Obj)["conditions"] as Obj[]).map((c) => c["type"]);
    assert.ok(conditions.includes("Established"));

    // Writes through the main resource ignore status; /status writes only touch status.
    const created = await clients.objects.patch(
      mapping("arn:1", { phase: "ignored" }),
      undefined,
      undefined,
      "aws-iam",
      true,
      SSA,
    );
    assert.equal((created as Obj)["status"], undefined);
    const custom = clients.kc.makeApiClient(CustomObjectsApi);
    const withStatus = (await custom.replaceClusterCustomObjectStatus({
      group: "iamauthenticator.k8s.aws",
      version: "v1alpha1",
      plural: "iamidentitymappings",
      name: "admin",
      body: { ...mapping("arn:changed-via-status", { canonicalARN: "arn:1" }), metadata: md(created) },
    })) as Obj;
    assert.deepEqual(withStatus["status"], { canonicalARN: "arn:1" });
    assert.equal((withStatus["spec"] as Obj)["arn"], "arn:1");
    const reapplied = (await clients.objects.patch(
      mapping("arn:2"),
      undefined,
      undefined,
      "aws-iam",
      true,
      SSA,
    )) as Obj;
    assert.deepEqual(reapplied["status"], { canonicalARN: "arn:1" });
    assert.equal(md(reapplied)["generation"], 2);

    await clients.objects.delete(crd);
    assert.equal(api.objects("IAMIdentityMapping").length, 0);
    const gone = await fetchStatus(api, "/apis/iamauthenticator.k8s.aws/v1alpha1/iamidentitymappings");
    assert.equal(gone, 404);
  });

  it("rejects a CRD whose name is not <plural>.<group>", async () => {
    const status = await statusOf(clients.objects.create({ ...crd, metadata: { name: "wrong" } }), 422);
    assert.equal(status["reason"], "Invalid");
    assert.match(
      String(status["message"]),
      /^CustomResourceDefinition.apiextensions.k8s.io "wrong" is invalid: metadata.name/,
    );
  });
});

/** Raw GETs through client-node's own TLS/auth setup, for discovery documents. */
async function fetchJson(api: KubeApiEmulator, path: string): Promise<Obj> {
  const res = await rawGet(api, path);
  assert.equal(res.status, 200);
  const body: unknown = await res.json();
  assert.ok(isObj(body));
  return body;
}

async function fetchStatus(api: KubeApiEmulator, path: string): Promise<number> {
  return (await rawGet(api, path)).status;
}

async function rawGet(api: KubeApiEmulator, path: string) {
  const { kc } = clientsFor(api);
  const opts = await kc.applyToFetchOptions({});
  const { default: fetch } = await import("node-fetch");
  return fetch(`${api.url}${path}`, opts);
}
