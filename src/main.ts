import { runCharm } from "./charm.ts";
import { ExecaRunner } from "./juju/exec-runner.ts";

// The composition root: the only place that reads process.env. Juju builds the
// environment itself, so AWS_IAM_CHARM_TEST_ROOT is only ever set by our tests.
process.exitCode = await runCharm({
  env: process.env,
  runner: new ExecaRunner(),
  rootDir: process.env["AWS_IAM_CHARM_TEST_ROOT"] || "/",
});
