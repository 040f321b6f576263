import assert from "node:assert/strict";
import { mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, test } from "node:test";
import type { RelationView } from "../juju/remote-charm.ts";
import { AWS_IAM_WEBHOOK_PATH, ReactiveControlPlane } from "./reactive-control-plane.ts";
import { received } from "./reactive-json.ts";

function view(remote: Record<string, string>, root: string): RelationView {
  return {
    relationId: 3,
    endpoint: "aws-iam",
    app: "kubernetes-control-plane",
    units: ["kubernetes-control-plane/0"],
    remoteApp: "aws-iam",
    remoteUnits: ["aws-iam/0"],
    appData: {},
    unitData: { "kubernetes-control-plane/0": {} },
    remoteAppData: {},
    remoteUnitData: { "aws-iam/0": remote },
    machineRoot: () => root,
  };
}

describe("reactive control plane stand-in", () => {
  test("publishes api_server_state as JSON and decodes what aws-iam published", async () => {
    const root = mkdtempSync(join(tmpdir(), "cp-"));
    mkdirSync(join(root, "root/cdk"), { recursive: true });
    writeFileSync(
      join(root, AWS_IAM_WEBHOOK_PATH),
      "clusters:\n- cluster:\n    server: https://10.0.0.1/authenticate\n",
    );
    const cp = new ReactiveControlPlane();
    cp.apiServerUp.set("kubernetes-control-plane/0", false);
    const writes = await cp.onRelationEvent(view({ cluster_id: '"abc"', webhook_status: "true" }, root));
    assert.deepEqual(writes.unitData, { "kubernetes-control-plane/0": { api_server_state: "false" } });
    const seen = cp.seen.get("kubernetes-control-plane/0")!;
    assert.deepEqual(
      [seen.clusterId.value, seen.ready, seen.webhookServer],
      ["abc", true, "https://10.0.0.1/authenticate"],
    );
  });

  test("a value that is not JSON falls back to the raw string, and is flagged", async () => {
    const cp = new ReactiveControlPlane();
    await cp.onRelationEvent(view({ cluster_id: "abc", webhook_status: "false" }, tmpdir()));
    const seen = cp.seen.get("kubernetes-control-plane/0")!;
    assert.deepEqual([seen.clusterId.value, seen.clusterId.notJson, seen.ready], ["abc", true, false]);
    assert.deepEqual(received(undefined), { value: undefined, notJson: false });
  });

  test("ready without the webhook file reports the missing file", async () => {
    const cp = new ReactiveControlPlane();
    await cp.onRelationEvent(view({ webhook_status: "true" }, mkdtempSync(join(tmpdir(), "cp-"))));
    assert.match(cp.seen.get("kubernetes-control-plane/0")!.webhookError!, /aws-iam-webhook.yaml missing/);
  });
});
