// The server never reloads its config or certificate (upstream #678), so a hash of both goes on the pod
// template: any change to either rolls the DaemonSet.
import type { V1ConfigMap, V1Secret } from "@kubernetes/client-node";
import { nodeCrypto } from "../../util/lazy-module.ts";

export const CHECKSUM_ANNOTATION = "checksum/config";

/** JSON with object keys sorted at every level, so equal data always serialises to the same bytes. */
export function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(",")}]`;
  if (value !== null && typeof value === "object") {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(",")}}`;
  }
  return JSON.stringify(value);
}

/** sha256 (hex) over the ConfigMap's and the Secret's data. */
export function configChecksum(configMap: V1ConfigMap, secret: V1Secret): string {
  const material = canonicalJson({ configMap: configMap.data ?? {}, secret: secret.data ?? {} });
  return nodeCrypto().createHash("sha256").update(material).digest("hex");
}
