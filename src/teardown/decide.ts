import { parseCharmConfig } from "../config/charm-config.ts";
import type { CharmDeps } from "../deps.ts";
import type { HookContext } from "../juju/context.ts";
import type { GoalState } from "../juju/hook-tools.ts";
import { PATHS, unitCachePath, unitTlsRecordPath } from "../machine/paths.ts";
import { syncHostTrust } from "../machine/trust-store.ts";
import { ENDPOINTS, type JujuSnapshot } from "../observe/juju.ts";
import { PEER_APP_KEYS } from "../plan/peer-databag.ts";
import { teardownWorkload } from "./cluster.ts";
import { removalScope } from "./removal.ts";

/** Every file this unit put on the machine (the trusted CA goes through the trust store). */
const UNIT_FILES = [PATHS.webhookKubeconfig] as const;

/**
 * The unit's last hooks (container relation broken, stop, remove): the leader deletes every Kubernetes
 * object the application owns (the shared CRD and users' mappings only with remove-crd-on-removal), then
 * every unit removes what it put on its machine. Idempotent, so each of those hooks can run it.
 */
export async function teardownUnit(
  context: HookContext,
  snapshot: JujuSnapshot,
  deps: CharmDeps,
): Promise<void> {
  if (snapshot.leader && (await applicationIsGoing(context, deps)))
    await teardownCluster(context, snapshot, deps);
  for (const path of [...UNIT_FILES, unitCachePath(context.unitName), unitTlsRecordPath(context.unitName)]) {
    if (await deps.files.remove(path)) await deps.log.info(`removed ${path}`);
  }
  if ((await syncHostTrust(deps.files, undefined)) === "removed") {
    await deps.log.info(`removed our CA from the host trust store (${PATHS.hostTrustedCa})`);
  }
}

/** The cluster objects serve every control-plane node: delete them only when this unit is provably the
 * application's last (removalScope); when in doubt keep them: a later leader adopts what is left, while
 * a deletion takes the service (and, with remove-crd-on-removal, users' mappings) away for good. */
async function applicationIsGoing(context: HookContext, deps: CharmDeps): Promise<boolean> {
  let goal: GoalState;
  try {
    goal = await deps.tools.goalState();
  } catch (error) {
    await deps.log.warning(
      `keeping the authenticator's cluster objects: goal-state failed (${error instanceof Error ? error.message : String(error)})`,
    );
    return false;
  }
  const scope = removalScope(
    goal,
    [ENDPOINTS.controlPlane, ENDPOINTS.legacyControlPlane],
    context.principalUnit,
  );
  await deps.log.info(
    scope.last
      ? `last unit of ${context.appName} (${scope.why}): removing its cluster objects`
      : `keeping the authenticator's cluster objects for the remaining units (${scope.why})`,
  );
  return scope.last;
}

async function teardownCluster(context: HookContext, snapshot: JujuSnapshot, deps: CharmDeps): Promise<void> {
  // Without credentials and with nothing ever applied there is nothing to delete: do not load the client.
  const applied = Boolean(snapshot.peers?.localAppData?.[PEER_APP_KEYS.appliedHash]);
  const kubeconfig = await deps.files.read(PATHS.adminKubeconfig);
  if (!applied && kubeconfig === undefined) return;
  const parsed = parseCharmConfig(snapshot.config);
  const outcome = await teardownWorkload(
    {
      appName: context.appName,
      kubeconfig,
      kubeconfigPath: PATHS.adminKubeconfig,
      removeCrd: parsed.ok && parsed.config.removeCrdOnRemoval,
    },
    deps,
  );
  // A later teardown hook that finds nothing left keeps the status that said what went.
  if (outcome.deleted.length > 0 || outcome.crd === undefined) {
    await deps.tools.statusSet(outcome.status.name, outcome.status.message, "unit");
  }
}
