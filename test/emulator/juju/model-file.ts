/** The model as a JSON file shared between the harness and the PATH shims.
 * Saved atomically (temp file + rename) so a crashed tool never leaves half a model. */
import { readFileSync, renameSync, writeFileSync } from "node:fs";
import type { ModelState } from "./model-state.ts";

export const MODEL_ENV = "JUJU_EMULATOR_MODEL";
export const UNIT_ENV = "JUJU_EMULATOR_UNIT";

export function loadModel(path: string): ModelState {
  return JSON.parse(readFileSync(path, "utf8")) as ModelState;
}

export function saveModel(path: string, state: ModelState): void {
  const tmp = `${path}.${process.pid}.tmp`;
  writeFileSync(tmp, JSON.stringify(state));
  renameSync(tmp, path);
}
