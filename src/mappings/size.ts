// The rendered server config must fit one ConfigMap.
//
// kubernetes/kubernetes pkg/apis/core/validation/validation.go ValidateConfigMap sums len(value) over data and
// binaryData (bytes, keys not counted) and refuses the object when the total exceeds core.MaxSecretSize,
// 1 * 1024 * 1024 (pkg/apis/core/types.go). The charm's ConfigMap has the one key config.yaml.
export const CONFIGMAP_DATA_LIMIT_BYTES = 1024 * 1024;

/** Bytes the API server counts for a ConfigMap's data (Go's len of each string: UTF-8 bytes). */
export function configMapDataBytes(data: Readonly<Record<string, string>>): number {
  let total = 0;
  for (const value of Object.values(data)) total += Buffer.byteLength(value, "utf8");
  return total;
}

/** The blocked message when the data is over the limit, else undefined. */
export function configMapSizeProblem(data: Readonly<Record<string, string>>): string | undefined {
  const bytes = configMapDataBytes(data);
  if (bytes <= CONFIGMAP_DATA_LIMIT_BYTES) return undefined;
  return `the server config with these mappings is ${bytes} bytes, over the ConfigMap limit of ${CONFIGMAP_DATA_LIMIT_BYTES} bytes (1 MiB); expected fewer map-roles/map-users/map-accounts entries: serve the rest as IAMIdentityMapping objects (backend-mode CRD, action add-mapping)`;
}
