import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { chmodSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import {
  type ClientKubeconfigInput,
  renderClientKubeconfig,
} from "../../../src/control-plane/client-kubeconfig.ts";
import { makeTestCerts, type TestCerts } from "./certs-fixture.ts";
import { clientNodeLoad, kubectlView } from "./kubeconfig-readers.ts";

interface ExecConfig {
  apiVersion: string;
  command: string;
  args: string[];
  env?: { name: string; value: string }[] | null;
  interactiveMode: string;
  provideClusterInfo: boolean;
}
interface ViewedKubeconfig {
  "current-context": string;
  clusters: { name: string; cluster: { server: string; "certificate-authority-data": string } }[];
  users: { name: string; user: { exec: ExecConfig } }[];
}

const ROLE = "arn:aws:iam::111122223333:role/k8s-admins";

// A stand-in for both token tools: records its argv and env, then prints a v1beta1 ExecCredential.
const FAKE_PLUGIN = `#!/usr/bin/env node
const fs = require("node:fs");
const record = { argv: process.argv.slice(2), profile: process.env.AWS_PROFILE ?? null,
  regional: process.env.AWS_STS_REGIONAL_ENDPOINTS ?? null, execInfo: process.env.KUBERNETES_EXEC_INFO ?? null };
if (process.env.FAKE_PLUGIN_RECORD) fs.writeFileSync(process.env.FAKE_PLUGIN_RECORD, JSON.stringify(record));
process.stdout.write(JSON.stringify({ apiVersion: "client.authentication.k8s.io/v1beta1", kind: "ExecCredential",
  status: { token: "k8s-aws-v1." + Buffer.from(JSON.stringify(record.argv)).toString("base64url") } }));
`;

describe("renderClientKubeconfig", () => {
  let certs: TestCerts;
  let binDir: string;
  let input: ClientKubeconfigInput;
  before(() => {
    certs = makeTestCerts();
    binDir = mkdtempSync(join(tmpdir(), "cp-fake-bin-"));
    for (const name of ["aws-iam-authenticator", "aws"]) {
      writeFileSync(join(binDir, name), FAKE_PLUGIN);
      chmodSync(join(binDir, name), 0o755);
    }
    input = {
      clusterName: "ck",
      apiServerUrl: "https://127.0.0.1:1",
      apiServerCaPem: certs.caPem,
      clusterId: "Ab3xYz09Ab3xYz09Ab3xYz09",
      command: "aws-iam-authenticator",
    };
  });
  after(() => rmSync(binDir, { recursive: true, force: true }));

  const execOf = (kubeconfig: string) => (kubectlView(kubeconfig) as ViewedKubeconfig).users[0]!.user.exec;

  it("authenticator form: token -i <id>, v1beta1, IfAvailable, as kubectl reads it", () => {
    const view = kubectlView(renderClientKubeconfig(input)) as ViewedKubeconfig;
    assert.equal(view["current-context"], "aws-iam@ck");
    assert.equal(view.clusters[0]?.cluster.server, "https://127.0.0.1:1");
    const exec = view.users[0]!.user.exec;
    assert.equal(exec.apiVersion, "client.authentication.k8s.io/v1beta1");
    assert.equal(exec.command, "aws-iam-authenticator");
    assert.deepEqual(exec.args, ["token", "-i", "Ab3xYz09Ab3xYz09Ab3xYz09"]);
    assert.equal(exec.interactiveMode, "IfAvailable");
    assert.equal(exec.provideClusterInfo, false);
    assert.equal(exec.env ?? null, null);
  });

  it("authenticator form with role and region", () => {
    const exec = execOf(
      renderClientKubeconfig({ ...input, role: ROLE, region: "eu-west-1", awsProfile: "dev" }),
    );
    assert.deepEqual(exec.args, ["token", "-i", input.clusterId, "-r", ROLE, "--region", "eu-west-1"]);
    assert.deepEqual(exec.env, [
      { name: "AWS_PROFILE", value: "dev" },
      { name: "AWS_STS_REGIONAL_ENDPOINTS", value: "regional" },
    ]);
  });

  it("AWS CLI form: eks get-token --cluster-name <id> with JSON output", () => {
    const exec = execOf(
      renderClientKubeconfig({ ...input, command: "aws", role: ROLE, region: "us-gov-west-1" }),
    );
    assert.equal(exec.command, "aws");
    assert.deepEqual(exec.args, [
      "--region",
      "us-gov-west-1",
      "eks",
      "get-token",
      "--cluster-name",
      input.clusterId,
      "--role-arn",
      ROLE,
      "--output",
      "json",
    ]);
  });

  it("kubectl runs the plugin with exactly those arguments", () => {
    const dir = mkdtempSync(join(tmpdir(), "cp-kubectl-run-"));
    try {
      const file = join(dir, "config");
      const record = join(dir, "record.json");
      writeFileSync(file, renderClientKubeconfig({ ...input, role: ROLE }), { mode: 0o600 });
      // The API server URL points at a closed port: kubectl runs the plugin, then fails to connect.
      spawnSync("kubectl", ["--kubeconfig", file, "get", "--raw", "/version", "--request-timeout=5s"], {
        env: { PATH: `${binDir}:${process.env["PATH"] ?? ""}`, HOME: dir, FAKE_PLUGIN_RECORD: record },
        encoding: "utf8",
      });
      const seen = JSON.parse(readFileSync(record, "utf8")) as { argv: string[]; execInfo: string };
      assert.deepEqual(seen.argv, ["token", "-i", input.clusterId, "-r", ROLE]);
      assert.equal(
        (JSON.parse(seen.execInfo) as { apiVersion: string }).apiVersion,
        "client.authentication.k8s.io/v1beta1",
      );
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it("@kubernetes/client-node loads it and gets a bearer token from the plugin", async () => {
    const kc = clientNodeLoad(renderClientKubeconfig({ ...input, command: "aws", region: "eu-west-1" }));
    assert.equal(kc.getCurrentCluster()?.server, "https://127.0.0.1:1");
    assert.equal(Buffer.from(kc.getCurrentCluster()?.caData ?? "", "base64").toString("utf8"), certs.caPem);
    const savedPath = process.env["PATH"];
    process.env["PATH"] = `${binDir}:${savedPath ?? ""}`;
    try {
      const opts: { headers?: Record<string, unknown> } = {};
      await kc.applyToHTTPSOptions(opts);
      const auth = String(opts.headers?.["Authorization"]);
      assert.match(auth, /^Bearer k8s-aws-v1\./);
      const argv = JSON.parse(
        Buffer.from(auth.slice("Bearer k8s-aws-v1.".length), "base64url").toString("utf8"),
      );
      assert.deepEqual(argv, [
        "--region",
        "eu-west-1",
        "eks",
        "get-token",
        "--cluster-name",
        input.clusterId,
        "--output",
        "json",
      ]);
    } finally {
      process.env["PATH"] = savedPath;
    }
  });

  it("refuses bad inputs before rendering", () => {
    assert.throws(() => renderClientKubeconfig({ ...input, clusterId: "no spaces" }), /cluster-id contains/);
    assert.throws(() => renderClientKubeconfig({ ...input, apiServerUrl: "http://x:6443" }), /https URL/);
    assert.throws(() => renderClientKubeconfig({ ...input, role: "arn:aws:iam::1:user/x" }), /role ARN/);
    assert.throws(() => renderClientKubeconfig({ ...input, region: "EU_WEST" }), /region/);
    assert.throws(() => renderClientKubeconfig({ ...input, apiServerCaPem: certs.leafPem }), /not a CA/);
    assert.throws(() => renderClientKubeconfig({ ...input, clusterName: "" }), /clusterName/);
  });

  it("outside partition aws requires a region of that partition and a role ARN of it", () => {
    const gov = { ...input, partition: "aws-us-gov" as const };
    assert.throws(
      () => renderClientKubeconfig(gov),
      new RangeError(
        "region is required in partition aws-us-gov, which has no global STS endpoint; expected a region such as us-gov-west-1",
      ),
    );
    assert.throws(
      () => renderClientKubeconfig({ ...gov, region: "us-east-1" }),
      new RangeError(
        "region us-east-1 is in partition aws, not aws-us-gov; expected a region such as us-gov-west-1",
      ),
    );
    assert.throws(
      () => renderClientKubeconfig({ ...gov, region: "us-gov-west-1", role: ROLE }),
      /^RangeError: role is in partition aws, not aws-us-gov; expected arn:aws-us-gov:iam::<account>:role\/<name>$/,
    );
    assert.throws(
      () => renderClientKubeconfig({ ...input, partition: "aws-cn", region: "cn-north-1x" }),
      /region must look like/,
    );
    const exec = execOf(
      renderClientKubeconfig({
        ...gov,
        region: "us-gov-west-1",
        role: "arn:aws-us-gov:iam::111122223333:role/k8s-admins",
      }),
    );
    assert.deepEqual(exec.args, [
      "token",
      "-i",
      input.clusterId,
      "-r",
      "arn:aws-us-gov:iam::111122223333:role/k8s-admins",
      "--region",
      "us-gov-west-1",
    ]);
    assert.deepEqual(exec.env, [{ name: "AWS_STS_REGIONAL_ENDPOINTS", value: "regional" }]);
    // Commercial aws keeps working without a region (the global endpoint is accepted there).
    assert.doesNotThrow(() => renderClientKubeconfig({ ...input, partition: "aws" }));
    assert.doesNotThrow(() =>
      renderClientKubeconfig({ ...input, partition: "aws-cn", region: "cn-northwest-1" }),
    );
  });
});
