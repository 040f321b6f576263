import { type CharmConfig, parseCharmConfig } from "../config/charm-config.ts";
import { charmApiExtraArgs } from "../control-plane/api-extra-args.ts";
import { operatorConfigLines } from "../control-plane/operator-config-lines.ts";
import type { CharmDeps } from "../deps.ts";
import { irsaControlPlaneConfig } from "../irsa/decide.ts";
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
  "get-irsa-discovery": withValidConfig(getIrsaDiscovery),
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
  const irsa = irsaControlPlaneConfig(config);
  const rendered = charmApiExtraArgs(config.tokenWebhookCacheTtl, irsa.apiExtraArgs);
  if (!rendered.ok) {
    await deps.tools.actionFail(rendered.message);
    return;
  }
  const lines = operatorConfigLines({ app, port: config.port, apiExtraArgs: rendered.args });
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
  if (irsa.consequence !== undefined) results["irsa-warning"] = irsa.consequence;
  await deps.tools.actionSet(results);
}

/** get-irsa-discovery: the API server's discovery documents (admin kubeconfig, TLS verified) and what AWS
 * needs from them; the IRSA code loads only when this action runs. */
async function getIrsaDiscovery(
  _snapshot: JujuSnapshot,
  config: CharmConfig,
  deps: CharmDeps,
): Promise<void> {
  const { irsaDiscoveryAction } = await import("../irsa/actions.ts");
  const { readServedDiscoveryFrom } = await import("../k8s/read-discovery.ts");
  const outcome = await irsaDiscoveryAction(
    await deps.tools.actionGet(),
    { config },
    { readServed: async () => readServedDiscoveryFrom(await deps.files.read(PATHS.adminKubeconfig)) },
  );
  if (outcome.ok) await deps.tools.actionSet(outcome.results);
  else await deps.tools.actionFail(outcome.message);
}
