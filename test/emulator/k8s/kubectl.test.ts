/** The real kubectl binary against the emulator (child process, so the server keeps serving). */
import assert from "node:assert/strict";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { execa } from "execa";
import { type KubeApiEmulator, startKubeApiEmulator } from "./emulator.ts";

const CRD = `apiVersion: apiextensions.k8s.io/v1
kind: CustomResourceDefinition
metadata:
  name: iamidentitymappings.iamauthenticator.k8s.aws
spec:
  group: iamauthenticator.k8s.aws
  scope: Cluster
  names: {plural: iamidentitymappings, singular: iamidentitymapping, kind: IAMIdentityMapping}
  versions:
  - name: v1alpha1
    served: true
    storage: true
    schema: {openAPIV3Schema: {type: object, x-kubernetes-preserve-unknown-fields: true}}
`;

describe("kubectl against the emulator", () => {
  let api: KubeApiEmulator;
  let cacheDir: string;
  const kubectl = async (args: string[], input?: string) => {
    // A private cache dir keeps discovery from leaking between emulator instances.
    const r = await execa("kubectl", ["--kubeconfig", api.kubeconfigPath, "--cache-dir", cacheDir, ...args], {
      reject: false,
      ...(input !== undefined ? { input } : {}),
    });
    assert.equal(r.exitCode, 0, `kubectl ${args.join(" ")} failed: ${r.stderr}`);
    return r.stdout;
  };

  before(async () => {
    api = await startKubeApiEmulator({ controlPlaneNodes: 1 });
    cacheDir = mkdtempSync(join(tmpdir(), "kubectl-cache-"));
  });
  after(async () => {
    await api.close();
    rmSync(cacheDir, { recursive: true, force: true });
  });

  it("applies server-side, then lists by label as JSON", async () => {
    const manifest =
      "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: x\n  namespace: default\n  labels: {app: x}\ndata:\n  k: v\n";
    const out = await kubectl(["apply", "--server-side", "--validate=false", "-f", "-"], manifest);
    assert.equal(out.trim(), "configmap/x serverside-applied");
    const again = await kubectl(["apply", "--server-side", "--validate=false", "-f", "-"], manifest);
    assert.equal(again.trim(), "configmap/x serverside-applied");
    const list = JSON.parse(await kubectl(["get", "cm", "-l", "app=x", "-o", "json"])) as {
      items: { metadata: { name: string }; data: unknown }[];
    };
    assert.deepEqual(
      list.items.map((i) => [i.metadata.name, i.data]),
      [["x", { k: "v" }]],
    );
    const stored = api.get("ConfigMap", "x", "default");
    assert.ok(stored);
    const managers = (stored["metadata"] as { managedFields: { manager: string }[] }).managedFields.map(
      (m) => m.manager,
    );
    assert.deepEqual(managers, ["kubectl"]);
  });

  it("deletes", async () => {
    assert.equal((await kubectl(["delete", "cm", "x"])).trim(), 'configmap "x" deleted');
    assert.equal(api.get("ConfigMap", "x", "default"), undefined);
  });

  it("registers a CRD that get crd and api-resources then show", async () => {
    await kubectl(["apply", "--server-side", "--validate=false", "-f", "-"], CRD);
    const crds = await kubectl(["get", "crd"]);
    assert.match(crds, /^NAME\s+AGE\n/);
    assert.match(crds, /iamidentitymappings\.iamauthenticator\.k8s\.aws/);
    const resources = await kubectl(["api-resources", "--api-group=iamauthenticator.k8s.aws"]);
    assert.match(
      resources,
      /iamidentitymappings\s+iamauthenticator\.k8s\.aws\/v1alpha1\s+false\s+IAMIdentityMapping/,
    );
    const mapping =
      "apiVersion: iamauthenticator.k8s.aws/v1alpha1\nkind: IAMIdentityMapping\nmetadata: {name: admin}\nspec: {arn: 'arn:aws:iam::1:role/admin'}\n";
    await kubectl(["apply", "--server-side", "--validate=false", "-f", "-"], mapping);
    const got = JSON.parse(await kubectl(["get", "iamidentitymappings", "admin", "-o", "json"])) as {
      spec: unknown;
    };
    assert.deepEqual(got.spec, { arn: "arn:aws:iam::1:role/admin" });
  });

  it("shows seeded nodes", async () => {
    const out = await kubectl(["get", "nodes", "-l", "node-role.kubernetes.io/control-plane", "-o", "name"]);
    assert.equal(out.trim(), "node/control-plane-0");
  });
});
