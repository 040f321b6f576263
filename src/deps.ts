import type { HookTools } from "./juju/hook-tools.ts";
import type { Logger } from "./juju/logger.ts";
import type { ClientOptions } from "./k8s/node-client.ts";
import type { MachineFiles } from "./machine/files.ts";

/** How long a hook waits for this node's authenticator pod before reporting progress (production). */
export const DEFAULT_ROLLOUT_WAIT_MS = 60_000;
/** How often a hook looks at the rollout while it waits (production). */
export const DEFAULT_ROLLOUT_POLL_MS = 2000;

/** The live implementations a reconcile acts through; tests pass emulated ones. */
export interface CharmDeps {
  readonly tools: HookTools;
  readonly log: Logger;
  readonly files: MachineFiles;
  readonly now: () => Date;
  readonly randomBytes: (size: number) => Buffer;
  /** This machine's lower-cased hostname and FQDN (read only when the node must be found). */
  readonly machineNames: () => Promise<string[]>;
  /** Bound on a hook's wait for the pod on this node; runCharm sets DEFAULT_ROLLOUT_WAIT_MS, tests less. */
  readonly rolloutWaitMs: number;
  /** Between rollout polls; runCharm sets DEFAULT_ROLLOUT_POLL_MS. */
  readonly rolloutPollMs: number;
  /** Waits (rollout polls, the client's retry back-off); runCharm sets real timers. */
  readonly sleep: (ms: number) => Promise<void>;
  /** Kubernetes client timeouts and retries; its `sleep` is the one above. */
  readonly kubeClient: ClientOptions;
  /** A new private key (PEM); runCharm sets an RSA-2048 key made on the unit. */
  readonly generateKey: () => string;
}
