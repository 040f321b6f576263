/** JSON schema of the charm's configuration (config.yaml), checked with ajv.
 * A unit test keeps the option names and types in step with config.yaml. */
import { IRSA_HINTS } from "../irsa/settings.ts";
import { IMAGE_PATTERN } from "./image-pattern.ts";

export const BACKEND_MODES = ["CRD", "MountedFile", "EKSConfigMap"] as const;
export type BackendMode = (typeof BACKEND_MODES)[number];

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
    "token-webhook-cache-ttl": { type: "string", pattern: "^$|^([0-9]+(\\.[0-9]+)?(ns|us|µs|ms|s|m|h))+$" },
    "remove-crd-on-removal": { type: "boolean" },
    "install-ca-to-host": { type: "boolean" },
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
  image: "an image reference such as registry.example.com/aws-iam-authenticator:v0.7.4",
  port: "an integer from 1024 to 65535 other than 21363 (the server's health port)",
  "cluster-id": "letters, digits, '-' or '_', starting with a letter or digit, at most 100 characters",
  "backend-mode": `a comma-separated list of ${BACKEND_MODES.join(", ")} without duplicates`,
  "token-webhook-cache-ttl": 'a Go duration such as "1m0s", or empty',
  "remove-crd-on-removal": "true or false",
  "install-ca-to-host": "true or false",
  ...IRSA_HINTS,
};
