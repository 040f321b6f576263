import type { MachineFiles } from "../../src/machine/files.ts";

/** One file as a machine holds it. */
export interface MemoryFile {
  readonly content: string;
  readonly mode: number;
}

/** A machine's files in memory: for in-process hook runs (tests, the bench), never imported by the
 * charm. `files` is the live map, so a caller can seed it and read it back after the hook. */
export class MemoryFiles implements MachineFiles {
  readonly root = undefined;
  readonly files: Map<string, MemoryFile>;

  constructor(files: Iterable<readonly [string, MemoryFile]> = []) {
    this.files = new Map(files);
  }

  path(machinePath: string): string {
    throw new Error(`${machinePath} is in memory: it has no host path`);
  }

  async read(machinePath: string): Promise<string | undefined> {
    return this.files.get(machinePath)?.content;
  }

  async write(machinePath: string, content: string, mode = 0o600): Promise<boolean> {
    if (this.files.get(machinePath)?.content === content) return false;
    this.files.set(machinePath, { content, mode });
    return true;
  }

  async remove(machinePath: string): Promise<boolean> {
    return this.files.delete(machinePath);
  }
}
