/** Facts that differ between Juju versions the charm claims (metadata.yaml: juju >= 3.1), through the
 * real charm (runCharm in process) against the emulator set to that version. */
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import type { Deployment } from "../emulator/juju/deployment.ts";
import { appStatusOf, statusOf, UNITS, withProvider } from "../support/certificates.ts";
import { charmDeployment } from "../support/deployments.ts";
import { csrProvider } from "../support/providers.ts";

const READY = "waiting: no Kubernetes credentials at /root/.kube/config yet (the control plane writes them)";
const vault = () => csrProvider({ flavour: "vault", allowIpSans: true, allowAnyName: true });
const failedHooks = (d: Deployment) =>
  d.log.filter((s) => s.result !== undefined && s.result.exitCode !== 0).map((s) => s.description);

describe("Juju versions", () => {
  for (const version of ["3.1.6", "3.2.4", "3.3.0"]) {
    test(`${version}: the owner may not secret-get --refresh; every unit still ends with the certificate`, async () => {
      const { d } = await withProvider(vault(), "vault:vault-pki", { jujuVersion: version });
      assert.deepEqual(failedHooks(d), []);
      for (const unit of UNITS) assert.equal(statusOf(d, unit), READY, unit);
      // Leadership moves: the new leader reads the secret it now manages.
      await d.setLeader("aws-iam/1");
      assert.deepEqual(failedHooks(d), []);
      assert.equal(appStatusOf(d), READY);
      const refused = d.log
        .flatMap((s) => s.result?.calls ?? [])
        .filter((c) => c.tool === "secret-get" && c.args.includes("--refresh"));
      assert.ok(refused.length > 0, "the charm asked with --refresh");
      assert.ok(
        refused.every((c) => c.exitCode === 1 && c.stderr === "ERROR secret owner cannot use --refresh\n"),
        "and this Juju refused every time",
      );
    });
  }

  test("secret content over Juju's limit: blocked naming the value and its size; fine once the limit allows", async () => {
    const deployment = charmDeployment({ generation: "current", extraApps: [vault()], jujuVersion: "3.5.4" });
    const { d } = deployment;
    // Below the RSA key's 2272 base64 bytes: the first secret-add is refused.
    d.state.model.secretValueLimitBytes = 2000;
    await d.integrate(...deployment.integration);
    await d.settle();
    await d.integrate("aws-iam:certificates", "vault:vault-pki");
    await d.settle();
    const blocked = statusOf(d, "aws-iam/0");
    // An RSA-2048 key's PEM is about 1.7 KB: 22xx bytes base64-encoded.
    assert.match(
      blocked,
      /^blocked: the "request-key" value is 22\d\d bytes base64-encoded, more than Juju 3\.5\.4 accepts in a secret value \(8 KiB before Juju 3\.6's 1 MB limit\): have the certificates provider issue a shorter chain, or upgrade Juju$/,
    );
    await d.updateStatus("aws-iam");
    // Nothing could be stored, so the next hook makes a new key, whose encoded length may differ by a few
    // bytes: the same status but for that figure, and no error loop.
    const sizeless = (status: string) => status.replace(/ is 22\d\d bytes /, " is N bytes ");
    assert.equal(
      sizeless(statusOf(d, "aws-iam/0")),
      sizeless(blocked),
      "the same status again, no error loop",
    );
    assert.deepEqual(failedHooks(d), []);
    assert.equal(d.state.secrets.length, 0, "nothing stored half-way");
    delete d.state.model.secretValueLimitBytes;
    await d.updateStatus("aws-iam");
    await d.settle();
    for (const unit of UNITS) assert.equal(statusOf(d, unit), READY, unit);
  });
});
