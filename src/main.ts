import nodeModule from "node:module";

// Every hook is a fresh process: let Node 22 (the runtime the charm ships) keep the
// compiled charm between hooks. Enabled before the charm is imported, since the cache
// only covers modules loaded after it; Node 20 has no such cache and skips this.
const withCache = nodeModule as { enableCompileCache?: () => unknown };
withCache.enableCompileCache?.();

const { runCharm } = await import("./charm.ts");
const { ExecaRunner } = await import("./juju/exec-runner.ts");

// The composition root: the only place that reads process.env. Juju builds the
// environment itself, so AWS_IAM_CHARM_TEST_ROOT is only ever set by our tests.
process.exitCode = await runCharm({
  env: process.env,
  runner: new ExecaRunner(),
  rootDir: process.env["AWS_IAM_CHARM_TEST_ROOT"] || "/",
});
