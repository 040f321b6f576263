// The one writer: everything a hook changes goes through here, diffed against what the hook observed,
// so a hook with nothing new writes nothing. commitLocal (machine, host trust, cluster) runs before the
// cluster is watched; commitJuju (relations, secret, leader settings, logs, status) runs last.

import { secretTooLargeMessage } from "../certificates/secret-content.ts";
import type { CharmDeps } from "../deps.ts";
import { HookToolError, SecretTooLarge } from "../juju/errors.ts";
import type { Databag } from "../juju/hook-tools.ts";
import { describeRef, type KindRef, type KubeClient } from "../k8s/client.ts";
import { KubeError } from "../k8s/errors.ts";
import { PATHS } from "../machine/paths.ts";
import { syncHostTrust } from "../machine/trust-store.ts";
import type { LocalCommitReport } from "../observe/cluster-view.ts";
import type { RelationSnapshot } from "../observe/juju.ts";
import type { FullObservation } from "../observe/needs.ts";
import { peerAppWrites, peerUnitWrites } from "../plan/peer-databag.ts";
import type { Plan } from "../plan/plan.ts";
import { blocked, finalStatus } from "../plan/status.ts";
import { databagDiff, isEmpty } from "./diff.ts";
import { type Published, publishOutcome } from "./status.ts";

export interface LocalInputs {
  /** Kinds searched for leftovers after a change (the workload's owned kinds: an input, so the client
   * knows no manifest). */
  readonly pruneKinds: readonly KindRef[];
  /** The hook's one client (observe/cluster.ts clusterClient), made on first use. */
  readonly kube: () => Promise<KubeClient | KubeError>;
}

/** Machine files, then the host trust store, then the leader's apply. Immediate and idempotent. */
export async function commitLocal(
  plan: Plan,
  observed: FullObservation,
  deps: CharmDeps,
  inputs: LocalInputs,
): Promise<LocalCommitReport> {
  // The plan's own log lines say what each file change is (control-plane/decide.ts).
  for (const [path, want] of Object.entries(plan.files ?? {})) {
    if (want === null) await deps.files.remove(path);
    else if (observed.files[path] !== want.content) await deps.files.write(path, want.content, want.mode);
  }
  if (plan.hostTrust !== undefined) {
    const change = await syncHostTrust(deps.files, plan.hostTrust ?? undefined);
    if (change !== "unchanged")
      await deps.log.info(`host trust store: ${change} our CA (${PATHS.hostTrustedCa})`);
  }
  if (plan.kubernetes === undefined && (plan.kubernetesDeletes ?? []).length === 0) return {};
  const client = await inputs.kube();
  if (client instanceof KubeError) return { applyError: client };
  try {
    for (const ref of plan.kubernetesDeletes ?? []) {
      if (await client.delete(ref)) await deps.log.info(`deleted ${describeRef(ref)}`);
    }
    if (plan.kubernetes === undefined) return {};
    const { objects, fieldManager, ownedLabels, previousHash } = plan.kubernetes;
    // The apply code is loaded only by hooks that have objects to apply.
    const { applyDesired } = await import("../k8s/apply.ts");
    const result = await applyDesired({
      client,
      objects,
      fieldManager,
      ownedLabels,
      previousHash,
      pruneKinds: inputs.pruneKinds,
      ...(deps.sleep && { crdWait: { sleep: deps.sleep } }),
    });
    if (result.writes > 0) {
      const names = [
        ...result.applied.map(describeRef),
        ...result.pruned.map((ref) => `-${describeRef(ref)}`),
      ];
      await deps.log.info(`authenticator: ${result.writes} Kubernetes writes (${names.join(", ")})`);
    }
    return { appliedHash: result.hash };
  } catch (error) {
    if (error instanceof KubeError) return { applyError: error };
    throw error;
  }
}

export interface JujuCommitState {
  /** The status cache as the hook found it (commit/status.ts). */
  readonly previous: Published;
  /** What relation-ids said this hook (kept in the status cache for the next one). */
  readonly relationIds?: Readonly<Record<string, readonly string[]>>;
  /** This unit's node, once found (kept in the status cache while active). */
  readonly node?: string;
  /** Peer-app fields commitSecret filled (a new secret's id). */
  readonly secretIds?: Readonly<Record<string, string>>;
}

export type SecretCommit =
  | { readonly kind: "written"; readonly peerApp: Readonly<Record<string, string>> }
  /** Juju refused the content (too large): nothing was stored; this plan replaces the hook's. */
  | { readonly kind: "refused"; readonly plan: Plan };

/**
 * The secret goes first, before anything is built on the certificate in it: Juju may refuse its size,
 * and then nothing that describes the refused certificate may be written (files, cluster, relations).
 * Juju shows a new secret only when the hook ends (Flush), so writing it first hides nothing.
 */
