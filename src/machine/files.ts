// Synchronous calls: node:fs comes with Node itself, while node:fs/promises loads a dozen more modules
// (readline, watchers) into every hook; a hook does one thing at a time anyway.
import { mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";

/** The machine's files by machine path ("/root/cdk/aws-iam-webhook.yaml"). The charm reads and writes
 * through this alone, so a test or the bench can hold a machine in memory. */
export interface MachineFiles {
  /** Where the machine paths live on this host's disk: "/" on a real machine, a temp dir in tests,
   * undefined when the files are not on disk (in memory). Host commands run only when it is "/". */
  readonly root: string | undefined;
  /** The host path of a machine path, for a library that only opens paths itself. Only DiskFiles has
   * one; the others throw. */
  path(machinePath: string): string;
  read(machinePath: string): Promise<string | undefined>;
  /** Writes atomically with the given mode; false when the file already held exactly this content,
   * so callers can skip follow-up work. */
  write(machinePath: string, content: string, mode?: number): Promise<boolean>;
  /** Removes a file; false when it was not there. */
  remove(machinePath: string): Promise<boolean>;
}

let tempCount = 0;

/** Files on the machine, under a root that is "/" in production and a temp dir in tests. */
export class DiskFiles implements MachineFiles {
  readonly root: string;

  constructor(root: string) {
    this.root = root;
  }

  path(machinePath: string): string {
    return join(this.root, machinePath);
  }

  async read(machinePath: string): Promise<string | undefined> {
    try {
      return readFileSync(this.path(machinePath), "utf8");
    } catch (error) {
      if (isMissing(error)) return undefined;
      throw error;
    }
  }

  async write(machinePath: string, content: string, mode = 0o600): Promise<boolean> {
    if ((await this.read(machinePath)) === content) return false;
    const target = this.path(machinePath);
    mkdirSync(dirname(target), { recursive: true, mode: 0o755 });
    // Temp file + rename: a reader (kube-apiserver, the authenticator) never sees half a file.
    // Unique among live processes (Juju runs one hook at a time on a machine; the pid tells them apart).
    const temp = `${target}.${process.pid}.${++tempCount}.tmp`;
    writeFileSync(temp, content, { mode });
    renameSync(temp, target);
    return true;
  }

  async remove(machinePath: string): Promise<boolean> {
    try {
      rmSync(this.path(machinePath));
      return true;
    } catch (error) {
      if (isMissing(error)) return false;
      throw error;
    }
  }
}

function isMissing(error: unknown): boolean {
  return typeof error === "object" && error !== null && "code" in error && error.code === "ENOENT";
}
