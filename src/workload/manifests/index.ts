// Pure builders of the authenticator's Kubernetes objects (client-node types only, no runtime import).
export { CHECKSUM_ANNOTATION, canonicalJson, configChecksum } from "./checksum.ts";
export {
  buildConfigMap,
  buildServerConfig,
  CONFIG_PATH,
  LISTEN_ADDRESS,
  renderServerConfig,
  type ServerConfigFile,
  STATE_DIR,
} from "./config-map.ts";
export { buildIamIdentityMappingCrd, CRD_GROUP, CRD_NAME, CRD_PLURAL } from "./crd.ts";
export { buildDaemonSet, CONTROL_PLANE_TOLERATIONS, serverArgs } from "./daemon-set.ts";
export { MANAGED_BY, ownedLabelSelector, ownedLabels, selectorLabels, sharedLabels } from "./labels.ts";
export { type ObjectNames, objectNames } from "./names.ts";
export { buildAuthenticatorObjects, checkAuthenticatorSpec } from "./objects.ts";
export { OWNED_KINDS, type OwnedKind } from "./owned-kinds.ts";
export {
  AWS_AUTH_NAME,
  AWS_AUTH_NAMESPACE,
  buildRbacObjects,
  EVENTS_NAMESPACE,
  type RbacObject,
} from "./rbac.ts";
export { resolveSpec } from "./resolve-spec.ts";
export { buildTlsSecret } from "./secret.ts";
export { buildServiceAccount, needsApiAccess } from "./service-account.ts";
export * from "./spec.ts";
export { InvalidSpecError } from "./spec-error.ts";
