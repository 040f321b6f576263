// The server's config.yaml, built as a typed object and dumped as YAML (no text templates).
import type { V1ConfigMap } from "@kubernetes/client-node";
import { jsYaml } from "../../util/lazy-module.ts";
import { plainBlockYaml } from "../../util/plain-yaml.ts";
import { ownedLabels } from "./labels.ts";
import { objectNames } from "./names.ts";
import { imageSupport, reservedPrefixBackends } from "./server-version.ts";
import type { BackendMode, Partition, ResolvedSpec, RoleMapping, UserMapping } from "./spec.ts";

export const CONFIG_DIR = "/etc/aws-iam-authenticator";
const CONFIG_FILE_NAME = "config.yaml";
export const CONFIG_PATH = `${CONFIG_DIR}/${CONFIG_FILE_NAME}`;
/** Where cert.pem/key.pem are mounted; the server reads <stateDir>/cert.pem and key.pem (pkg/config/config.go). */
export const STATE_DIR = "/var/aws-iam-authenticator";
/** Loopback only: the API server's webhook is on the same host, and /metrics on this port is unauthenticated. */
export const LISTEN_ADDRESS = "127.0.0.1";

/** One `server.reservedPrefixConfig` entry (keys as upstream's mapstructure reads them). */
export interface ReservedPrefixEntry {
  backendmode: BackendMode;
  usernamePrefixReserveList: string[];
}

/** The subset of upstream's config schema the charm controls; keys exactly as viper reads them (cmd/…/root.go). */
export interface ServerConfigFile {
  clusterID: string;
  server: {
    address: string;
    port: number;
    partition: Partition;
    stateDir: string;
    /** Our cert comes from the charm, and no webhook kubeconfig is written (keeps the root FS read-only). */
    kubeconfigPregenerated: true;
    backendMode: BackendMode[];
    reservedPrefixConfig?: ReservedPrefixEntry[];
    mapRoles?: RoleMapping[];
    mapUsers?: UserMapping[];
    mapAccounts?: string[];
  };
}

function roleEntry(role: RoleMapping): RoleMapping {
  // Fixed key order and no undefined values, so the rendered text (and so the checksum) is stable.
  return {
    ...(role.rolearn !== undefined && { rolearn: role.rolearn }),
    ...(role.sso !== undefined && {
      sso: { permissionSetName: role.sso.permissionSetName, accountID: role.sso.accountID },
    }),
    username: role.username,
    groups: [...(role.groups ?? [])],
    ...(role.userid !== undefined && { userid: role.userid }),
  };
}

function userEntry(user: UserMapping): UserMapping {
  return {
    userarn: user.userarn,
    username: user.username,
    groups: [...(user.groups ?? [])],
    ...(user.userid !== undefined && { userid: user.userid }),
  };
}

/** The typed config file for a resolved spec. */
export function buildServerConfig(spec: ResolvedSpec): ServerConfigFile {
  const mountedFile = spec.backendModes.includes("MountedFile");
  const reserved = spec.reservedUsernamePrefixes;
  // Only where this server version's mapper reads it (resolveSpec refuses prefixes none enforces).
  const support = imageSupport(spec.image);
  const reservedFor = reservedPrefixBackends(
    spec.backendModes,
    support.supported ? support.version : undefined,
  );
  return {
    clusterID: spec.clusterId,
    server: {
      address: LISTEN_ADDRESS,
      port: spec.port,
      partition: spec.partition,
      stateDir: STATE_DIR,
      kubeconfigPregenerated: true,
      backendMode: [...spec.backendModes],
      ...(reserved.length > 0 &&
        reservedFor.length > 0 && {
          reservedPrefixConfig: reservedFor.map((backendmode) => ({
            backendmode,
            usernamePrefixReserveList: [...reserved],
          })),
        }),
      ...(mountedFile && {
        mapRoles: spec.mappings.mapRoles.map(roleEntry),
        mapUsers: spec.mappings.mapUsers.map(userEntry),
        mapAccounts: [...spec.mappings.mapAccounts],
      }),
    },
  };
}

/** config.yaml text; js-yaml quotes anything (e.g. account IDs) that would otherwise read back as a number.
 * A config with only plainly safe values (the default, CRD mappings) is written without loading js-yaml, to
 * the same bytes (src/util/plain-yaml.ts). */
export function renderServerConfig(config: ServerConfigFile): string {
  return (
    plainBlockYaml({ ...config }) ?? jsYaml().dump(config, { noRefs: true, lineWidth: -1, sortKeys: false })
  );
}

export function buildConfigMap(spec: ResolvedSpec): V1ConfigMap {
  return {
    apiVersion: "v1",
    kind: "ConfigMap",
    metadata: {
      name: objectNames(spec.appName).configMap,
      namespace: spec.namespace,
      labels: ownedLabels(spec.appName),
    },
    data: { [CONFIG_FILE_NAME]: renderServerConfig(buildServerConfig(spec)) },
  };
}
