// Shared set-up for the adapter tests: an emulated cluster, a real client-node client on its kubeconfig,
// and the authenticator objects the manifests teammate builds.
import type { KubernetesObject } from "@kubernetes/client-node";
import type { KubeClient } from "../../src/k8s/client.ts";
import { connectText } from "../../src/k8s/connect.ts";
import { KubeUnavailable } from "../../src/k8s/errors.ts";
import type { ClientOptions } from "../../src/k8s/node-client.ts";
import {
  type AuthenticatorSpec,
  buildAuthenticatorObjects,
  CRD_NAME,
  OWNED_KINDS,
  ownedLabels,
  selectorLabels,
  sharedLabels,
} from "../../src/workload/manifests/index.ts";
import { type KubeApiEmulator, startKubeApiEmulator } from "../emulator/k8s/index.ts";

export const APP = "aws-iam";
export const NAMESPACE = "kube-system";
export const DAEMON_SET = `${APP}-authenticator`;
export const FIELD_MANAGER = "charm-aws-iam";
export const IMAGE = "rocks.canonical.com/cdk/aws-iam-authenticator:v0.7.18";
export const OWNED = ownedLabels(APP);
/** What the workload feature hands the adapters: the kinds to prune, and the shared CRD to remove. */
export const PRUNE_KINDS = OWNED_KINDS.filter((kind) => kind.prune);
export const REMOVE_CRD = { name: CRD_NAME, sharedLabels: sharedLabels() };
export const POD_SELECTOR = Object.entries(selectorLabels(APP))
  .map(([k, v]) => `${k}=${v}`)
  .join(",");

export const CERT_PEM = "-----BEGIN CERTIFICATE-----\nMIIBsecretCERTbody\n-----END CERTIFICATE-----\n";
/** Distinctive so tests can prove it never shows up in an error message. */
export const KEY_BODY = "MIIEvQIBADANBgkqhkiG9w0BAQEFAASCBKcwggSjAgEAAoIBAQDsecretKEYbody";
export const KEY_PEM = `-----BEGIN PRIVATE KEY-----\n${KEY_BODY}\n-----END PRIVATE KEY-----\n`;

export const SPEC: AuthenticatorSpec = {
  appName: APP,
  image: IMAGE,
  clusterId: "ck-3f2a9c",
  tls: { certPem: CERT_PEM, keyPem: KEY_PEM },
};

export function objectsFor(overrides: Partial<AuthenticatorSpec> = {}): KubernetesObject[] {
  return buildAuthenticatorObjects({ ...SPEC, ...overrides });
}

/** Retries without real waiting; timeouts short enough for slow-response tests. */
export const FAST: ClientOptions = { timeoutMs: 300, backoffMs: 1, sleep: async () => {} };

/** Retries without real waiting, and a per-attempt timeout a loaded machine does not reach: tests that
 * count requests must not see an extra attempt because the machine was slow (with FAST, a 2-core box
 * under load turned the first apply's 18 requests into 19). */
export const STEADY: ClientOptions = { timeoutMs: 10_000, backoffMs: 1, sleep: async () => {} };

export function clientFor(emulator: KubeApiEmulator, options: ClientOptions = STEADY): KubeClient {
  const client = connectText(emulator.kubeconfigYaml(), emulator.kubeconfigPath, options);
  if (client instanceof KubeUnavailable) throw client;
  return client;
}

export async function startCluster(controlPlaneNodes = 3, workerNodes = 1): Promise<KubeApiEmulator> {
  return startKubeApiEmulator({ controlPlaneNodes, workerNodes });
}

/** Requests the emulator saw since `from` (an index into its log). */
export function requestsSince(emulator: KubeApiEmulator, from: number): { total: number; writes: number } {
  const entries = emulator.requests.slice(from);
  const writes = entries.filter((e) => ["POST", "PUT", "PATCH", "DELETE"].includes(e.method)).length;
  return { total: entries.length, writes };
}
