/** A ToolRunner backed by the emulator core: no processes, for fast state-transition tests. */
import { HookToolError } from "../../../src/juju/errors.ts";
import type { ToolRunner } from "../../../src/juju/runner.ts";
import { runTool } from "./core.ts";
import type { ModelState } from "./model-state.ts";

export class InProcessRunner implements ToolRunner {
  private readonly state: ModelState;

  constructor(state: ModelState) {
    this.state = state;
  }

  async run(tool: string, args: readonly string[], stdin?: string): Promise<string> {
    const outcome = runTool(this.state, tool, args, stdin ?? "");
    if (outcome.exitCode !== 0) throw new HookToolError(tool, args, outcome.exitCode, outcome.stderr);
    return outcome.stdout;
  }
}
