/** Entry point of every hook-tool shim: `node hook-tool.mjs <tool> [args...]`.
 * Loads the model file named by JUJU_EMULATOR_MODEL, runs the tool for the unit in
 * JUJU_EMULATOR_UNIT, saves the model and exits with the tool's code. Bundled by
 * scripts/build.mjs into build/emulator/hook-tool.mjs, so plain TypeScript only. */
import { readFileSync } from "node:fs";
import { runTool } from "./core.ts";
import { loadModel, MODEL_ENV, saveModel, UNIT_ENV } from "./model-file.ts";

/** Only tools given `--file -` read stdin; others must not block on a terminal. */
function wantsStdin(args: readonly string[]): boolean {
  return args.some((a, i) => a === "--file=-" || ((a === "--file" || a === "-file") && args[i + 1] === "-"));
}

function main(argv: readonly string[]): number {
  const [tool, ...args] = argv;
  const modelPath = process.env[MODEL_ENV];
  if (!tool || !modelPath) {
    process.stderr.write(`ERROR hook-tool emulator: need a tool name and ${MODEL_ENV}\n`);
    return 2;
  }
  const state = loadModel(modelPath);
  const unit = process.env[UNIT_ENV];
  if (!state.hook || (unit !== undefined && state.hook.unit !== unit)) {
    process.stderr.write(`ERROR no hook context for unit ${unit ?? "(unset)"}\n`);
    return 1;
  }
  const stdin = wantsStdin(args) ? readFileSync(0, "utf8") : "";
  const outcome = runTool(state, tool, args, stdin);
  chargeProcessTime(state, tool);
  saveModel(modelPath, state);
  process.stdout.write(outcome.stdout);
  process.stderr.write(outcome.stderr);
  return outcome.exitCode;
}

/** On a real unit each tool is a round trip to the agent; here it is a whole Node
 * process. Charge the call with the process's whole life so far (start-up, model
 * load, the tool itself), so benchmarks can take tool time out of the hook's wall time. */
function chargeProcessTime(state: ReturnType<typeof loadModel>, tool: string): void {
  const call = state.hook?.calls.at(-1);
  if (!call) return;
  const lifetimeMs = process.uptime() * 1000;
  const stats = state.toolStats[tool];
  if (stats) stats.totalMs += lifetimeMs - call.durationMs;
  call.durationMs = lifetimeMs;
}

process.exitCode = main(process.argv.slice(2));
