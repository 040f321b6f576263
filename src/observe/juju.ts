import type { HookContext } from "../juju/context.ts";
import { HookToolError } from "../juju/errors.ts";
import type { Databag, HookTools } from "../juju/hook-tools.ts";

/** Endpoint names from metadata.yaml. */
export const ENDPOINTS = {
  legacyControlPlane: "aws-iam",
  controlPlane: "juju-info",
  certificates: "certificates",
  peers: "aws-iam-peers",
} as const;

/** One relation as this unit sees it during this hook. */
export interface RelationSnapshot {
  readonly ref: string;
  readonly endpoint: string;
  readonly remoteApp: string | undefined;
  readonly remoteUnits: readonly string[];
  readonly remoteUnitData: Readonly<Record<string, Databag>>;
  readonly remoteAppData: Databag;
  readonly localUnitData: Databag;
  /** Our application databag: readable by the leader, and by everyone on the peer relation. */
  readonly localAppData: Databag | undefined;
  /** True while this relation is being torn down in this very hook. */
  readonly breaking: boolean;
}

/** Everything the charm learns from Juju in one hook, read once, up front. */
export interface JujuSnapshot {
  readonly context: HookContext;
  readonly leader: boolean;
  readonly config: Readonly<Record<string, unknown>>;
  readonly legacyControlPlane: RelationSnapshot | undefined;
  readonly controlPlane: RelationSnapshot | undefined;
  readonly certificates: RelationSnapshot | undefined;
  readonly peers: RelationSnapshot | undefined;
}

/** Which parts of a relation a reconcile needs (each part is one or more hook-tool calls). */
interface RelationNeeds {
  readonly remoteUnitData: boolean;
  readonly remoteAppData: boolean;
  readonly localUnitData: boolean;
  /** Only the leader may read its own app databag outside the peer relation. */
  readonly localAppData: boolean;
}

/** Only the leader requests certificates; peers share through the app databag alone. Beside the
 * legacy control plane each unit also reports its principal's API server in its peer unit databag
 * (a subordinate sees only its own principal), and the leader reads every unit's report. */
function needsOf(key: keyof typeof ENDPOINTS, leader: boolean, legacy: boolean): RelationNeeds {
  switch (key) {
    // api_server_state lives in the control plane's unit databag; we publish in ours.
    case "legacyControlPlane":
      return { remoteUnitData: true, remoteAppData: false, localUnitData: true, localAppData: false };
    // juju-info carries nothing we use: knowing the relation exists is enough.
    case "controlPlane":
      return { remoteUnitData: false, remoteAppData: false, localUnitData: false, localAppData: false };
    // Legacy providers answer in unit databags, CSR-protocol providers in the app databag.
    // Our requests and withdrawals are in our unit databag; no decision reads our app databag here.
    case "certificates":
      return { remoteUnitData: leader, remoteAppData: leader, localUnitData: true, localAppData: false };
    case "peers":
      return {
        remoteUnitData: legacy && leader,
        remoteAppData: false,
        localUnitData: legacy,
        localAppData: true,
      };
  }
}

/** Relation refs per endpoint name, as relation-ids answered them. */
export type RelationIds = Readonly<Record<string, readonly string[]>>;

/**
 * Whether this hook must ask relation-ids rather than trust the refs an earlier hook on this unit saw.
 * A relation enters this unit's view with `<endpoint>-relation-created`, before any other hook of that
 * relation, and leaves it with `-relation-broken` (Juju >= 2.8; metadata.yaml asks for 3.1). Juju drops
 * a dying relation with no members from relation-ids just before -broken (juju/juju
 * worker/uniter/runner/context/contextfactory.go `getContextRelations`: broken = not peer, inactive and
 * no members; context.go `(*HookContext).RelationIds` skips broken ones), so the window where the cache
 * and relation-ids differ is between the last -departed and -broken, or before -created: a hook there
 * acts as if it ran a moment earlier or later, and the next relation hook refreshes. Every relation
 * hook refreshes, and so do install and upgrade-charm (a refreshed charm starts without our cache), and
 * stop and remove: a leaving unit leaves its peer relation without a hook (-broken never fires for a
 * peer relation, Juju docs, hook reference). Should a cached relation be gone anyway, its first read
 * fails and observeJuju asks again (see there).
 */
export function mustRefreshRelationIds(context: HookContext): boolean {
  if (context.kind !== "hook") return false;
  return context.relation !== undefined || REFRESH_HOOKS.has(context.name);
}

const REFRESH_HOOKS = new Set(["install", "upgrade-charm", "stop", "remove"]);

export interface ObservedJuju {
  readonly snapshot: JujuSnapshot;
  /** The refs this hook used, to remember for the next hook. */
  readonly relationIds: RelationIds;
}

