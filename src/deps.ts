import type { HookTools } from "./juju/hook-tools.ts";
import type { Logger } from "./juju/logger.ts";
import type { MachineFiles } from "./machine/files.ts";

/** How long a hook waits for this node's authenticator pod before reporting progress (production). */
export const DEFAULT_ROLLOUT_WAIT_MS = 60_000;

/** The live implementations a reconcile acts through; tests pass emulated ones. */
export interface CharmDeps {
  readonly tools: HookTools;
  readonly log: Logger;
  readonly files: MachineFiles;
  readonly now: () => Date;
  readonly randomBytes: (size: number) => Buffer;
  /** This machine's lower-cased hostname and FQDN (read only when the node must be found). */
  readonly machineNames: () => Promise<string[]>;
  /** The node a previous hook on this unit found and saw serve; undefined when it must be found. */
  readonly knownNode?: string;
  /** Bound on a hook's wait for the pod on this node; runCharm sets DEFAULT_ROLLOUT_WAIT_MS, tests less. */
  readonly rolloutWaitMs?: number;
}
