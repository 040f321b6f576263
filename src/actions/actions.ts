import { type CharmConfig, parseCharmConfig } from "../config/charm-config.ts";
import { renderApiExtraArgs } from "../control-plane/api-extra-args.ts";
import { operatorConfigLines } from "../control-plane/operator-config-lines.ts";
import type { CharmDeps } from "../deps.ts";
import type { HookContext } from "../juju/context.ts";
import { PATHS } from "../machine/paths.ts";
import type { JujuSnapshot } from "../observe/juju.ts";
import { controlPlaneOf, isStatus } from "../observe/topology.ts";
import { getClientKubeconfig } from "./get-client-kubeconfig.ts";
import { mappingAction } from "./mappings.ts";

type ActionHandler = (snapshot: JujuSnapshot, deps: CharmDeps) => Promise<void>;

const ACTIONS: Readonly<Record<string, ActionHandler>> = {
  "get-control-plane-config": withValidConfig(getControlPlaneConfig),
  "get-client-kubeconfig": withValidConfig(getClientKubeconfig),
  "list-mappings": withValidConfig(mappingAction("list-mappings")),
  "add-mapping": withValidConfig(mappingAction("add-mapping")),
  "remove-mapping": withValidConfig(mappingAction("remove-mapping")),
  "verify-token": withValidConfig(mappingAction("verify-token")),
};

/** Actions that need the configuration fail with what is wrong with it. */
function withValidConfig(
  handler: (snapshot: JujuSnapshot, config: CharmConfig, deps: CharmDeps) => Promise<void>,
): ActionHandler {
  return async (snapshot, deps) => {
    const parsed = parseCharmConfig(snapshot.config);
    if (!parsed.ok) {
      await deps.tools.actionFail(`invalid config: ${parsed.invalid.join("; ")}`);
      return;
    }
    await handler(snapshot, parsed.config, deps);
  };
}

/** Runs an action after the same observation every hook makes. Expected problems
 * fail the action with a message; they never error the unit. */
export async function runAction(
  context: HookContext,
  snapshot: JujuSnapshot,
  deps: CharmDeps,
): Promise<void> {
  const handler = ACTIONS[context.name];
  if (!handler) {
    await deps.tools.actionFail(`unknown action ${context.name}`);
    return;
  }
  await handler(snapshot, deps);
}

async function getControlPlaneConfig(
  snapshot: JujuSnapshot,
  config: CharmConfig,
  deps: CharmDeps,
): Promise<void> {
  const controlPlane = controlPlaneOf(snapshot);
  if (isStatus(controlPlane)) {
    await deps.tools.actionFail(controlPlane.message);
    return;
  }
  const app = controlPlane.relation.remoteApp ?? "kubernetes-control-plane";
  const apiExtraArgs = renderApiExtraArgs({ tokenWebhookCacheTtl: config.tokenWebhookCacheTtl });
  const lines = operatorConfigLines({ app, port: config.port, apiExtraArgs });
  const results: Record<string, string> = {
    "control-plane": app,
    generation: controlPlane.generation,
    "webhook-kubeconfig": PATHS.webhookKubeconfig,
  };
  if (controlPlane.generation === "current") {
    results["authn-webhook-endpoint"] = lines.authnWebhookEndpoint;
  } else {
    results["authn-webhook-endpoint"] =
      `not needed: ${app} reads ${PATHS.webhookKubeconfig} over the aws-iam relation`;
  }
  if (lines.apiExtraArgs !== "") {
    results["api-extra-args"] = lines.apiExtraArgs;
    results.warning = lines.warning;
  }
  await deps.tools.actionSet(results);
}
