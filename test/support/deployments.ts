/** Ready-made emulated deployments of the real aws-iam charm beside either
 * kubernetes-control-plane generation, run in process or through the built dispatch. */
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, relative } from "node:path";
import { type CharmOptions, runCharm } from "../../src/charm.ts";
import type { MachineFiles } from "../../src/machine/files.ts";
import { OPS_CONTROL_PLANE_META, OpsControlPlane } from "../emulator/charms/ops-control-plane.ts";
import {
  REACTIVE_CONTROL_PLANE_META,
  ReactiveControlPlane,
} from "../emulator/charms/reactive-control-plane.ts";
import { newKeyPem } from "../emulator/charms/tls-forge-ca.ts";
import { loadCharmMeta } from "../emulator/juju/charm-meta.ts";
import { Deployment, type StepRecord } from "../emulator/juju/deployment.ts";
import { type HookExecutor, inProcess, viaDispatch } from "../emulator/juju/hook-runner.ts";
import { ModelBuilder } from "../emulator/juju/model-builder.ts";
import type { ModelState } from "../emulator/juju/model-state.ts";
import type { RemoteCharm } from "../emulator/juju/remote-charm.ts";
import { REPO_ROOT, writeToolShims } from "../emulator/juju/tool-shims.ts";
import type { KubeApiEmulator } from "../emulator/k8s/index.ts";

export type Generation = "legacy" | "current";
export type Mode = "in-process" | "dispatch";

export interface DeploymentOptions {
  readonly generation: Generation;
  readonly mode?: Mode;
  readonly units?: number;
  readonly onStep?: (step: StepRecord) => void;
  /** Other applications (e.g. certificate providers) with their stand-ins. */
  readonly extraApps?: readonly ExtraApp[];
  readonly sampleRss?: boolean;
  /** A Kubernetes API emulator the control plane's machines talk to: each control-plane machine gets its
   * admin kubeconfig (/root/.kube/config) and /etc/hostname = control-plane-<i>, its node's name. */
  readonly kube?: KubeApiEmulator;
  /** "aws": Charmed Kubernetes on AWS with the external cloud provider: each control-plane machine has the
   * short hostname ip-10-0-0-1N and registers node ip-10-0-0-1N.ec2.internal (added to `kube` here, with
   * the machine's address as InternalIP); "plain" (default): nodes control-plane-<i> already in `kube`. */
  readonly nodeNaming?: "plain" | "aws";
  /** JUJU_VERSION of the emulated agents. @default ModelBuilder's */
  readonly jujuVersion?: string;
  /** In process only: the hook's bound on waiting for the pod on its node (runCharm's rolloutWaitMs). */
  readonly rolloutWaitMs?: number;
  /** In process only: the charm's clock (runCharm's now). */
  readonly now?: () => Date;
}

export interface ExtraApp {
  readonly meta: ReturnType<typeof loadCharmMeta>;
  readonly standIn: RemoteCharm;
  readonly units?: number;
}

export interface CharmDeployment {
  readonly d: Deployment;
  readonly controlPlane: ReactiveControlPlane | OpsControlPlane;
  /** "aws-iam:aws-iam" or "aws-iam:juju-info", with the control plane's side. */
  readonly integration: readonly [string, string];
}

export const CONTROL_PLANE = "kubernetes-control-plane";

/** Builds the model (control plane units, aws-iam not yet related) and the executor. */
export function charmDeployment(options: DeploymentOptions): CharmDeployment {
  const builder = new ModelBuilder(options.jujuVersion ? { jujuVersion: options.jujuVersion } : {});
  const legacy = options.generation === "legacy";
  builder.addApplication(legacy ? REACTIVE_CONTROL_PLANE_META : OPS_CONTROL_PLANE_META, { standIn: true });
  for (let i = 0; i < (options.units ?? 3); i++) builder.addUnit(CONTROL_PLANE);
  builder.addApplication(loadCharmMeta(REPO_ROOT));
  const standIns: Record<string, RemoteCharm> = {};
  const controlPlane = legacy ? new ReactiveControlPlane() : new OpsControlPlane();
  standIns[CONTROL_PLANE] = controlPlane;
  for (const extra of options.extraApps ?? []) {
    builder.addApplication(extra.meta, { standIn: true });
    for (let i = 0; i < (extra.units ?? 1); i++) builder.addUnit(extra.meta.name);
    standIns[extra.meta.name] = extra.standIn;
  }
  const model = builder.build();
  if (options.kube) {
    const machines = model.state.applications[CONTROL_PLANE]!.units.map((u) => model.state.units[u]!);
    for (const [i, unit] of machines.entries()) {
      if (options.nodeNaming === "aws") {
        const host = `ip-${unit.address.replaceAll(".", "-")}`;
        const fqdn = `${host}.ec2.internal`;
        options.kube.addNode({ name: fqdn, controlPlane: true, internalIP: unit.address, internalDNS: fqdn });
        writeControlPlaneMachine(unit.machineRoot, host, options.kube, { address: unit.address, fqdn });
      } else {
        writeControlPlaneMachine(unit.machineRoot, `control-plane-${i}`, options.kube, {
          address: unit.address,
        });
      }
    }
  }
  const d = new Deployment({
    model,
    executor: executorFor(
      options.mode ?? "in-process",
      options.sampleRss ?? false,
      options.rolloutWaitMs,
      options.now,
    ),
    standIns,
    ...(options.onStep ? { onStep: options.onStep } : {}),
  });
  const endpoint = legacy ? "aws-iam" : "juju-info";
  return { d, controlPlane, integration: [`aws-iam:${endpoint}`, `${CONTROL_PLANE}:${endpoint}`] };
}

