/** Interim I/O for the old reconcile path (plan/reconcile.ts) while charm.ts still calls it: a feature's
 * pure decide gets an Observed read here and its Plan part is written here, at once. Superseded by
 * observe/observe.ts and commit/commit.ts once charm.ts runs observe → decidePlan → commit; then this
 * file goes. Every write is a diff against what this hook observed, so a no-change hook writes nothing. */
import { databagDiff } from "../certificates/request.ts";
import { sameContent, TLS_SECRET_LABEL } from "../certificates/secret-content.ts";
import type { CharmDeps } from "../deps.ts";
import { HookToolError } from "../juju/errors.ts";
import type { Databag } from "../juju/hook-tools.ts";
import type { JujuSnapshot } from "../observe/juju.ts";
import type { BaseObservation, Need, Observed } from "../observe/observe.ts";
import { PEER_UNIT_KEYS, peerAppWrites, readPeerApp } from "./peer-databag.ts";
import type { Plan } from "./plan.ts";

/** The base observation, reading only the machine files named. */
export async function observeBaseNow(
  snapshot: JujuSnapshot,
  deps: CharmDeps,
  paths: readonly string[],
): Promise<BaseObservation> {
  const files: Record<string, string | undefined> = {};
  for (const path of paths) files[path] = await deps.files.read(path);
  return {
    context: snapshot.context,
    juju: snapshot,
    peerApp: readPeerApp(snapshot.peers?.localAppData),
    now: deps.now(),
    files,
  };
}

/** The reads the features' needs() asked for, each at most once. */
export async function observeNeedsNow(
  base: BaseObservation,
  needs: readonly Need[],
  deps: CharmDeps,
): Promise<Observed> {
  let tlsSecret: Observed["tlsSecret"];
  let leaderSettings: Databag | undefined;
  for (const need of needs) {
    if (need.kind === "tls-secret" && tlsSecret === undefined) {
      const id = need.id ?? (await deps.tools.secretInfoGet({ label: TLS_SECRET_LABEL }))?.id;
      if (id !== undefined)
        tlsSecret = { id, content: await deps.tools.secretGet({ id }, { refresh: true }) };
    }
    if (need.kind === "leader-settings" && leaderSettings === undefined)
      leaderSettings = await deps.tools.leaderGet();
  }
  return {
    ...base,
    ...(tlsSecret !== undefined ? { tlsSecret } : {}),
    ...(leaderSettings !== undefined ? { leaderSettings } : {}),
  };
}

/** Writes a plan part: secret, relation data, peer bags, leader settings, files, then its log lines.
 * Statuses stay with the caller. The secret goes first: when Juju refuses it (too large), nothing
 * else of the part is written. */
export async function commitNow(plan: Plan, observed: Observed, deps: CharmDeps): Promise<void> {
  const { juju } = observed;
  for (const { id, revision } of plan.secretRevisionsToRemove ?? []) {
    try {
      await deps.tools.secretRemove(id, revision);
    } catch (error) {
      if (!(error instanceof HookToolError && error.isNotFound)) throw error;
    }
  }
  let peerApp = plan.peerApp;
  if (plan.secret !== undefined) {
    const { label, description, content, shareIdAs } = plan.secret;
    let id = observed.tlsSecret?.id;
    if (id === undefined) id = await deps.tools.secretAdd(content, { label, description });
    else if (!sameContent(observed.tlsSecret?.content ?? {}, content))
      await deps.tools.secretSet(id, content);
    if (shareIdAs !== undefined) peerApp = { ...peerApp, [shareIdAs]: id };
  }
  const relations = [juju.legacyControlPlane, juju.controlPlane, juju.certificates, juju.peers];
  for (const [ref, wanted] of Object.entries(plan.unitData ?? {})) {
    const relation = relations.find((candidate) => candidate?.ref === ref);
    if (relation === undefined || relation.breaking) continue;
    await setChanged(deps, ref, relation.localUnitData, wanted, "unit");
  }
  const peers = juju.peers;
  if (peers !== undefined && !peers.breaking) {
    if (peerApp !== undefined && juju.leader) {
      await setChanged(deps, peers.ref, peers.localAppData ?? {}, peerAppWrites(peerApp), "app");
    }
    if (plan.peerUnit !== undefined) {
      const wanted = Object.fromEntries(
        Object.entries(plan.peerUnit).map(([field, value]) => [
          PEER_UNIT_KEYS[field as keyof typeof PEER_UNIT_KEYS],
          value ?? "",
        ]),
      );
      await setChanged(deps, peers.ref, peers.localUnitData, wanted, "unit");
    }
  }
  if (plan.leaderSettings !== undefined && juju.leader) {
    const changed = databagDiff(observed.leaderSettings ?? {}, plan.leaderSettings);
    if (Object.keys(changed).length > 0) await deps.tools.leaderSet(changed);
  }
  for (const [path, want] of Object.entries(plan.files ?? {})) {
    if (want === null) await deps.files.remove(path);
    else await deps.files.write(path, want.content, want.mode);
  }
  for (const line of plan.logs ?? []) {
    if (line.level === "WARNING") await deps.log.warning(line.message);
    else await deps.log.info(line.message);
  }
}

async function setChanged(
  deps: CharmDeps,
  ref: string,
  current: Readonly<Databag>,
  wanted: Readonly<Databag>,
  scope: "unit" | "app",
): Promise<void> {
  const changed = databagDiff(current, wanted);
  if (Object.keys(changed).length > 0) await deps.tools.relationSet(ref, changed, scope);
}
