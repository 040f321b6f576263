// Everything the authenticator workload needs, in the order it must be applied.
import type { KubernetesObject, V1ConfigMap } from "@kubernetes/client-node";
import { configMapSizeProblem } from "../../mappings/size.ts";
import { configChecksum } from "./checksum.ts";
import { buildConfigMap } from "./config-map.ts";
import { buildIamIdentityMappingCrd } from "./crd.ts";
import { buildDaemonSet } from "./daemon-set.ts";
import { buildRbacObjects } from "./rbac.ts";
import { resolveSpec } from "./resolve-spec.ts";
import { buildTlsSecret } from "./secret.ts";
import { buildServiceAccount } from "./service-account.ts";
import type { AuthenticatorSpec, ResolvedSpec } from "./spec.ts";
import { InvalidSpecError } from "./spec-error.ts";

/**
 * CRD, ServiceAccount, RBAC, ConfigMap, Secret, DaemonSet: each object exists before anything refers to it.
 * The CRD is always present, whatever the backends, so switching CRD off never deletes users' mappings.
 * Throws InvalidSpecError (every problem listed, or the ConfigMap's size) before building anything.
 */
export function buildAuthenticatorObjects(input: AuthenticatorSpec): KubernetesObject[] {
  const { spec, configMap } = checkedSpec(input);
  const secret = buildTlsSecret(spec);
  return [
    buildIamIdentityMappingCrd(),
    buildServiceAccount(spec),
    ...buildRbacObjects(spec),
    configMap,
    secret,
    buildDaemonSet(spec, configChecksum(configMap, secret)),
  ];
}

/** What buildAuthenticatorObjects would refuse, without building the rest: for a leader with nothing to
 * apply to yet (no credentials), which still says what is wrong with the spec. Throws InvalidSpecError. */
export function checkAuthenticatorSpec(input: AuthenticatorSpec): void {
  checkedSpec(input);
}

function checkedSpec(input: AuthenticatorSpec): { spec: ResolvedSpec; configMap: V1ConfigMap } {
  const spec = resolveSpec(input);
  const configMap = buildConfigMap(spec);
  // The API server would refuse it (and keep the last one): say why instead, before anything is applied.
  const tooLarge = configMapSizeProblem(configMap.data ?? {});
  if (tooLarge !== undefined) throw new InvalidSpecError([tooLarge]);
  return { spec, configMap };
}