export async function commitSecret(
  plan: Plan,
  observed: FullObservation,
  deps: CharmDeps,
): Promise<SecretCommit> {
  const peerApp: Record<string, string> = {};
  if (plan.secret === undefined || !observed.juju.leader) return { kind: "written", peerApp };
  try {
    await writeSecret(plan.secret, observed, deps, peerApp);
    return { kind: "written", peerApp };
  } catch (error) {
    if (!(error instanceof SecretTooLarge)) throw error;
    const refused = blocked(secretTooLargeMessage(error, observed.context.jujuVersion));
    return {
      kind: "refused",
      plan: {
        unitStatus: [refused],
        appStatus: [refused],
        ...(plan.workloadVersion !== undefined && { workloadVersion: plan.workloadVersion }),
      },
    };
  }
}

/**
 * Relation and secret writes become visible only when the hook ends (juju/juju
 * worker/uniter/runner/context/context.go, (*HookContext).Flush sends them in one CommitHookChanges, and
 * only when the hook succeeded), so writing them last hides nothing. leader-set and status-set are
 * immediate (context/leader.go WriteLeaderSettings merges at once): the one leader-settings write
 * (forgetting the reactive charm's key) is idempotent and follows the relation writes; status is last.
 */
export async function commitJuju(
  plan: Plan,
  observed: FullObservation,
  deps: CharmDeps,
  state: JujuCommitState,
): Promise<void> {
  const juju = observed.juju;
  const peers = juju.peers !== undefined && !juju.peers.breaking ? juju.peers : undefined;

  // 1. The secret was written first (commitSecret); its new id joins the peer bag here.
  const peerApp: Record<string, string | undefined> = { ...plan.peerApp, ...state.secretIds };
  for (const { id, revision } of plan.secretRevisionsToRemove ?? []) {
    try {
      await deps.tools.secretRemove(id, revision);
    } catch (error) {
      // Already gone (another hook removed it): what we wanted.
      if (!(error instanceof HookToolError && error.isNotFound)) throw error;
    }
  }

  // 2. Our unit databags (the peer unit fields join the peer relation's), then the peer app bag.
  const unitWrites = new Map<string, Databag>(Object.entries(plan.unitData ?? {}));
  if (plan.peerUnit !== undefined && peers !== undefined) {
    unitWrites.set(peers.ref, { ...unitWrites.get(peers.ref), ...peerUnitWrites(plan.peerUnit) });
  }
  for (const [ref, bag] of unitWrites) {
    const relation = relationByRef(observed, ref);
    if (relation === undefined || relation.breaking) continue;
    const diff = databagDiff(relation.localUnitData, bag);
    if (!isEmpty(diff)) await deps.tools.relationSet(ref, diff, "unit");
  }
  if (juju.leader && peers !== undefined && Object.keys(peerApp).length > 0) {
    const diff = databagDiff(peers.localAppData ?? {}, peerAppWrites(peerApp));
    if (!isEmpty(diff)) await deps.tools.relationSet(peers.ref, diff, "app");
  }
  if (plan.leaderSettings !== undefined && juju.leader) {
    const diff = databagDiff(observed.leaderSettings ?? {}, plan.leaderSettings);
    if (!isEmpty(diff)) await deps.tools.leaderSet(diff);
  }

  // 3. Logs, after the writes they describe.
  for (const line of plan.logs ?? []) {
    if (line.level === "WARNING") await deps.log.warning(line.message);
    else await deps.log.info(line.message);
  }

  // 4. Status, by the one severity rule, set only where it differs from what this unit last set.
  const notes = plan.activeNotes ?? [];
  const unit = finalStatus(plan.unitStatus ?? [], notes);
  const app = juju.leader ? finalStatus(plan.appStatus ?? plan.unitStatus ?? [], notes) : undefined;
  await publishOutcome(
    deps.tools,
    deps.files,
    observed.context.unitName,
    { unit, app, version: plan.workloadVersion, ...(state.node !== undefined && { node: state.node }) },
    state.previous,
    state.relationIds,
  );
}

async function writeSecret(
  secret: NonNullable<Plan["secret"]>,
  observed: FullObservation,
  deps: CharmDeps,
  peerApp: Record<string, string>,
): Promise<void> {
  const { label, description, content, shareIdAs } = secret;
  if (observed.tlsSecret === undefined) {
    // Adding without having looked would make a second secret beside the one a skipped read missed.
    if (observed.tlsSecretRead !== true) throw new Error("the plan sets the secret, but it was not read");
    const id = await deps.tools.secretAdd(content, { label, description });
    if (shareIdAs !== undefined) peerApp[shareIdAs] = id;
  } else if (
    !isEmpty(databagDiff(observed.tlsSecret.content, content)) ||
    dropsKeys(observed.tlsSecret.content, content)
  ) {
    await deps.tools.secretSet(observed.tlsSecret.id, content);
  }
}

/** A secret's content is replaced whole: a key we no longer want is a change too. */
function dropsKeys(current: Readonly<Databag>, wanted: Readonly<Databag>): boolean {
  return Object.keys(current).some((key) => !(key in wanted));
}

function relationByRef(observed: FullObservation, ref: string): RelationSnapshot | undefined {
  const { legacyControlPlane, controlPlane, certificates, peers } = observed.juju;
  return [legacyControlPlane, controlPlane, certificates, peers].find((relation) => relation?.ref === ref);
}
