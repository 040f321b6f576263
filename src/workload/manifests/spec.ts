// The charm's desired state for the authenticator workload: the single typed input of every builder.

/** Mapping backends the charm supports, in the spelling `--backend-mode` accepts (upstream pkg/mapper/mapper.go). */
export const BACKEND_MODES = ["CRD", "MountedFile", "EKSConfigMap"] as const;
export type BackendMode = (typeof BACKEND_MODES)[number];

/** Partitions the server accepts for `server.partition` (upstream pkg/endpoints/partitions.go). */
export const PARTITIONS = [
  "aws",
  "aws-cn",
  "aws-us-gov",
  "aws-iso",
  "aws-iso-b",
  "aws-iso-e",
  "aws-iso-f",
  "aws-eusc",
] as const;
export type Partition = (typeof PARTITIONS)[number];

export const PRIORITY_CLASSES = ["system-cluster-critical", "system-node-critical"] as const;
export type PriorityClassName = (typeof PRIORITY_CLASSES)[number];

/** Upstream's default HTTPS port for /authenticate, /healthz and /metrics. */
export const DEFAULT_PORT = 21362;
/** The server always opens a plain-HTTP health listener on :21363 (all interfaces, not configurable). */
export const FIXED_HEALTH_PORT = 21363;
export const DEFAULT_NAMESPACE = "kube-system";
export const DEFAULT_BACKEND_MODES: readonly BackendMode[] = ["CRD", "MountedFile"];

/**
 * Matches AWS IAM Identity Center roles (`AWSReservedSSO_<set>_<random>`); needs the SSORoleMatch gate.
 * No `partition` field on purpose: upstream's SSOArnLike drops any explicit partition and then never matches.
 */
export interface SsoRoleMatcher {
  readonly permissionSetName: string;
  readonly accountID: string;
}

/** One `server.mapRoles` entry (field names as the server's yaml tags). Exactly one of rolearn/sso. */
export interface RoleMapping {
  readonly rolearn?: string;
  readonly sso?: SsoRoleMatcher;
  readonly username: string;
  readonly groups?: readonly string[];
  readonly userid?: string;
}

/** One `server.mapUsers` entry. */
export interface UserMapping {
  readonly userarn: string;
  readonly username: string;
  readonly groups?: readonly string[];
  readonly userid?: string;
}

/** Static mappings served by the MountedFile backend (rendered into config.yaml). */
export interface MountedFileMappings {
  readonly mapRoles?: readonly RoleMapping[];
  readonly mapUsers?: readonly UserMapping[];
  /** 12-digit AWS account IDs whose every principal authenticates (username = ARN, no groups). */
  readonly mapAccounts?: readonly string[];
}

export interface ResourceQuantities {
  readonly cpu?: string;
  readonly memory?: string;
}

export interface WorkloadResources {
  readonly requests?: ResourceQuantities;
  readonly limits?: ResourceQuantities;
}

export interface TlsMaterial {
  /** Server certificate PEM (leaf first, chain may follow); SANs must cover 127.0.0.1. */
  readonly certPem: string;
  readonly keyPem: string;
}

export interface AuthenticatorSpec {
  /** Juju application name: prefixes every object name and labels every object, so two deployments never collide. */
  readonly appName: string;
  /** @default "kube-system" */
  readonly namespace?: string;
  readonly image: string;
  /** HTTPS port bound on 127.0.0.1 of every control-plane host. @default 21362 */
  readonly port?: number;
  /** Unique per cluster; tokens are signed for it (`x-k8s-aws-id`). */
  readonly clusterId: string;
  /** Ordered, no duplicates; first backend with a mapping wins. @default ["CRD", "MountedFile"] */
  readonly backendModes?: readonly BackendMode[];
  /** @default "aws" */
  readonly partition?: Partition;
  /** Only allowed when MountedFile is a backend. */
  readonly mappings?: MountedFileMappings;
  /** Username prefixes the server refuses, rendered for the backends that enforce them on the image's version
   * (server-version.ts reservedPrefixBackends). @default [] */
  readonly reservedUsernamePrefixes?: readonly string[];
  readonly tls: TlsMaterial;
  /** Merged over the defaults field by field. */
  readonly resources?: WorkloadResources;
  /** @default "system-cluster-critical" */
  readonly priorityClassName?: PriorityClassName;
  /** Which nodes run the server. @default { "node-role.kubernetes.io/control-plane": "" } */
  readonly nodeSelector?: Readonly<Record<string, string>>;
}

/** The spec with every default applied and every rule checked; what the builders consume. */
export interface ResolvedSpec {
  readonly appName: string;
  readonly namespace: string;
  readonly image: string;
  readonly port: number;
  readonly clusterId: string;
  readonly backendModes: readonly BackendMode[];
  readonly partition: Partition;
  readonly mappings: Required<MountedFileMappings>;
  readonly reservedUsernamePrefixes: readonly string[];
  readonly tls: TlsMaterial;
  readonly resources: {
    readonly requests: Readonly<Record<string, string>>;
    readonly limits: Readonly<Record<string, string>>;
  };
  readonly priorityClassName: PriorityClassName;
  readonly nodeSelector: Readonly<Record<string, string>>;
}

/**
 * Defaults sized from the Go server's real footprint (client-go informers + AWS SDK): upstream's 20Mi limit
 * OOM-kills it. No CPU limit: CFS throttling would add latency to every kubectl call.
 */
export const DEFAULT_RESOURCES = {
  requests: { cpu: "25m", memory: "64Mi" },
  limits: { memory: "256Mi" },
} as const;

export const DEFAULT_NODE_SELECTOR: Readonly<Record<string, string>> = {
  "node-role.kubernetes.io/control-plane": "",
};
