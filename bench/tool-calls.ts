/** Hook-tool calls of a no-change update-status on a settled 3-unit deployment (current control plane,
 * or legacy with GENERATION=legacy; self-signed provider, no Kubernetes API), leader and non-leader, in
 * process. Prints one line each (VERBOSE=1: and each call). */
import { charmDeployment } from "../test/support/deployments.ts";
import { csrProvider } from "../test/support/providers.ts";

const generation = process.env["GENERATION"] === "legacy" ? "legacy" : "current";
const { d, integration } = charmDeployment({
  generation,
  extraApps: [csrProvider({ flavour: "self-signed" })],
});
await d.integrate(...integration);
await d.integrate("aws-iam:certificates", "self-signed-certificates:certificates");
await d.settle();
await d.updateStatus("aws-iam");
const leader = d.state.applications["aws-iam"]!.leader;
for (const unit of ["aws-iam/0", "aws-iam/1"]) {
  const result = await d.runHook(unit, "update-status", {});
  const role = unit === leader ? "leader" : "non-leader";
  const tools = result.calls.map((c) => [c.tool, ...c.args.filter((a) => a !== "--format=json")].join(" "));
  console.log(
    `tool-calls ${generation} update-status ${role} calls=${result.calls.length} exit=${result.exitCode}`,
  );
  if (process.env["VERBOSE"]) for (const t of tools) console.log(`  ${t}`);
}