/** What kubernetes-control-plane and the OS leave on a control-plane machine for the charm to find: the
 * admin kubeconfig, the short hostname, and /etc/hosts naming the host (with its FQDN where it has one). */
export function writeControlPlaneMachine(
  machineRoot: string,
  hostname: string,
  kube: KubeApiEmulator,
  network: { address: string; fqdn?: string },
): void {
  mkdirSync(join(machineRoot, "root/.kube"), { recursive: true });
  kube.writeKubeconfig(join(machineRoot, "root/.kube/config"));
  mkdirSync(join(machineRoot, "etc"), { recursive: true });
  writeFileSync(join(machineRoot, "etc/hostname"), `${hostname}\n`);
  const names = network.fqdn ? `${network.fqdn} ${hostname}` : hostname;
  writeFileSync(join(machineRoot, "etc/hosts"), `127.0.0.1 localhost\n${network.address} ${names}\n`);
}

function executorFor(
  mode: Mode,
  sampleRss: boolean,
  rolloutWaitMs: number | undefined,
  now: (() => Date) | undefined,
): HookExecutor {
  if (mode === "in-process") {
    return inProcessExecutor({
      ...(rolloutWaitMs !== undefined ? { rolloutWaitMs } : {}),
      ...(now !== undefined ? { now } : {}),
    });
  }
  return dispatchExecutor(sampleRss);
}

/** runCharm's options other than the ones a hook gets from its context. */
export type RunOptions = Omit<CharmOptions, "env" | "runner" | "rootDir">;

/** The charm in process with `options`: the one in-process runner of the test support (deployments,
 * forks and single hooks). Rollout polls and the client's retry back-off do not wait: the emulator's pods
 * change state by the number of looks (kubelet.ts afterPolls), not by time, and the watch is bounded by
 * its number of rounds (observe/cluster.ts), so no real timer is needed. The private key comes from the
 * test keys (the charm's own generator is tested in test/unit/certificates/keys.test.ts and runs in every
 * dispatch run). `filesAt`, for machines kept in memory, gives the files of the machine at a unit's root. */
export function inProcessExecutor(
  options: RunOptions = {},
  filesAt?: (machineRoot: string) => MachineFiles,
): HookExecutor {
  const charm: typeof runCharm = (o) =>
    runCharm({
      ...o,
      sleep: immediate,
      generateKey: pooledKey,
      ...(filesAt !== undefined ? { files: filesAt(o.rootDir) } : {}),
      ...options,
    });
  return inProcess(charm, { charmDir: REPO_ROOT });
}

export const immediate = async (_ms: number): Promise<void> => {};
export const pooledKey = (): string => newKeyPem("pkcs8");

/** In a dispatch run, rollout polls 50 ms apart (production: 2 s)
 * and a 20 s bound (src/main.ts reads AWS_IAM_CHARM_TEST_ROLLOUT="<waitMs>,<pollMs>"). */
const DISPATCH_ROLLOUT = "20000,50";

/** Runs each hook through the built dispatch, with the hook tools as executables on PATH. */
export function dispatchExecutor(sampleRss = false): HookExecutor {
  const workDir = mkdtempSync(join(tmpdir(), "aws-iam-dispatch-"));
  const binDir = join(workDir, "bin");
  writeToolShims(binDir);
  return viaDispatch({
    charmDir: REPO_ROOT,
    workDir,
    binDir,
    sampleRss,
    env: { AWS_IAM_CHARM_TEST_ROLLOUT: DISPATCH_ROLLOUT },
  });
}

/** Everything observable about the model and the machines, minus the per-call
 * bookkeeping (timings, call logs) that differs between two identical runs. */
export function observable(state: ModelState): unknown {
  const { toolStats: _stats, hook: _hook, ...rest } = state;
  const machines: Record<string, Record<string, string>> = {};
  for (const unit of Object.values(state.units)) machines[unit.machineRoot] = filesUnder(unit.machineRoot);
  return JSON.parse(JSON.stringify({ ...rest, machines }));
}

function filesUnder(root: string): Record<string, string> {
  const files: Record<string, string> = {};
  const walk = (dir: string): void => {
    let entries: string[];
    try {
      entries = readdirSync(dir);
    } catch {
      return;
    }
    for (const name of entries) {
      const path = join(dir, name);
      if (statSync(path).isDirectory()) walk(path);
      else
        files[relative(root, path)] =
          `${(statSync(path).mode & 0o777).toString(8)} ${readFileSync(path, "utf8")}`;
    }
  };
  walk(root);
  return files;
}
