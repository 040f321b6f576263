// The charm-issued serving certificate, mounted as the server's state dir (it loads cert.pem/key.pem from there).
import type { V1Secret } from "@kubernetes/client-node";
import { ownedLabels } from "./labels.ts";
import { objectNames } from "./names.ts";
import type { ResolvedSpec } from "./spec.ts";

export const CERT_FILE_NAME = "cert.pem";
export const KEY_FILE_NAME = "key.pem";

/** Opaque rather than kubernetes.io/tls: the server wants the file names cert.pem/key.pem, not tls.crt/tls.key. */
export function buildTlsSecret(spec: ResolvedSpec): V1Secret {
  return {
    apiVersion: "v1",
    kind: "Secret",
    metadata: {
      name: objectNames(spec.appName).secret,
      namespace: spec.namespace,
      labels: ownedLabels(spec.appName),
    },
    type: "Opaque",
    data: {
      [CERT_FILE_NAME]: Buffer.from(spec.tls.certPem, "utf8").toString("base64"),
      [KEY_FILE_NAME]: Buffer.from(spec.tls.keyPem, "utf8").toString("base64"),
    },
  };
}
