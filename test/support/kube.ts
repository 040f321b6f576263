// A charm unit on an emulated control-plane machine: CharmDeps over a juju-log-only runner, machine files
// under a temp root (with the emulator's kubeconfig at /root/.kube/config) and a fake clock its sleeps advance.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { generatePrivateKeyPem } from "../../src/certificates/keys.ts";
import { type CharmDeps, DEFAULT_ROLLOUT_WAIT_MS } from "../../src/deps.ts";
import { HookTools } from "../../src/juju/hook-tools.ts";
import { Logger } from "../../src/juju/logger.ts";
import type { ToolRunner } from "../../src/juju/runner.ts";
import type { ClientOptions } from "../../src/k8s/node-client.ts";
import { DiskFiles, type MachineFiles } from "../../src/machine/files.ts";
import { PATHS } from "../../src/machine/paths.ts";
import type { KubeApiEmulator } from "../emulator/k8s/index.ts";

export interface FakeClock {
  now: () => Date;
  /** Advances the clock instead of waiting; each call is recorded. */
  sleep: (ms: number) => Promise<void>;
  readonly sleeps: number[];
  elapsed(): number;
}

export function fakeClock(start = Date.UTC(2025, 0, 1)): FakeClock {
  let t = start;
  const sleeps: number[] = [];
  return {
    now: () => new Date(t),
    sleep: async (ms) => {
      sleeps.push(ms);
      t += ms;
    },
    sleeps,
    elapsed: () => t - start,
  };
}

export interface EmulatedUnit {
  readonly node: string;
  readonly leader: boolean;
  readonly files: MachineFiles;
  readonly deps: CharmDeps;
  readonly clock: FakeClock;
  /** Hook tools the unit ran: juju-log only, anything else throws. */
  readonly toolCalls: string[][];
  /** Between rollout polls (deps.rolloutPollMs). */
  readonly pollMs: number;
  /** The client's timeouts (deps.kubeClient). */
  readonly client: ClientOptions;
  /** Writes the emulator's kubeconfig where the control plane would (PATHS.adminKubeconfig). */
  writeKubeconfig(emulator: KubeApiEmulator): void;
  writeAdminKubeconfigText(text: string): void;
  dispose(): void;
}

/** The client's per-attempt timeout is long by default: a loaded machine must not turn a slow answer into a
 * retry (that moves request counts). Only the test of an API server that does not answer passes a short one. */
const STEADY_CLIENT: ClientOptions = { timeoutMs: 10_000, backoffMs: 1 };
/** For "an API server that does not answer in time": gives up on a slow answer quickly. */
export const IMPATIENT_CLIENT: ClientOptions = { timeoutMs: 300, backoffMs: 1 };

/** Every unit polls every 1000 ms; the client retries without waiting. */
export function emulatedUnit(
  node: string,
  leader: boolean,
  client: ClientOptions = STEADY_CLIENT,
): EmulatedUnit {
  const root = mkdtempSync(join(tmpdir(), "aws-iam-machine-"));
  const files = new DiskFiles(root);
  const clock = fakeClock();
  const toolCalls: string[][] = [];
  const runner: ToolRunner = {
    run: async (tool, args) => {
      toolCalls.push([tool, ...args]);
      if (tool !== "juju-log") throw new Error(`unexpected hook tool ${tool}`);
      return "";
    },
  };
  const tools = new HookTools(runner);
  const deps: CharmDeps = {
    tools,
    log: new Logger(tools),
    files,
    now: clock.now,
    randomBytes: (size) => Buffer.alloc(size, 7),
    machineNames: async () => [node],
    sleep: clock.sleep,
    rolloutWaitMs: DEFAULT_ROLLOUT_WAIT_MS,
    rolloutPollMs: 1000,
    kubeClient: { sleep: clock.sleep, ...client },
    generateKey: generatePrivateKeyPem,
  };
  const adminPath = files.path(PATHS.adminKubeconfig);
  return {
    node,
    leader,
    files,
    deps,
    clock,
    toolCalls,
    pollMs: 1000,
    client,
    writeKubeconfig(emulator) {
      mkdirSync(dirname(adminPath), { recursive: true });
      emulator.writeKubeconfig(adminPath);
    },
    writeAdminKubeconfigText(text) {
      mkdirSync(dirname(adminPath), { recursive: true });
      writeFileSync(adminPath, text, { mode: 0o600 });
    },
    dispose() {
      rmSync(root, { recursive: true, force: true });
    },
  };
}
