/** Stand-in for the legacy reactive kubernetes-control-plane (≤ 1.28): a principal that
 * provides `aws-iam` (interface aws-iam, container scope). Per interface-aws-iam it
 * publishes `api_server_state` (JSON bool) on each unit and reads `cluster_id` and
 * `webhook_status` from the aws-iam unit beside it; once `webhook_status` is truthy it
 * reads /root/cdk/aws-iam-webhook.yaml and keeps only clusters[0].cluster.server, which its
 * auth-webhook (templates/cdk.master.auth-webhook.py) is rendered with as AWS_IAM_ENDPOINT and
 * forwards tokens to first (ckAuthWebhook). */
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { load } from "js-yaml";
import { charmMetaFromYaml } from "../juju/charm-meta.ts";
import type { Databag, RelationView, RelationWrites, RemoteCharm } from "../juju/remote-charm.ts";
import { type AuthWebhookAnswer, ckAuthWebhook, hostTrustStore } from "./ck-auth-webhook.ts";
import type { ReceivedValue } from "./reactive-json.ts";
import { received, toPublish, truthy } from "./reactive-json.ts";

export const REACTIVE_CONTROL_PLANE_META = charmMetaFromYaml({
  name: "kubernetes-control-plane",
  subordinate: false,
  provides: { "aws-iam": { interface: "aws-iam", scope: "container" } },
});

export const AWS_IAM_WEBHOOK_PATH = "root/cdk/aws-iam-webhook.yaml";

/** What one control-plane unit has decoded from its aws-iam unit. */
export interface ControlPlaneView {
  readonly clusterId: ReceivedValue;
  readonly webhookStatus: ReceivedValue;
  /** Every key of the merged `all_joined_units.received` view, decoded as charms.reactive does. */
  readonly received: Readonly<Record<string, ReceivedValue>>;
  /** `endpoint.aws-iam.ready`: every joined unit sent a truthy webhook_status. */
  readonly ready: boolean;
  /** clusters[0].cluster.server from the webhook file, once ready. */
  readonly webhookServer?: string;
  readonly webhookError?: string;
}

export class ReactiveControlPlane implements RemoteCharm {
  readonly charm = "kubernetes-control-plane";
  /** `kubernetes-control-plane.components.started`, per unit (default up). */
  readonly apiServerUp = new Map<string, boolean>();
  /** Latest decoding per control-plane unit. */
  readonly seen = new Map<string, ControlPlaneView>();
  readonly events: string[] = [];
  /** Machine roots of the control-plane units seen on a relation. */
  readonly machines = new Map<string, string>();

  /** CK 1.28's auth-webhook on `unit`'s machine: AWS_IAM_ENDPOINT is the webhook file's server once
   * every aws-iam unit is ready (unset before), asked before keystone and the custom endpoint. */
  async review(
    unit: string,
    token: string,
    others: { keystone?: string; custom?: string } = {},
  ): Promise<AuthWebhookAnswer & { endpoint: string }> {
    const root = this.machines.get(unit);
    if (root === undefined) throw new Error(`${unit} has not been on a relation yet`);
    const endpoint = this.seen.get(unit)?.webhookServer ?? "";
    const answer = await ckAuthWebhook({ awsIam: endpoint, ...others }, token, hostTrustStore(root));
    return { ...answer, endpoint };
  }

  async onRelationEvent(view: RelationView): Promise<RelationWrites> {
    this.events.push(
      `${view.event?.kind ?? "changed"}${view.event?.remoteUnit ? `(${view.event.remoteUnit})` : ""}`,
    );
    const unitData: Record<string, Databag> = {};
    for (const unit of view.units) {
      this.machines.set(unit, view.machineRoot(unit));
      unitData[unit] = { api_server_state: toPublish(this.apiServerUp.get(unit) ?? true) };
      const remotes = view.remoteUnitsOf ? view.remoteUnitsOf(unit) : view.remoteUnits;
      this.seen.set(unit, this.decode(view, unit, remotes));
    }
    return { unitData };
  }

  private decode(view: RelationView, unit: string, remotes: readonly string[]): ControlPlaneView {
    // all_joined_units.received: later units win on a key, as the merged dict does.
    const merged: Record<string, ReceivedValue> = {};
    for (const r of remotes) {
      for (const [key, raw] of Object.entries(view.remoteUnitData[r] ?? {})) merged[key] = received(raw);
    }
    const clusterId = merged["cluster_id"] ?? received(undefined);
    const webhookStatus = merged["webhook_status"] ?? received(undefined);
    const ready =
      remotes.length > 0 &&
      remotes.every((r) => truthy(received(view.remoteUnitData[r]?.["webhook_status"]).value));
    if (!ready) return { clusterId, webhookStatus, received: merged, ready };
    const path = join(view.machineRoot(unit), AWS_IAM_WEBHOOK_PATH);
    if (!existsSync(path))
      return { clusterId, webhookStatus, received: merged, ready, webhookError: `${path} missing` };
    try {
      const doc = load(readFileSync(path, "utf8")) as {
        clusters?: Array<{ cluster?: { server?: unknown } }>;
      };
      const server = doc?.clusters?.[0]?.cluster?.server;
      if (typeof server !== "string") throw new Error("clusters[0].cluster.server missing");
      return { clusterId, webhookStatus, received: merged, ready, webhookServer: server };
    } catch (err) {
      return {
        clusterId,
        webhookStatus,
        received: merged,
        ready,
        webhookError: err instanceof Error ? err.message : String(err),
      };
    }
  }
}
