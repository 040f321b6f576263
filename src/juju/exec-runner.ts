import { spawn } from "node:child_process";
import { nodeOs } from "../util/lazy-module.ts";
import { HookToolError } from "./errors.ts";
import type { ToolRunner } from "./runner.ts";

/** The production runner: argument arrays, never a shell. Node's own spawn (no library: every hook
 * loads this, and a process runner library cost more load time than the charm's own code). */
export class ExecRunner implements ToolRunner {
  run(tool: string, args: readonly string[], stdin?: string): Promise<string> {
    return new Promise((resolve, reject) => {
      const child = spawn(tool, args, { stdio: ["pipe", "pipe", "pipe"] });
      const stdout: Buffer[] = [];
      const stderr: Buffer[] = [];
      child.stdout.on("data", (chunk: Buffer) => stdout.push(chunk));
      child.stderr.on("data", (chunk: Buffer) => stderr.push(chunk));
      // A tool that exits without reading its stdin closes the pipe: not our failure, its exit code says.
      child.stdin.on("error", () => {});
      child.stdin.end(stdin ?? "");
      // Not found or not executable: the shell's 127.
      child.on("error", (error) => reject(new HookToolError(tool, args, 127, error.message)));
      child.on("close", (code, signal) => {
        if (code === 0) {
          resolve(Buffer.concat(stdout).toString("utf8"));
          return;
        }
        const err = Buffer.concat(stderr).toString("utf8");
        if (code !== null) {
          reject(new HookToolError(tool, args, code, err));
          return;
        }
        // Killed: the shell's 128 + the signal's number, and its name whatever the tool wrote first.
        const number = signal === null ? 0 : (nodeOs().constants.signals[signal] ?? 0);
        const killed = `killed by ${signal ?? "a signal"}`;
        reject(
          new HookToolError(tool, args, 128 + number, err === "" ? killed : `${err.trimEnd()} (${killed})`),
        );
      });
    });
  }
}
