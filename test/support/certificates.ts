/** Helpers for certificate tests: deployments with a provider, what each unit holds, and a scan
 * of everything the run published for private key material. */
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import type { Deployment } from "../emulator/juju/deployment.ts";
import type { Databag } from "../emulator/juju/remote-charm.ts";
import {
  type CharmDeployment,
  charmDeployment,
  type ExtraApp,
  type Generation,
  type Mode,
} from "./deployments.ts";

export const UNITS = ["aws-iam/0", "aws-iam/1", "aws-iam/2"] as const;
export const TLS_LABEL = "authenticator-tls";

/** aws-iam beside a control plane, then related to the provider at `endpoint`, settled. */
export async function withProvider(
  provider: ExtraApp,
  endpoint: string,
  options: {
    generation?: Generation;
    mode?: Mode;
    units?: number;
    jujuVersion?: string;
    now?: () => Date;
  } = {},
): Promise<CharmDeployment & { certificates: number }> {
  const deployment = charmDeployment({
    generation: options.generation ?? "current",
    mode: options.mode ?? "in-process",
    units: options.units ?? 3,
    extraApps: [provider],
    ...(options.jujuVersion ? { jujuVersion: options.jujuVersion } : {}),
    ...(options.now !== undefined ? { now: options.now } : {}),
  });
  await deployment.d.integrate(...deployment.integration);
  await deployment.d.settle();
  const certificates = await deployment.d.integrate("aws-iam:certificates", endpoint);
  await deployment.d.settle();
  return { ...deployment, certificates };
}

export function statusOf(d: Deployment, unit: string): string {
  const { status, message } = d.state.units[unit]!.status;
  return `${status}: ${message}`;
}

export function appStatusOf(d: Deployment): string {
  const { status, message } = d.state.applications["aws-iam"]!.status;
  return `${status}: ${message}`;
}

export function tlsSecret(d: Deployment) {
  const secret = d.state.secrets.find((s) => s.label === TLS_LABEL && s.ownerApp === "aws-iam");
  if (secret === undefined) throw new Error("no authenticator-tls secret");
  return secret;
}

export function latestContent(d: Deployment): Databag {
  const secret = tlsSecret(d);
  return secret.revisions.reduce((a, b) => (b.revision > a.revision ? b : a)).content;
}

export function peerAppBag(d: Deployment): Databag {
  const rel = d.state.relations.find((r) => r.endpoints.every((e) => e.endpoint === "aws-iam-peers"))!;
  return rel.appData["aws-iam"] ?? {};
}

/** What one unit holds: the secret revision it tracks (the leader, as owner, the one it wrote last)
 * and the fingerprint it recorded on its machine. */
export function heldBy(d: Deployment, unit: string): { content: Databag; recorded: string | undefined } {
  const secret = tlsSecret(d);
  const tracked = secret.consumers[unit]?.trackedRevision;
  const content =
    d.state.applications["aws-iam"]!.leader === unit
      ? latestContent(d)
      : (secret.revisions.find((r) => r.revision === tracked)?.content ?? {});
  const file = join(
    d.state.units[unit]!.machineRoot,
    `var/lib/juju-aws-iam/${unit.replace("/", "-")}-tls.json`,
  );
  const recorded = existsSync(file)
    ? (JSON.parse(readFileSync(file, "utf8")) as { fingerprint: string }).fingerprint
    : undefined;
  return { content, recorded };
}

/** Every place the run may have leaked to: logs, statuses, relation databags, hook stderr. */
export function publishedTexts(d: Deployment): string[] {
  const out: string[] = [];
  for (const unit of Object.values(d.state.units)) {
    out.push(...unit.logs.map((l) => l.message));
    out.push(...unit.statusHistory.map((s) => s.message), unit.status.message);
  }
  for (const app of Object.values(d.state.applications)) {
    out.push(...app.statusHistory.map((s) => s.message), app.status.message);
  }
  for (const rel of d.state.relations) {
    // Our side only: legacy providers publish their own generated keys by protocol design.
    for (const [unit, bag] of Object.entries(rel.unitData)) {
      if (unit.startsWith("aws-iam/")) out.push(...Object.values(bag));
    }
    out.push(...Object.values(rel.appData["aws-iam"] ?? {}));
  }
  for (const step of d.log) {
    if (step.result !== undefined) out.push(step.result.stderr, step.result.stdout);
  }
  return out;
}
