// Applies defaults and checks every rule up front, so builders never see a spec the server would reject.
import { isCpuQuantity, memoryBytes } from "./quantity.ts";
import { imageSupport, reservedPrefixBackends, SUPPORTED_SERVERS } from "./server-version.ts";
import {
  type AuthenticatorSpec,
  BACKEND_MODES,
  type BackendMode,
  DEFAULT_BACKEND_MODES,
  DEFAULT_NAMESPACE,
  DEFAULT_NODE_SELECTOR,
  DEFAULT_PORT,
  DEFAULT_RESOURCES,
  FIXED_HEALTH_PORT,
  PARTITIONS,
  type Partition,
  PRIORITY_CLASSES,
  type ResolvedSpec,
} from "./spec.ts";
import { InvalidSpecError } from "./spec-error.ts";
import { mappingProblems } from "./validate-mappings.ts";

// Juju application names; the 49-character cap keeps "<app>-authenticator" within a 63-character label value.
const APP_NAME = /^[a-z][a-z0-9]*(?:-[a-z0-9]*[a-z][a-z0-9]*)*$/;
const MAX_APP_NAME = 49;
const DNS_LABEL = /^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$/;
const MIN_MEMORY_LIMIT = 64 * 1024 ** 2;
const DEPRECATED_MODES: Readonly<Record<string, BackendMode>> = {
  File: "MountedFile",
  ConfigMap: "EKSConfigMap",
};

function backendModeProblems(modes: readonly string[]): string[] {
  const problems: string[] = [];
  if (modes.length === 0) problems.push(`backendModes must list at least one of ${BACKEND_MODES.join(", ")}`);
  for (const mode of modes) {
    if ((BACKEND_MODES as readonly string[]).includes(mode)) continue;
    const replacement = DEPRECATED_MODES[mode];
    problems.push(
      replacement
        ? `backend mode "${mode}" is a deprecated alias; use "${replacement}"`
        : `backend mode "${mode}" is not supported; choose from ${BACKEND_MODES.join(", ")}`,
    );
  }
  const duplicates = modes.filter((mode, i) => modes.indexOf(mode) !== i);
  if (duplicates.length > 0)
    problems.push(`backendModes lists ${[...new Set(duplicates)].join(", ")} more than once`);
  return problems;
}

function resourceProblems(requests: Record<string, string>, limits: Record<string, string>): string[] {
  const problems: string[] = [];
  for (const [where, values] of [
    ["requests", requests],
    ["limits", limits],
  ] as const) {
    if (values.cpu !== undefined && !isCpuQuantity(values.cpu))
      problems.push(`resources.${where}.cpu "${values.cpu}" is not a CPU quantity`);
    if (values.memory !== undefined && memoryBytes(values.memory) === undefined) {
      problems.push(`resources.${where}.memory "${values.memory}" is not a memory quantity`);
    }
  }
  const limit = limits.memory === undefined ? undefined : memoryBytes(limits.memory);
  const request = requests.memory === undefined ? undefined : memoryBytes(requests.memory);
  if (limits.memory === undefined)
    problems.push("resources.limits.memory is required (an unbounded server can starve the control plane)");
  if (limit !== undefined && limit < MIN_MEMORY_LIMIT) {
    problems.push(
      `resources.limits.memory ${limits.memory} is below 64Mi; the server is OOM-killed at such limits`,
    );
  }
  if (limit !== undefined && request !== undefined && request > limit) {
    problems.push(
      `resources.requests.memory ${requests.memory} exceeds resources.limits.memory ${limits.memory}`,
    );
  }
  return problems;
}

