/** aws-iam on three control-plane machines that talk to the Kubernetes API emulator, with a certificates
 * provider, settled; and what an operator would look at: statuses, kubectl, the emulator's counters. */
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { PATHS, unitCachePath, unitTlsRecordPath } from "../../src/machine/paths.ts";
import { CRD_NAME, ownedLabelSelector, sharedLabels } from "../../src/workload/manifests/index.ts";
import type { Deployment } from "../emulator/juju/deployment.ts";
import type { KubeApiEmulator } from "../emulator/k8s/index.ts";
import { runKubectl } from "../k8s/kubectl.ts";
import { appStatusOf, statusOf, UNITS } from "./certificates.ts";
import {
  type CharmDeployment,
  CONTROL_PLANE,
  charmDeployment,
  dispatchExecutor,
  type ExtraApp,
  type Generation,
  type Mode,
} from "./deployments.ts";
import { csrProvider } from "./providers.ts";

export const APP = "aws-iam";
export const NODES = ["control-plane-0", "control-plane-1", "control-plane-2"] as const;
export const DS_PATH = `/apis/apps/v1/namespaces/kube-system/daemonsets/${APP}-authenticator`;
/** Every kind the charm creates, as kubectl names them. */
export const KINDS = "ds,secret,cm,sa,role,rolebinding,clusterrole,clusterrolebinding,crd";
/** Every object one deployment owns, and the shared CRD (which carries no instance label). */
export const ALL_OBJECTS = [
  "daemonset.apps/aws-iam-authenticator",
  "secret/aws-iam-authenticator-tls",
  "configmap/aws-iam-authenticator",
  "serviceaccount/aws-iam-authenticator",
  "role.rbac.authorization.k8s.io/aws-iam-authenticator-events",
  "rolebinding.rbac.authorization.k8s.io/aws-iam-authenticator-events",
  "clusterrole.rbac.authorization.k8s.io/aws-iam-authenticator",
  "clusterrolebinding.rbac.authorization.k8s.io/aws-iam-authenticator",
  `customresourcedefinition.apiextensions.k8s.io/${CRD_NAME}`,
];
export const MAPPING = `apiVersion: iamauthenticator.k8s.aws/v1alpha1
kind: IAMIdentityMapping
metadata:
  name: alice
spec:
  arn: arn:aws:iam::123456789012:user/alice
  username: alice
  groups: ["system:masters"]
`;

export interface ClusterDeployment extends CharmDeployment {
  readonly kube: KubeApiEmulator;
  readonly controlPlaneRelation: number;
  readonly certificatesRelation: number;
  /** The real kubectl with the emulator's kubeconfig. */
  kubectl(args: string[], input?: string): Promise<string>;
  /** `kubectl get <KINDS> -A -l <selector> -o name`, sorted: ours (instance label) or shared (no instance). */
  objects(scope: "ours" | "shared"): Promise<string[]>;
  statuses(): Record<string, string>;
  app(): string;
  /** Requests and writes `action` made against the API. */
  counting<T>(action: () => Promise<T>): Promise<{ result: T; requests: number; writes: string[] }>;
  dispose(): Promise<void>;
}

