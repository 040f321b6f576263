import { GENERATED_CLUSTER_ID_KEY } from "../cluster-id/decide.ts";
import type { CharmConfig } from "../config/charm-config.ts";
import { renderClientKubeconfig, type TokenCommand } from "../control-plane/client-kubeconfig.ts";
import type { CharmDeps } from "../deps.ts";
import { PATHS } from "../machine/paths.ts";
import type { JujuSnapshot } from "../observe/juju.ts";
import { jsYaml } from "../util/lazy-module.ts";

/** The API server users reach and the CA that signed it, as the admin kubeconfig says. */
interface ApiServer {
  readonly server: string;
  readonly caPem: string;
}

/** Reads server and CA of the admin kubeconfig's current context; undefined when unusable. */
export function apiServerOf(kubeconfigText: string): ApiServer | undefined {
  const doc = jsYaml().load(kubeconfigText) as {
    "current-context"?: string;
    contexts?: { name?: string; context?: { cluster?: string } }[];
    clusters?: { name?: string; cluster?: { server?: string; "certificate-authority-data"?: string } }[];
  } | null;
  const contextName = doc?.["current-context"];
  const clusterName = doc?.contexts?.find((c) => c.name === contextName)?.context?.cluster;
  const cluster = doc?.clusters?.find((c) => c.name === clusterName)?.cluster;
  const caData = cluster?.["certificate-authority-data"];
  if (!cluster?.server || !caData) return undefined;
  return { server: cluster.server, caPem: Buffer.from(caData, "base64").toString("utf8") };
}

/** get-client-kubeconfig: a kubeconfig whose exec plugin mints tokens for this cluster's ID. */
export async function getClientKubeconfig(
  snapshot: JujuSnapshot,
  config: CharmConfig,
  deps: CharmDeps,
): Promise<void> {
  const params = await deps.tools.actionGet();
  const clusterId = config.clusterId ?? snapshot.peers?.localAppData?.[GENERATED_CLUSTER_ID_KEY];
  if (!clusterId) {
    await deps.tools.actionFail("no cluster ID yet: the leader sets it once the certificate is in place");
    return;
  }
  const text = await deps.files.read(PATHS.adminKubeconfig);
  const api = text === undefined ? undefined : apiServerOf(text);
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
