import { randomBytes } from "node:crypto";
import { mkdir, readFile, rename, rm, writeFile } from "node:fs/promises";
import { dirname, join } from "node:path";

/** Files on the machine, under a root that is "/" in production and a temp dir in tests. */
export class MachineFiles {
  readonly root: string;

  constructor(root: string) {
    this.root = root;
  }

  /** Absolute path of a machine path such as "/root/cdk/aws-iam-webhook.yaml". */
  path(machinePath: string): string {
    return join(this.root, machinePath);
  }

  async read(machinePath: string): Promise<string | undefined> {
    try {
      return await readFile(this.path(machinePath), "utf8");
    } catch (error) {
      if (isMissing(error)) return undefined;
      throw error;
    }
  }

  /** Writes atomically (temp file + rename) with the given mode; returns false when the
   * file already held exactly this content, so callers can skip follow-up work. */
  async write(machinePath: string, content: string, mode = 0o600): Promise<boolean> {
    if ((await this.read(machinePath)) === content) return false;
    const target = this.path(machinePath);
    await mkdir(dirname(target), { recursive: true, mode: 0o755 });
    const temp = `${target}.${randomBytes(4).toString("hex")}.tmp`;
    await writeFile(temp, content, { mode });
    await rename(temp, target);
    return true;
  }

  /** Removes a file; returns false when it was not there. */
  async remove(machinePath: string): Promise<boolean> {
    const existed = (await this.read(machinePath)) !== undefined;
    await rm(this.path(machinePath), { force: true });
    return existed;
  }
}

function isMissing(error: unknown): boolean {
  return typeof error === "object" && error !== null && "code" in error && error.code === "ENOENT";
}