/** Reads the snapshot with as few hook-tool calls as the data allows: one call per whole databag, none
 * for databags nothing uses, and relation-ids only when `known` (an earlier hook's answer) may be stale.
 * Calls run one after another: the unit agent serves a hook's tool calls in order. */
export async function observeJuju(
  tools: HookTools,
  context: HookContext,
  known?: RelationIds,
): Promise<ObservedJuju> {
  if (known !== undefined && !mustRefreshRelationIds(context)) {
    try {
      return await observeWith(tools, context, known);
    } catch (error) {
      // A cached relation that is gone fails its first read: ask relation-ids, once.
      if (!(error instanceof HookToolError)) throw error;
    }
  }
  return observeWith(tools, context, undefined);
}

async function observeWith(
  tools: HookTools,
  context: HookContext,
  known: RelationIds | undefined,
): Promise<ObservedJuju> {
  const relationIds: Record<string, readonly string[]> = {};
  const leader = await tools.isLeader();
  const config = await tools.configGet();
  let legacy = false;
  const read = async (key: keyof typeof ENDPOINTS): Promise<RelationSnapshot | undefined> => {
    const endpoint = ENDPOINTS[key];
    const cached = known?.[endpoint];
    const refs = cached ?? (await tools.relationIds(endpoint));
    relationIds[endpoint] = refs;
    const breaking = context.kind === "hook" && context.name === `${endpoint}-relation-broken`;
    // In -relation-broken the relation is already gone from relation-ids.
    const ref = refs[0] ?? (breaking ? context.relation?.ref : undefined);
    if (ref === undefined) return undefined;
    return readRelation(tools, context, {
      ref,
      endpoint,
      leader,
      breaking,
      needs: needsOf(key, leader, legacy),
      peer: key === "peers",
      container: key === "legacyControlPlane" || key === "controlPlane",
    });
  };
  const legacyControlPlane = await read("legacyControlPlane");
  legacy = legacyControlPlane !== undefined && !legacyControlPlane.breaking;
  const snapshot: JujuSnapshot = {
    context,
    leader,
    config,
    legacyControlPlane,
    controlPlane: await read("controlPlane"),
    certificates: await read("certificates"),
    peers: await read("peers"),
  };
  return { snapshot, relationIds };
}

interface ReadOptions {
  readonly ref: string;
  readonly endpoint: string;
  readonly leader: boolean;
  readonly breaking: boolean;
  readonly needs: RelationNeeds;
  readonly peer: boolean;
  readonly container: boolean;
}

async function readRelation(
  tools: HookTools,
  context: HookContext,
  o: ReadOptions,
): Promise<RelationSnapshot> {
  if (o.breaking) {
    // Nothing remote is in scope any more; Juju answers "relation not found" to reads.
    return {
      ref: o.ref,
      endpoint: o.endpoint,
      remoteApp: context.relation?.remoteApp,
      remoteUnits: [],
      remoteUnitData: {},
      remoteAppData: {},
      localUnitData: {},
      localAppData: undefined,
      breaking: true,
    };
  }
  const departing = context.relation?.ref === o.ref ? context.relation.departingUnit : undefined;
  const listed = o.needs.remoteUnitData ? await tools.relationList(o.ref) : [];
  const remoteUnits = listed.filter((unit) => unit !== departing);
  const remoteApp = o.peer ? context.appName : await remoteAppOf(tools, context, o, remoteUnits);
  const remoteUnitData: Record<string, Databag> = {};
  if (o.needs.remoteUnitData) {
    for (const unit of remoteUnits) remoteUnitData[unit] = await tools.relationGetUnit(o.ref, unit);
  }
  const remoteAppData =
    o.needs.remoteAppData && remoteApp !== undefined ? await tools.relationGetApp(o.ref, remoteApp) : {};
  const localUnitData = o.needs.localUnitData ? await tools.relationGetUnit(o.ref, context.unitName) : {};
  const localAppData =
    o.needs.localAppData && (o.peer || o.leader)
      ? await tools.relationGetApp(o.ref, context.appName)
      : undefined;
  return {
    ref: o.ref,
    endpoint: o.endpoint,
    remoteApp,
    remoteUnits,
    remoteUnitData,
    remoteAppData,
    localUnitData,
    localAppData,
    breaking: false,
  };
}

/** The remote application's name, without a call when something already says it. */
async function remoteAppOf(
  tools: HookTools,
  context: HookContext,
  o: ReadOptions,
  remoteUnits: readonly string[],
): Promise<string | undefined> {
  if (remoteUnits[0]) return remoteUnits[0].split("/")[0];
  if (context.relation?.ref === o.ref && context.relation.remoteApp) return context.relation.remoteApp;
  // A container relation's remote application is our principal's.
  if (o.container && context.principalUnit) return context.principalUnit.split("/")[0];
  return tools.relationApp(o.ref);
}
