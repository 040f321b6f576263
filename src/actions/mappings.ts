// The four mapping actions' adapters: the machine's admin kubeconfig for the Kubernetes client, the machine's
// files, and the one HTTPS POST verify-token makes. The deciding is in src/mappings (loaded only when one of
// these actions runs, with the client and node:https). Results never hold a token or a key: the handlers'
// outcomes carry none (src/mappings/actions.ts), and action-fail gets only their message.
import type { CharmConfig } from "../config/charm-config.ts";
import type { CharmDeps } from "../deps.ts";
import { PATHS } from "../machine/paths.ts";
import type { MappingsActionDeps, MappingsActionInput } from "../mappings/actions.ts";
import { clusterClient } from "../observe/cluster.ts";
import type { JujuSnapshot } from "../observe/juju.ts";
import type { ActionOutcome, ActionParams } from "../util/action-outcome.ts";

export type MappingActionName = "list-mappings" | "add-mapping" | "remove-mapping" | "verify-token";

/** One of the mapping actions, run with action-get's params; its outcome goes to action-set or action-fail. */
export function mappingAction(
  name: MappingActionName,
): (snapshot: JujuSnapshot, config: CharmConfig, deps: CharmDeps) => Promise<void> {
  return async (snapshot, config, deps) => {
    const actions = await import("../mappings/actions.ts");
    const params: ActionParams = await deps.tools.actionGet();
    const input: MappingsActionInput = { appName: snapshot.context.appName, config };
    const adminKubeconfig = await deps.files.read(PATHS.adminKubeconfig);
    const actionDeps: MappingsActionDeps = {
      kube: clusterClient(adminKubeconfig, PATHS.adminKubeconfig, deps.kubeClient),
      readFile: (path) => deps.files.read(path),
      post: async (request, caPem) =>
        (await import("../k8s/post-token-review.ts")).postTokenReview(request, caPem),
    };
    let outcome: ActionOutcome;
    switch (name) {
      case "list-mappings":
        outcome = await actions.listMappingsAction(params, input, actionDeps);
        break;
      case "add-mapping":
        outcome = await actions.addMappingAction(params, input, actionDeps);
        break;
      case "remove-mapping":
        outcome = await actions.removeMappingAction(params, input, actionDeps);
        break;
      case "verify-token":
        outcome = await actions.verifyTokenAction(
          params,
          { ...input, webhookKubeconfigPath: PATHS.webhookKubeconfig },
          actionDeps,
        );
        break;
    }
    if (outcome.ok) await deps.tools.actionSet({ ...outcome.results });
    else await deps.tools.actionFail(outcome.message);
  };
}
