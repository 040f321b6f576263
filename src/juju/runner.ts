/** Runs one hook tool. The single seam between the charm and Juju: production
 * spawns the tool (exec-runner.ts), tests use the in-process emulator. */
export interface ToolRunner {
  /** Resolves with the tool's stdout; rejects with HookToolError on a non-zero exit. */
  run(tool: string, args: readonly string[], stdin?: string): Promise<string>;
}
