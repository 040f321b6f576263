import { execa } from "execa";
import { HookToolError } from "./errors.ts";
import type { ToolRunner } from "./runner.ts";

/** The production runner: argument arrays, never a shell. */
export class ExecaRunner implements ToolRunner {
  async run(tool: string, args: readonly string[], stdin?: string): Promise<string> {
    const result = await execa(tool, args, {
      input: stdin ?? "",
      reject: false,
      stripFinalNewline: false,
      encoding: "utf8",
    });
    if (result.exitCode !== 0 || result.failed) {
      const stderr = result.stderr || (result.cause instanceof Error ? result.cause.message : "");
      throw new HookToolError(tool, args, result.exitCode ?? 127, stderr);
    }
    return result.stdout;
  }
}
