/** JSON schema of the charm's configuration (config.yaml), checked with ajv.
 * A unit test keeps the option names and types in step with config.yaml. */

import { GO_DURATION_PATTERN } from "../control-plane/api-extra-args.ts";
import { ROOT_CA_HINT } from "../control-plane/root-ca.ts";
import { IRSA_HINTS } from "../irsa/settings.ts";
import { BACKEND_MODES, PARTITIONS } from "../workload/manifests/spec.ts";
import { IMAGE_PATTERN } from "./image-pattern.ts";

export const CONFIG_SCHEMA = {
  type: "object",
  additionalProperties: true,
  required: [
    "image",
    "port",
    "cluster-id",
    "backend-mode",
    "token-webhook-cache-ttl",
    "remove-crd-on-removal",
    "install-ca-to-host",
    "root-ca-certificate",
    "certificate-common-name",
    "partition",
    "map-roles",
    "map-users",
    "map-accounts",
    "reserved-username-prefixes",
    "irsa-issuer-url",
    "irsa-webhook-image",
    "irsa-token-audience",
    "irsa-default-region",
    "irsa-sts-regional-endpoints",
    "irsa-annotation-prefix",
  ],
  properties: {
    image: { type: "string", pattern: IMAGE_PATTERN },
    port: { type: "integer", minimum: 1024, maximum: 65535, not: { const: 21363 } },
    "cluster-id": { type: "string", pattern: "^$|^[A-Za-z0-9][A-Za-z0-9_-]{0,99}$" },
    "backend-mode": { type: "string", minLength: 1 },
    "token-webhook-cache-ttl": { type: "string", pattern: `^$|${GO_DURATION_PATTERN}` },
    "remove-crd-on-removal": { type: "boolean" },
    "install-ca-to-host": { type: "boolean" },
    // PEM text: src/control-plane/root-ca.ts checks the certificate.
    "root-ca-certificate": { type: "string" },
    // A DNS name (RFC 1123 labels, lower case, at most 253 characters, no trailing dot): providers such
    // as vault check it against their allowed domains as a host name.
    "certificate-common-name": {
      type: "string",
      maxLength: 253,
      pattern: "^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?(\\.[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)*$",
    },
    partition: { type: "string", enum: PARTITIONS },
    // The mapping options are YAML; src/mappings/options.ts checks them entry by entry.
    "map-roles": { type: "string" },
    "map-users": { type: "string" },
    "map-accounts": { type: "string" },
    "reserved-username-prefixes": {
      type: "string",
      pattern: "^\\s*$|^\\s*[^\\s,]+(\\s*,\\s*[^\\s,]+)*\\s*$",
    },
    // IRSA options are only typed here: their values are checked (src/irsa/settings.ts) only when IRSA is on.
    "irsa-issuer-url": { type: "string" },
    "irsa-webhook-image": { type: "string" },
    "irsa-token-audience": { type: "string" },
    "irsa-default-region": { type: "string" },
    "irsa-sts-regional-endpoints": { type: "boolean" },
    "irsa-annotation-prefix": { type: "string" },
  },
} as const;

/** What each option must look like, for the blocked message. */
export const CONFIG_HINTS: Readonly<Record<string, string>> = {
  image:
    "an image reference tagged with a server version v0.6.0 or later, such as registry.example.com/aws-iam-authenticator:v0.7.4, or pinned by @sha256:<digest>",
  port: "an integer from 1024 to 65535 other than 21363 (the server's health port)",
  "cluster-id": "letters, digits, '-' or '_', starting with a letter or digit, at most 100 characters",
  "backend-mode": `a comma-separated list of ${BACKEND_MODES.join(", ")} without duplicates`,
  "token-webhook-cache-ttl": 'a Go duration such as "1m0s", or empty',
  "remove-crd-on-removal": "true or false",
  "install-ca-to-host": "true or false",
  "root-ca-certificate": ROOT_CA_HINT,
  "certificate-common-name":
    "a lower-case DNS name such as aws-iam-authenticator or authn.k8s.example.com (labels of letters, digits and '-', at most 253 characters)",
  partition: `one of ${PARTITIONS.join(", ")}`,
  "map-roles": "a YAML list of {rolearn, username, groups} mappings",
  "map-users": "a YAML list of {userarn, username, groups} mappings",
  "map-accounts": "a YAML list of 12-digit account IDs",
  "reserved-username-prefixes":
    'comma-separated username prefixes without spaces, such as "system:,aws:", or empty',
  ...IRSA_HINTS,
};
