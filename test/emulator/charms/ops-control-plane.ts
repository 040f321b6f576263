/** Stand-in for the current (ops) kubernetes-control-plane (1.29+): it has no aws-iam
 * endpoint, so aws-iam attaches over Juju's implicit `juju-info` (container scope on
 * our side). It writes nothing on the relation itself: Juju provides the address keys.
 *
 * What it does model is its auth-webhook ([KN] src/auth_webhook.py, templates/auth-webhook.py):
 * `authn-webhook-endpoint` (its config) is rendered into /root/cdk/auth-webhook/auth-webhook.py
 * as `CUSTOM_AUTHN_ENDPOINT = '<url>'` on every control-plane machine, and a TokenReview that CK's
 * own tokens do not match goes through ckAuthWebhook (ck-auth-webhook.ts): forwarded with the host
 * trust store, retried unverified on a TLS error, and a 500 for an answer without
 * `status.authenticated`. */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { charmMetaFromYaml } from "../juju/charm-meta.ts";
import type { RelationView, RelationWrites, RemoteCharm } from "../juju/remote-charm.ts";
import { type AuthWebhookAnswer, ckAuthWebhook, hostTrustStore } from "./ck-auth-webhook.ts";

export const OPS_CONTROL_PLANE_META = charmMetaFromYaml(
  {
    name: "kubernetes-control-plane",
    subordinate: false,
    provides: { "kube-control": { interface: "kube-control" } },
  },
  { options: { "authn-webhook-endpoint": { type: "string", default: "" } } },
);

/** Machine-relative paths (no leading slash) of what the stand-in reads and renders. */
export const AUTH_WEBHOOK_PY = "root/cdk/auth-webhook/auth-webhook.py";
export { HOST_CA_DIR } from "./ck-auth-webhook.ts";

/** The lines of CK's template that carry the endpoints, rendered as jinja does for unset values. */
export function renderAuthWebhook(customAuthnEndpoint: string): string {
  return [
    "#!/usr/bin/env python3",
    "",
    "AWS_IAM_ENDPOINT = ''",
    "KEYSTONE_ENDPOINT = ''",
    `CUSTOM_AUTHN_ENDPOINT = '${customAuthnEndpoint}'`,
    "",
  ].join("\n");
}

export interface ForwardResult extends AuthWebhookAnswer {
  /** CUSTOM_AUTHN_ENDPOINT as rendered ("" when unset). */
  readonly endpoint: string;
}

export class OpsControlPlane implements RemoteCharm {
  readonly charm = "kubernetes-control-plane";
  readonly events: string[] = [];
  /** Machine roots of the control-plane units seen on a relation. */
  readonly machines = new Map<string, string>();
  #endpoint = "";

  async onRelationEvent(view: RelationView): Promise<RelationWrites> {
    this.events.push(
      `${view.event?.kind ?? "changed"}${view.event?.remoteUnit ? `(${view.event.remoteUnit})` : ""}`,
    );
    // The machines are learnt here; the auth-webhook is rendered by configure() (a test may have put
    // its own rendering there already, as an operator's earlier `juju config` would have).
    for (const unit of view.units) this.machines.set(unit, view.machineRoot(unit));
    return {};
  }

  /** `juju config kubernetes-control-plane authn-webhook-endpoint=<url>`: config-changed re-renders the
   * auth-webhook on every unit (and restarts it). */
  configure(authnWebhookEndpoint: string): void {
    this.#endpoint = authnWebhookEndpoint;
    for (const unit of this.machines.keys()) this.render(unit);
  }

  private render(unit: string): void {
    const path = join(this.machines.get(unit)!, AUTH_WEBHOOK_PY);
    mkdirSync(dirname(path), { recursive: true });
    writeFileSync(path, renderAuthWebhook(this.#endpoint));
  }

  /** CK's auth-webhook on `unit`'s machine, for a token none of CK's own checks matched. */
  async review(unit: string, token: string): Promise<ForwardResult> {
    const root = this.machines.get(unit);
    if (root === undefined) throw new Error(`${unit} has not been on a relation yet`);
    const path = join(root, AUTH_WEBHOOK_PY);
    const source = existsSync(path) ? readFileSync(path, "utf8") : "";
    const endpoint = /^CUSTOM_AUTHN_ENDPOINT = '([^']*)'$/m.exec(source)?.[1] ?? "";
    return { ...(await ckAuthWebhook({ custom: endpoint }, token, hostTrustStore(root))), endpoint };
  }
}
