// Shared inputs for the manifest tests. The PEM bodies are placeholders: builders never parse them.
import type { AuthenticatorSpec } from "../../../../src/workload/manifests/spec.ts";

export const CERT_PEM = "-----BEGIN CERTIFICATE-----\nMIIBfakeCERT\n-----END CERTIFICATE-----\n";
export const KEY_PEM = "-----BEGIN PRIVATE KEY-----\nMIIBfakeKEY\n-----END PRIVATE KEY-----\n";

export const BASE_SPEC: AuthenticatorSpec = {
  appName: "aws-iam",
  image: "rocks.canonical.com/cdk/aws-iam-authenticator:v0.7.18",
  clusterId: "ck-3f2a9c",
  tls: { certPem: CERT_PEM, keyPem: KEY_PEM },
};

/** BASE_SPEC with overrides. */
export function specWith(overrides: Partial<AuthenticatorSpec>): AuthenticatorSpec {
  return { ...BASE_SPEC, ...overrides };
}
