import nodeModule from "node:module";

// Every hook is a fresh process: let Node 22 (the runtime the charm ships) keep the
// compiled charm between hooks. Enabled before the charm is imported, since the cache
// only covers modules loaded after it; Node 20 has no such cache and skips this.
const withCache = nodeModule as { enableCompileCache?: () => unknown };
withCache.enableCompileCache?.();

/** "<waitMs>,<pollMs>" from AWS_IAM_CHARM_TEST_ROLLOUT; undefined (production values) when unset or
 * not two non-negative integers. */
function testRollout(value: string | undefined): { waitMs: number; pollMs: number } | undefined {
  const match = /^(\d+),(\d+)$/.exec(value ?? "");
  return match ? { waitMs: Number(match[1]), pollMs: Number(match[2]) } : undefined;
}

// The composition root: the only place that reads process.env. Juju builds the environment itself,
// so the AWS_IAM_CHARM_TEST_* variables are only ever set by our tests (a machine root, and a short
// rollout wait so an end-to-end run through the real dispatch does not wait a minute per hook).
async function main(): Promise<number> {
  const { runCharm } = await import("./charm.ts");
  const { ExecRunner } = await import("./juju/exec-runner.ts");
  const rollout = testRollout(process.env["AWS_IAM_CHARM_TEST_ROLLOUT"]);
  return runCharm({
    env: process.env,
    runner: new ExecRunner(),
    rootDir: process.env["AWS_IAM_CHARM_TEST_ROOT"] || "/",
    ...(rollout && { rolloutWaitMs: rollout.waitMs, rolloutPollMs: rollout.pollMs }),
  });
}

// No top-level await: the bundle is CommonJS (scripts/charm-bundle.mjs).
void main().then((code) => {
  process.exitCode = code;
});
