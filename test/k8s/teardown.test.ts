import assert from "node:assert/strict";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, test } from "node:test";
import { applyDesired } from "../../src/k8s/apply.ts";
import type { KubeClient } from "../../src/k8s/client.ts";
import { teardown } from "../../src/k8s/delete-owned.ts";
import { CRD_NAME, ownedLabelSelector, ownedLabels } from "../../src/workload/manifests/index.ts";
import type { KubeApiEmulator } from "../emulator/k8s/index.ts";
import {
  APP,
  clientFor,
  FIELD_MANAGER,
  OWNED,
  objectsFor,
  PRUNE_KINDS,
  REMOVE_CRD,
  startCluster,
} from "./harness.ts";
import { runKubectl } from "./kubectl.ts";

const OUR_KINDS =
  "serviceaccounts,clusterroles,clusterrolebindings,roles,rolebindings,configmaps,secrets,daemonsets";
const MAPPING = `apiVersion: iamauthenticator.k8s.aws/v1alpha1
kind: IAMIdentityMapping
metadata:
  name: kubernetes-admin
spec:
  arn: arn:aws:iam::123456789012:user/alice
  username: alice
  groups: ["system:masters"]
`;

describe("teardown", () => {
  let emulator: KubeApiEmulator;
  let client: KubeClient;
  let cacheDir: string;

  /** The real kubectl against the emulator, as an operator would check. */
  function kubectl(args: string[], input?: string): Promise<string> {
    return runKubectl(emulator.kubeconfigPath, cacheDir, args, input);
  }

  async function oursByKubectl(app = APP): Promise<string> {
    return (await kubectl(["get", OUR_KINDS, "-A", "-l", ownedLabelSelector(app), "-o", "name"])).trim();
  }

  beforeEach(async () => {
    cacheDir = mkdtempSync(join(tmpdir(), "kubectl-cache-"));
    emulator = await startCluster(2, 0);
    client = clientFor(emulator);
    await applyDesired({
      client,
      objects: objectsFor(),
      fieldManager: FIELD_MANAGER,
      ownedLabels: OWNED,
      pruneKinds: PRUNE_KINDS,
    });
    // The emulator serves no OpenAPI document, so kubectl cannot validate client-side.
    await kubectl(["apply", "--server-side", "--validate=false", "-f", "-"], MAPPING);
  });
  afterEach(async () => {
    await emulator.close();
    rmSync(cacheDir, { recursive: true, force: true });
  });

  test("deletes every object we own, dependents first; the CRD and users' mappings stay", async () => {
    assert.equal((await oursByKubectl()).split("\n").length, 8);
    const result = await teardown({ client, ownedLabels: OWNED, kinds: PRUNE_KINDS });
    assert.deepEqual(
      result.deleted.map((ref) => ref.kind),
      [
        "DaemonSet",
        "Secret",
        "ConfigMap",
        "ClusterRoleBinding",
        "RoleBinding",
        "ClusterRole",
        "Role",
        "ServiceAccount",
      ],
    );
    assert.equal(result.crd, "kept");
    assert.equal(await oursByKubectl(), "");
    assert.equal(emulator.objects("Pod").length, 0);
    assert.equal(
      (await kubectl(["get", "crd", CRD_NAME, "-o", "name"])).trim(),
      `customresourcedefinition.apiextensions.k8s.io/${CRD_NAME}`,
    );
    assert.equal(
      (await kubectl(["get", "iamidentitymappings", "-o", "name"])).trim(),
      "iamidentitymapping.iamauthenticator.k8s.aws/kubernetes-admin",
    );
  });

  test("is idempotent: a second run deletes nothing and does not fail", async () => {
    await teardown({ client, ownedLabels: OWNED, kinds: PRUNE_KINDS });
    const mark = emulator.counters.writes;
    const again = await teardown({ client, ownedLabels: OWNED, kinds: PRUNE_KINDS });
    assert.deepEqual(again.deleted, []);
    assert.equal(emulator.counters.writes, mark);
  });

  test("removeCrd deletes the CRD, and with it the mappings, last", async () => {
    const result = await teardown({ client, ownedLabels: OWNED, kinds: PRUNE_KINDS, removeCrd: REMOVE_CRD });
    assert.equal(result.crd, "deleted");
    assert.equal(result.deleted.at(-1)?.kind, "CustomResourceDefinition");
    assert.equal(await oursByKubectl(), "");
    assert.equal((await kubectl(["get", "crd", "-o", "name"])).trim(), "");
    assert.equal(emulator.objects("IAMIdentityMapping").length, 0);
  });

  test("removeCrd keeps the CRD while another deployment still runs on it", async () => {
    await applyDesired({
      client,
      objects: objectsFor({ appName: "other" }),
      fieldManager: FIELD_MANAGER,
      ownedLabels: ownedLabels("other"),
      pruneKinds: PRUNE_KINDS,
    });
    const result = await teardown({ client, ownedLabels: OWNED, kinds: PRUNE_KINDS, removeCrd: REMOVE_CRD });
    assert.equal(result.crd, "in-use");
    assert.equal(await oursByKubectl(), "");
    assert.equal((await oursByKubectl("other")).split("\n").length, 8);
    assert.ok(emulator.get("CustomResourceDefinition", CRD_NAME));
  });
});
