/** The hook-sequence property (test/state/hook-sequences.property.ts: what it checks, after every step
 * and once settled): PROPERTY_RUNS sequences (default 500) of PROPERTY_STEPS events (default 30) over
 * three units; in each worker the first sequence and then about one in PROPERTY_API_EVERY (default
 * 50) have the Kubernetes API emulator and its faults in their world (a hook there costs about ten times
 * one without). The sequences are split over PROPERTY_WORKERS worker threads (default:
 * one per core, at most 2), each with its own seed (PROPERTY_SEED + its index; random by default) and
 * its own copy of the settled worlds; a failure names the command that replays it in one worker. */
import assert from "node:assert/strict";
import { availableParallelism } from "node:os";
import { test } from "node:test";
import { Worker } from "node:worker_threads";
import type { PropertyOptions, PropertySummary } from "./hook-sequences.property.ts";

const RUNS = Number(process.env["PROPERTY_RUNS"] ?? 500);
const STEPS = Number(process.env["PROPERTY_STEPS"] ?? 30);
const API_EVERY = Number(process.env["PROPERTY_API_EVERY"] ?? 50);
const WORKERS = Math.max(
  1,
  Math.min(Number(process.env["PROPERTY_WORKERS"] ?? Math.min(availableParallelism(), 2)), RUNS),
);
const SEED = Number(process.env["PROPERTY_SEED"] ?? Math.floor(Math.random() * 2 ** 31));

type Outcome = { summary: PropertySummary } | { failure: string };

/** A worker thread with tsx's loader (workers do not inherit the parent's --import) running the property. */
function runWorker(options: PropertyOptions): { outcome: Promise<Outcome>; stop: () => Promise<number> } {
  const boot = [
    `import { register } from ${JSON.stringify(import.meta.resolve("tsx/esm/api"))};`,
    "register();",
    `const { runInWorker } = await import(${JSON.stringify(new URL("./hook-sequences.property.ts", import.meta.url).href)});`,
    "await runInWorker();",
  ].join("\n");
  const worker = new Worker(new URL(`data:text/javascript,${encodeURIComponent(boot)}`), {
    workerData: options,
  });
  const outcome = new Promise<Outcome>((resolve, reject) => {
    worker.once("message", (message: Outcome) => resolve(message));
    worker.once("error", reject);
    worker.once("exit", (code) => reject(new Error(`property worker exited (${code}) before reporting`)));
  });
  return { outcome, stop: () => worker.terminate() };
}

test(`${RUNS} sequences of ${STEPS} events over three units (one per worker, then about 1 in ${API_EVERY}, with a Kubernetes API and its faults) stay sound after every step`, async () => {
  const started = performance.now();
  const shares = Array.from({ length: WORKERS }, (_, i) => Math.floor((RUNS + i) / WORKERS)).filter(
    (n) => n > 0,
  );
  const workers = shares.map((runs, i) =>
    runWorker({ runs, steps: STEPS, apiEvery: API_EVERY, seed: SEED + i }),
  );
  try {
    const outcomes = await Promise.all(
      workers.map(async ({ outcome }, i) => {
        const result = await outcome;
        if ("failure" in result) {
          // The others need not finish: the run has failed.
          await Promise.all(workers.map(({ stop }) => stop()));
          const replay = `PROPERTY_WORKERS=1 PROPERTY_SEED=${SEED + i} PROPERTY_RUNS=${shares[i]} PROPERTY_STEPS=${STEPS} PROPERTY_API_EVERY=${API_EVERY}`;
          assert.fail(
            `${result.failure}\nReplay: ${replay} node scripts/run-tests.mjs test/state/hook-sequences.test.ts`,
          );
        }
        return result.summary;
      }),
    );
    const ms = performance.now() - started;
    const sum = (key: keyof PropertySummary) => outcomes.reduce((total, o) => total + o[key], 0);
    const hooks = sum("hooks");
    assert.ok(hooks > 0, "the sequences ran hooks");
    process.stdout.write(
      `# ${RUNS} sequences × ${STEPS} steps: ${hooks} hooks in ${(ms / 1000).toFixed(1)} s, ${(ms / hooks).toFixed(2)} ms a hook` +
        ` (${shares.length} workers, seed ${SEED}; ${sum("api")} sequences with the API: ${sum("apiHooks")} hooks in ${(sum("apiMs") / 1000).toFixed(1)} s of worker time)\n`,
    );
  } finally {
    await Promise.all(workers.map(({ stop }) => stop()));
  }
});