export async function clusterDeployment(
  kube: KubeApiEmulator,
  options: {
    mode: Mode;
    /** "dispatch" only: run the control-plane relation's setup in process and the built dispatch from the
     * certificates relation on (the certificate, the workload, finding the node), to keep the run short. */
    setUpInProcess?: boolean;
    /** See DeploymentOptions.nodeNaming. */
    nodeNaming?: "plain" | "aws";
    rolloutWaitMs?: number;
    sampleRss?: boolean;
    /** Runs on the built model before aws-iam is related to anything (e.g. to seed leader settings). */
    before?: (d: Deployment) => void;
    /** The certificates provider and its endpoint (default self-signed-certificates). */
    provider?: { readonly app: ExtraApp; readonly endpoint: string };
    /** The control plane's generation (default current). */
    generation?: Generation;
    /** Control-plane (and so aws-iam) units; the emulator needs as many control-plane nodes. */
    units?: number;
  },
): Promise<ClusterDeployment> {
  const deployment = charmDeployment({
    generation: options.generation ?? "current",
    ...(options.units !== undefined ? { units: options.units } : {}),
    mode: options.setUpInProcess ? "in-process" : options.mode,
    kube,
    sampleRss: options.sampleRss ?? false,
    ...(options.nodeNaming ? { nodeNaming: options.nodeNaming } : {}),
    extraApps: [options.provider?.app ?? csrProvider({ flavour: "self-signed" })],
    ...(options.rolloutWaitMs !== undefined ? { rolloutWaitMs: options.rolloutWaitMs } : {}),
  });
  const { d } = deployment;
  for (const unit of d.state.applications[CONTROL_PLANE]!.units) {
    forwardToUs(d.state.units[unit]!.machineRoot);
  }
  options.before?.(d);
  const controlPlaneRelation = await d.integrate(...deployment.integration);
  await d.settle();
  if (options.setUpInProcess && options.mode === "dispatch") d.useExecutor(dispatchExecutor());
  const certificatesRelation = await d.integrate(
    "aws-iam:certificates",
    options.provider?.endpoint ?? "self-signed-certificates:certificates",
  );
  await d.settle();
  const cacheDir = mkdtempSync(join(tmpdir(), "kubectl-cache-"));
  const kubectl = (args: string[], input?: string) => runKubectl(kube.kubeconfigPath, cacheDir, args, input);
  const selectors = {
    ours: ownedLabelSelector(APP),
    shared: Object.entries(sharedLabels())
      .map(([key, value]) => `${key}=${value}`)
      .join(","),
  };
  return {
    ...deployment,
    kube,
    controlPlaneRelation,
    certificatesRelation,
    kubectl,
    async objects(scope) {
      const out = await kubectl(["get", KINDS, "-A", "-l", selectors[scope], "-o", "name"]);
      return out.split("\n").filter((line) => line !== "");
    },
    statuses: () => Object.fromEntries(UNITS.map((unit) => [unit, statusOf(d, unit)])),
    app: () => appStatusOf(d),
    async counting(action) {
      const from = kube.counters.total;
      const result = await action();
      const entries = kube.counters.entries.slice(from);
      const writes = entries.filter((e) => ["POST", "PUT", "PATCH", "DELETE"].includes(e.method));
      return { result, requests: entries.length, writes: writes.map((e) => `${e.method} ${e.path}`) };
    },
    async dispose() {
      rmSync(cacheDir, { recursive: true, force: true });
    },
  };
}

/** What the ops control plane renders once the operator ran `juju config kubernetes-control-plane
 * authn-webhook-endpoint=https://127.0.0.1:21362/authenticate`: its auth-webhook forwards tokens to us,
 * so an active unit needs no hint. */
function forwardToUs(machineRoot: string): void {
  const path = join(machineRoot, "root/cdk/auth-webhook/auth-webhook.py");
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, "CUSTOM_AUTHN_ENDPOINT = 'https://127.0.0.1:21362/authenticate'\n");
}

/** The node each aws-iam unit runs on, as its machine's kubelet registered it: the FQDN on AWS
 * (ip-10-0-0-1N.ec2.internal, from the machine's /etc/hosts), else control-plane-<i>. */
export function nodeOf(d: Deployment, unit: string): string {
  const root = d.state.units[unit]!.machineRoot;
  const hosts = readFileSync(join(root, "etc/hosts"), "utf8");
  const fqdn = hosts.split(/\s+/).find((name) => name.endsWith(".ec2.internal"));
  return fqdn ?? readFileSync(join(root, "etc/hostname"), "utf8").trim();
}

/** Files a unit put on its machine that are still there. */
export function unitFilesLeft(d: Deployment, unit: string): string[] {
  const root = d.state.units[unit]!.machineRoot;
  return [PATHS.webhookKubeconfig, PATHS.hostTrustedCa, unitCachePath(unit), unitTlsRecordPath(unit)].filter(
    (path) => existsSync(join(root, path)),
  );
}
