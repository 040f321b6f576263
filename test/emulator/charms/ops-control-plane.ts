/** Stand-in for the current (ops) kubernetes-control-plane (1.29+): it has no aws-iam
 * endpoint, so aws-iam attaches over Juju's implicit `juju-info` (container scope on
 * our side). It writes nothing on the relation itself: Juju provides the address keys.
 *
 * What it does model is its auth-webhook ([KN] src/auth_webhook.py, templates/auth-webhook.py):
 * `authn-webhook-endpoint` (its config) is rendered into /root/cdk/auth-webhook/auth-webhook.py
 * as `CUSTOM_AUTHN_ENDPOINT = '<url>'` on every control-plane machine, and a TokenReview that CK's
 * own tokens do not match is POSTed, whole, to that URL (10 s timeout); the answer counts only when
 * `status.authenticated` is true, and then its `status` is copied into the review.
 * One deliberate difference: the real auth-webhook retries with TLS verification off on any SSL
 * error; this stand-in trusts only the host trust store (the CA files in
 * /usr/local/share/ca-certificates on the machine), so a test sees whether aws-iam's CA got there. */
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { request } from "node:https";
import { dirname, join } from "node:path";
import { charmMetaFromYaml } from "../juju/charm-meta.ts";
import type { RelationView, RelationWrites, RemoteCharm } from "../juju/remote-charm.ts";

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
export const HOST_CA_DIR = "usr/local/share/ca-certificates";

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

export interface TokenReviewStatus {
  readonly authenticated?: boolean;
  readonly user?: { readonly username?: string; readonly uid?: string; readonly groups?: readonly string[] };
  readonly error?: string;
}

export interface TokenReview {
  readonly apiVersion: string;
  readonly kind: "TokenReview";
  readonly spec: { readonly token: string };
  status?: TokenReviewStatus;
}

export interface ForwardResult {
  /** What the auth-webhook answers kube-apiserver: the review with `status`. */
  readonly review: TokenReview;
  /** Where it was sent ("" when CUSTOM_AUTHN_ENDPOINT is unset). */
  readonly endpoint: string;
  /** Why forwarding failed (TLS, connection, invalid answer), if it did. */
  readonly error?: string;
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
    const review: TokenReview = {
      apiVersion: "authentication.k8s.io/v1",
      kind: "TokenReview",
      spec: { token },
      status: { authenticated: false },
    };
    if (endpoint === "") return { review, endpoint };
    try {
      const answer = JSON.parse(await post(endpoint, JSON.stringify(review), hostTrustStore(root))) as {
        status?: TokenReviewStatus;
      };
      if (answer.status?.authenticated === true) review.status = answer.status;
      return { review, endpoint };
    } catch (error) {
      return { review, endpoint, error: error instanceof Error ? error.message : String(error) };
    }
  }
}

/** Every CA the machine's trust store would add (our test machines have no system bundle). */
function hostTrustStore(root: string): string[] {
  const dir = join(root, HOST_CA_DIR);
  let names: string[];
  try {
    names = readdirSync(dir);
  } catch {
    return [];
  }
  return names.filter((name) => name.endsWith(".crt")).map((name) => readFileSync(join(dir, name), "utf8"));
}

function post(url: string, body: string, ca: string[]): Promise<string> {
  return new Promise((resolve, reject) => {
    // No CA at all would make Node fall back to its bundled roots, which a test machine does not have.
    if (ca.length === 0) {
      reject(new Error("the host trust store has no CA under /usr/local/share/ca-certificates"));
      return;
    }
    const req = request(
      url,
      {
        method: "POST",
        headers: { "content-type": "application/json", "content-length": Buffer.byteLength(body) },
        ca,
        timeout: 10_000,
      },
      (res) => {
        let text = "";
        res.setEncoding("utf8");
        res.on("data", (chunk: string) => {
          text += chunk;
        });
        res.on("end", () => resolve(text));
      },
    );
    req.on("timeout", () => req.destroy(new Error("timed out contacting server")));
    req.on("error", reject);
    req.end(body);
  });
}