/** Validates the charm's desired state and fills in defaults; throws InvalidSpecError listing every problem. */
export function resolveSpec(spec: AuthenticatorSpec): ResolvedSpec {
  const problems: string[] = [];
  const namespace = spec.namespace ?? DEFAULT_NAMESPACE;
  const port = spec.port ?? DEFAULT_PORT;
  const backendModes = spec.backendModes ?? DEFAULT_BACKEND_MODES;
  const partition: Partition = spec.partition ?? "aws";
  const priorityClassName = spec.priorityClassName ?? "system-cluster-critical";
  const nodeSelector = spec.nodeSelector ?? DEFAULT_NODE_SELECTOR;
  const mappings = {
    mapRoles: spec.mappings?.mapRoles ?? [],
    mapUsers: spec.mappings?.mapUsers ?? [],
    mapAccounts: spec.mappings?.mapAccounts ?? [],
  };
  const requests: Record<string, string> = { ...DEFAULT_RESOURCES.requests, ...spec.resources?.requests };
  const limits: Record<string, string> = { ...DEFAULT_RESOURCES.limits, ...spec.resources?.limits };

  if (!APP_NAME.test(spec.appName) || spec.appName.length > MAX_APP_NAME) {
    problems.push(
      `appName "${spec.appName}" must be a Juju application name of at most ${MAX_APP_NAME} characters`,
    );
  }
  if (!DNS_LABEL.test(namespace)) problems.push(`namespace "${namespace}" is not a valid namespace name`);
  if (typeof spec.image !== "string" || spec.image.trim() === "" || /\s/.test(spec.image)) {
    problems.push("image must be a container image reference without spaces");
  } else if (!imageSupport(spec.image).supported) {
    problems.push(
      `image "${spec.image}" must be tagged with a server version ${SUPPORTED_SERVERS} or pinned by digest`,
    );
  }
  if (!Number.isInteger(port) || port < 1024 || port > 65535) {
    problems.push(
      `port ${port} must be an integer from 1024 to 65535 (the server runs without NET_BIND_SERVICE)`,
    );
  } else if (port === FIXED_HEALTH_PORT) {
    problems.push(
      `port ${FIXED_HEALTH_PORT} is taken by the server's own plain-HTTP health listener; pick another`,
    );
  }
  if (typeof spec.clusterId !== "string" || spec.clusterId === "" || /[\s\p{Cc}]/u.test(spec.clusterId)) {
    problems.push("clusterId must be a non-empty string without whitespace");
  }
  problems.push(...backendModeProblems(backendModes));
  if (!(PARTITIONS as readonly string[]).includes(partition)) {
    problems.push(`partition "${partition}" is not one of ${PARTITIONS.join(", ")}`);
  }
  const hasMappings = mappings.mapRoles.length + mappings.mapUsers.length + mappings.mapAccounts.length > 0;
  if (hasMappings && !backendModes.includes("MountedFile")) {
    problems.push(
      "mappings are only served by the MountedFile backend; add MountedFile to backendModes or drop them",
    );
  }
  const reserved = spec.reservedUsernamePrefixes ?? [];
  for (const prefix of reserved) {
    if (typeof prefix !== "string" || prefix === "")
      problems.push("reservedUsernamePrefixes must be non-empty strings");
  }
  problems.push(...mappingProblems(mappings, partition, reserved));
  const support = typeof spec.image === "string" ? imageSupport(spec.image) : undefined;
  if (
    reserved.length > 0 &&
    support?.supported === true &&
    reservedPrefixBackends(backendModes, support.version).length === 0
  ) {
    // A prefix list no backend enforces would look like protection and be none.
    problems.push(
      "reservedUsernamePrefixes are enforced only by the MountedFile backend (from server v0.6.6), " +
        "and by CRD and EKSConfigMap from v0.7.17; add MountedFile, use a newer image, or drop them",
    );
  }
  if (!spec.tls?.certPem?.includes("-----BEGIN CERTIFICATE-----"))
    problems.push("tls.certPem must be a PEM certificate");
  if (!/-----BEGIN (?:RSA |EC )?PRIVATE KEY-----/.test(spec.tls?.keyPem ?? "")) {
    problems.push("tls.keyPem must be a PEM private key");
  }
  problems.push(...resourceProblems(requests, limits));
  if (!(PRIORITY_CLASSES as readonly string[]).includes(priorityClassName)) {
    problems.push(`priorityClassName must be one of ${PRIORITY_CLASSES.join(", ")}`);
  }
  if (Object.keys(nodeSelector).length === 0)
    problems.push("nodeSelector must select the control-plane nodes");

  if (problems.length > 0) throw new InvalidSpecError(problems);
  return {
    appName: spec.appName,
    namespace,
    image: spec.image,
    port,
    clusterId: spec.clusterId,
    backendModes: [...backendModes],
    partition,
    mappings,
    reservedUsernamePrefixes: [...(spec.reservedUsernamePrefixes ?? [])],
    tls: { certPem: spec.tls.certPem, keyPem: spec.tls.keyPem },
    resources: { requests, limits },
    priorityClassName,
    nodeSelector: { ...nodeSelector },
  };
}
