import type { HookTools } from "../juju/hook-tools.ts";
import type { Logger } from "../juju/logger.ts";
import type { MachineFiles } from "../machine/files.ts";

/** The live implementations a reconcile acts through; tests pass emulated ones. */
export interface CharmDeps {
  readonly tools: HookTools;
  readonly log: Logger;
  readonly files: MachineFiles;
  readonly now: () => Date;
  readonly randomBytes: (size: number) => Buffer;
  /** This machine's Kubernetes node name: kubelet registers control-plane nodes by hostname. */
  readonly nodeName: string;
}
