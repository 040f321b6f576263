/** get-client-kubeconfig: what a user gets, read back by the real kubectl. */
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, test } from "node:test";
import yaml from "js-yaml";
import { makeCa, windowFrom } from "../emulator/charms/tls-forge-ca.ts";
import { latestContent, peerAppBag, withProvider } from "../support/certificates.ts";
import { csrProvider, silentProvider } from "../support/providers.ts";

/** An admin kubeconfig on the unit's machine whose current cluster is the API server, with `caPem` (or
 * without any CA). */
function writeAdminKubeconfig(machineRoot: string, caPem: string | undefined): void {
  mkdirSync(join(machineRoot, "root/.kube"), { recursive: true });
  const cluster = {
    server: "https://10.0.0.10:6443",
    ...(caPem !== undefined && { "certificate-authority-data": Buffer.from(caPem).toString("base64") }),
  };
  writeFileSync(
    join(machineRoot, "root/.kube/config"),
    yaml.dump({
      "current-context": "c",
      contexts: [{ name: "c", context: { cluster: "k" } }],
      clusters: [{ name: "k", cluster }],
    }),
  );
}

describe("get-client-kubeconfig", () => {
  test("gives a kubeconfig with the admin kubeconfig's server and CA and an exec plugin for our cluster ID", async () => {
    const { d } = await withProvider(
      csrProvider({ flavour: "self-signed" }),
      "self-signed-certificates:certificates",
    );
    const clusterCa = latestContent(d)["ca-certificate"]!; // any CA will do as the cluster's
    const admin = {
      apiVersion: "v1",
      kind: "Config",
      "current-context": "juju",
      contexts: [{ name: "juju", context: { cluster: "ck", user: "admin" } }],
      clusters: [
        {
          name: "ck",
          cluster: {
            server: "https://10.0.0.10:6443",
            "certificate-authority-data": Buffer.from(clusterCa).toString("base64"),
          },
        },
      ],
      users: [{ name: "admin", user: { token: "secret-admin-token" } }],
    };
    const root = d.state.units["aws-iam/1"]!.machineRoot;
    mkdirSync(join(root, "root/.kube"), { recursive: true });
    writeFileSync(join(root, "root/.kube/config"), yaml.dump(admin));

    const result = await d.runAction("aws-iam/1", "get-client-kubeconfig", {
      "role-arn": "arn:aws:iam::123456789012:role/k8s-admins",
      region: "eu-west-1",
    });
    assert.equal(result.exitCode, 0);
    assert.equal(result.action!.failed, undefined);
    const clusterId = peerAppBag(d)["generated-cluster-id"]!;
    assert.equal(result.action!.results["cluster-id"], clusterId);
    const text = String(result.action!.results["kubeconfig"]);
    assert.doesNotMatch(text, /secret-admin-token/, "the admin's credentials never reach users");

    const file = join(mkdtempSync(join(tmpdir(), "client-kubeconfig-")), "config");
    writeFileSync(file, text);
    const view = JSON.parse(
      execFileSync("kubectl", ["config", "view", "--kubeconfig", file, "--raw", "-o", "json"], {
        encoding: "utf8",
      }),
    );
    assert.equal(view.clusters[0].cluster.server, "https://10.0.0.10:6443");
    assert.equal(
      Buffer.from(view.clusters[0].cluster["certificate-authority-data"], "base64").toString().trim(),
      clusterCa.trim(),
    );
    const exec = view.users[0].user.exec;
    assert.equal(exec.command, "aws-iam-authenticator");
    assert.deepEqual(exec.args, [
      "token",
      "-i",
      clusterId,
      "-r",
      "arn:aws:iam::123456789012:role/k8s-admins",
      "--region",
      "eu-west-1",
    ]);
  });

  test("fails until the leader has set the cluster ID (no certificate yet), even with an admin kubeconfig", async () => {
    // easyrsa never answers: no certificate, so the leader has generated no cluster ID.
    const { d } = await withProvider(silentProvider("easyrsa", "client"), "easyrsa:client");
    assert.equal(peerAppBag(d)["generated-cluster-id"], undefined);
    const clusterCa = makeCa("kubernetes", windowFrom(new Date(), 365)).certPem;
    const root = d.state.units["aws-iam/1"]!.machineRoot;
    writeAdminKubeconfig(root, clusterCa);
    const result = await d.runAction("aws-iam/1", "get-client-kubeconfig");
    assert.equal(result.exitCode, 0);
    assert.equal(
      result.action!.failed,
      "no cluster ID yet: the leader sets it once the certificate is in place",
    );
    assert.deepEqual(result.action!.results, {}, "no kubeconfig without the ID its tokens must carry");
  });

  test("fails with the reason when there is no admin kubeconfig or the parameters are wrong", async () => {
    const { d } = await withProvider(
      csrProvider({ flavour: "self-signed" }),
      "self-signed-certificates:certificates",
    );
    const none = await d.runAction("aws-iam/0", "get-client-kubeconfig");
    assert.equal(
      none.action!.failed,
      "no usable admin kubeconfig at /root/.kube/config to take the API server from",
    );
    const root = d.state.units["aws-iam/0"]!.machineRoot;
    // A kubeconfig whose current cluster has no CA is no more use than none.
    writeAdminKubeconfig(root, undefined);
    const noCa = await d.runAction("aws-iam/0", "get-client-kubeconfig");
    assert.equal(
      noCa.action!.failed,
      "no usable admin kubeconfig at /root/.kube/config to take the API server from",
    );
    writeAdminKubeconfig(root, latestContent(d)["ca-certificate"]!);
    const bad = await d.runAction("aws-iam/0", "get-client-kubeconfig", { "role-arn": "not-an-arn" });
    assert.equal(bad.action!.failed, "role must be an IAM role ARN");
  });
});
