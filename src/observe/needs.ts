// The two halves of a hook's observation: the base every decision starts from, then the reads that
// cost hook-tool calls, made only when a feature's needs() asks (section 6 of the issue 10 design).
import { TLS_SECRET_LABEL } from "../certificates/secret-content.ts";
import type { ServedDiscovery } from "../irsa/discovery.ts";
import type { HookContext } from "../juju/context.ts";
import type { Databag, HookTools } from "../juju/hook-tools.ts";
import type { KubeClient } from "../k8s/client.ts";
import type { KubeError } from "../k8s/errors.ts";
import { readServedDiscoveryWith } from "../k8s/read-discovery.ts";
import type { MachineFiles } from "../machine/files.ts";
import { readPeerApp } from "../plan/peer-databag.ts";
import type { MachineIdentity } from "../workload/node-identity.ts";
import { observeJuju, type RelationIds } from "./juju.ts";
import type { BaseObservation, Need, Observed } from "./observe.ts";

export interface ObserveDeps {
  readonly tools: HookTools;
  readonly now: () => Date;
}

export interface BaseRead {
  readonly base: BaseObservation;
  /** For the unit cache: the next hook reuses them (observe/juju.ts, mustRefreshRelationIds). */
  readonly relationIds: RelationIds;
}

/** The snapshot (is-leader, config-get, the databags this unit's role reads); no machine files yet (a
 * reconcile adds them with readFiles, once it is known to be one). `knownRelationIds`: what an earlier
 * hook on this unit saw. */
export async function observeBase(
  context: HookContext,
  deps: ObserveDeps,
  knownRelationIds: RelationIds | undefined,
): Promise<BaseRead> {
  const { snapshot, relationIds } = await observeJuju(deps.tools, context, knownRelationIds);
  const base: BaseObservation = {
    context,
    juju: snapshot,
    peerApp: readPeerApp(snapshot.peers?.localAppData),
    now: deps.now(),
    files: {},
  };
  return { base, relationIds };
}

/** The machine files at `paths` (undefined: absent). */
export async function readFiles(
  files: MachineFiles,
  paths: readonly string[],
): Promise<Record<string, string | undefined>> {
  const read: Record<string, string | undefined> = {};
  for (const path of new Set(paths)) read[path] = await files.read(path);
  return read;
}

/** Observed plus what the shell keeps beside the features' contract. */
export interface FullObservation extends Observed {
  /** True when the secret was looked for (so an absent tlsSecret means there is none). */
  readonly tlsSecretRead?: boolean;
  /** The node an earlier hook on this unit found and saw serve (status cache); undefined: find it. */
  readonly knownNode?: string;
  /** This machine's address and names: observed only when its node must be found. */
  readonly machine?: MachineIdentity;
}

/** Reads each distinct need once: at most one secret lookup + secret-get, one leader-get, and (IRSA on)
 * one GET of each discovery document on `kube`, the hook's one Kubernetes client (made on first use from
 * the admin kubeconfig, so the commit's requests reuse its connection). */
export async function observeNeeds(
  base: BaseObservation,
  needs: readonly Need[],
  tools: HookTools,
  kube: () => Promise<KubeClient | KubeError>,
): Promise<FullObservation> {
  let tlsSecret: Observed["tlsSecret"];
  let leaderSettings: Databag | undefined;
  const secretNeed = needs.find((need) => need.kind === "tls-secret");
  if (secretNeed !== undefined) {
    // First install: no id shared yet, but the secret may exist (a hook that failed after secret-add).
    const id = secretNeed.id ?? (await tools.secretInfoGet({ label: TLS_SECRET_LABEL }))?.id;
    if (id !== undefined) tlsSecret = { id, content: await tools.secretGet({ id }, { refresh: true }) };
  }
  if (needs.some((need) => need.kind === "leader-settings")) leaderSettings = await tools.leaderGet();
  let irsaDiscovery: ServedDiscovery | undefined;
  if (needs.some((need) => need.kind === "irsa-discovery"))
    irsaDiscovery = await readServedDiscoveryWith(kube);
  return {
    ...base,
    ...(tlsSecret !== undefined && { tlsSecret }),
    ...(leaderSettings !== undefined && { leaderSettings }),
    ...(irsaDiscovery !== undefined && { irsaDiscovery }),
    tlsSecretRead: secretNeed !== undefined,
  };
}
