import nodeModule from "node:module";
import { runCharm } from "./charm.ts";
import { ExecaRunner } from "./juju/exec-runner.ts";

// Every hook is a fresh process: let Node 22 (the runtime the charm ships) keep the
// bundle's compiled code between hooks. Node 20 has no such cache; then nothing happens.
const withCache = nodeModule as { enableCompileCache?: () => unknown };
withCache.enableCompileCache?.();

// The composition root: the only place that reads process.env. Juju builds the
// environment itself, so AWS_IAM_CHARM_TEST_ROOT is only ever set by our tests.
process.exitCode = await runCharm({
  env: process.env,
  runner: new ExecaRunner(),
  rootDir: process.env["AWS_IAM_CHARM_TEST_ROOT"] || "/",
});
