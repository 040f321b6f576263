import type { CharmConfig } from "../config/charm-config.ts";
import { renderClientKubeconfig, type TokenCommand } from "../control-plane/client-kubeconfig.ts";
import { currentCluster } from "../control-plane/kubeconfig-cluster.ts";
import type { CharmDeps } from "../deps.ts";
import { PATHS } from "../machine/paths.ts";
import type { JujuSnapshot } from "../observe/juju.ts";
import { readPeerApp } from "../plan/peer-databag.ts";

/** get-client-kubeconfig: a kubeconfig whose exec plugin mints tokens for this cluster's ID. */
export async function getClientKubeconfig(
  snapshot: JujuSnapshot,
  config: CharmConfig,
  deps: CharmDeps,
): Promise<void> {
  const params = await deps.tools.actionGet();
  const clusterId = config.clusterId ?? readPeerApp(snapshot.peers?.localAppData).clusterId;
  if (!clusterId) {
    await deps.tools.actionFail("no cluster ID yet: the leader sets it once the certificate is in place");
    return;
  }
  const text = await deps.files.read(PATHS.adminKubeconfig);
  const api = text === undefined ? undefined : currentCluster(text);
  if (api === undefined) {
    await deps.tools.actionFail(
      `no usable admin kubeconfig at ${PATHS.adminKubeconfig} to take the API server from`,
    );
    return;
  }
  const optional = (key: string): string | undefined =>
    typeof params[key] === "string" && params[key] !== "" ? params[key] : undefined;
  try {
    const kubeconfig = renderClientKubeconfig({
      clusterName: snapshot.context.modelName.replace(/[^A-Za-z0-9._-]/g, "-"),
      apiServerUrl: optional("server") ?? api.server,
      apiServerCaPem: api.caPem,
      clusterId,
      role: optional("role-arn"),
      region: optional("region"),
      partition: config.mappingSettings.partition,
      awsProfile: optional("profile"),
      command: (optional("command") ?? "aws-iam-authenticator") as TokenCommand,
    });
    await deps.tools.actionSet({ kubeconfig, "cluster-id": clusterId });
  } catch (error) {
    if (!(error instanceof RangeError)) throw error;
    await deps.tools.actionFail(error.message);
  }
}
