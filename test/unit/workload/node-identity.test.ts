import assert from "node:assert/strict";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { hostname, tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, test } from "node:test";
import type { V1Node } from "@kubernetes/client-node";
import { DiskFiles } from "../../../src/machine/files.ts";
import { machineHostname, machineNames } from "../../../src/machine/names.ts";
import { matchNode } from "../../../src/workload/node-identity.ts";

describe("the machine's host names", () => {
  let root: string;
  beforeEach(() => {
    root = mkdtempSync(join(tmpdir(), "aws-iam-node-name-"));
    mkdirSync(join(root, "etc"));
  });
  afterEach(() => rmSync(root, { recursive: true, force: true }));

  test("the hostname is /etc/hostname, trimmed and lowercased", async () => {
    writeFileSync(join(root, "etc/hostname"), "  Control-Plane-2\n");
    assert.equal(await machineHostname(new DiskFiles(root)), "control-plane-2");
  });

  test("falls back to the kernel's hostname when the file is missing, empty or unreadable", async () => {
    assert.equal(await machineHostname(new DiskFiles(root)), hostname().toLowerCase());
    writeFileSync(join(root, "etc/hostname"), "\n");
    assert.equal(await machineHostname(new DiskFiles(root)), hostname().toLowerCase());
    rmSync(join(root, "etc/hostname"));
    mkdirSync(join(root, "etc/hostname")); // a directory: EISDIR
    assert.equal(await machineHostname(new DiskFiles(root)), hostname().toLowerCase());
  });

  test("the FQDN is the first dotted name on the /etc/hosts line naming the host (as getfqdn)", async () => {
    writeFileSync(join(root, "etc/hostname"), "ip-10-0-0-5\n");
    writeFileSync(
      join(root, "etc/hosts"),
      "127.0.0.1 localhost\n10.0.0.5 IP-10-0-0-5.ec2.internal ip-10-0-0-5 # cloud-init\n",
    );
    assert.deepEqual(await machineNames(new DiskFiles(root)), ["ip-10-0-0-5", "ip-10-0-0-5.ec2.internal"]);
    // A line naming the host without a dotted name: no FQDN, and no DNS look-up.
    writeFileSync(join(root, "etc/hosts"), "10.0.0.5 ip-10-0-0-5\n");
    assert.deepEqual(await machineNames(new DiskFiles(root)), ["ip-10-0-0-5"]);
  });
});

const node = (name: string, ip: string, label = name): V1Node => ({
  metadata: { name, labels: { "kubernetes.io/hostname": label } },
  status: {
    addresses: [
      { type: "InternalIP", address: ip },
      { type: "Hostname", address: label },
    ],
  },
});

describe("which node is this machine", () => {
  const nodes = [
    node("ip-10-0-0-10.ec2.internal", "10.0.0.10"),
    node("ip-10-0-0-11.ec2.internal", "10.0.0.11"),
    node("custom", "10.0.0.12", "ip-10-0-0-12"),
  ];

  test("first by InternalIP, whatever the names say", () => {
    assert.deepEqual(matchNode(nodes, { address: "10.0.0.11", names: ["ip-10-0-0-10"] }), {
      node: "ip-10-0-0-11.ec2.internal",
      rule: "InternalIP",
    });
  });

  test("then by name among hostname and FQDN, case-insensitively", () => {
    assert.deepEqual(
      matchNode(nodes, { address: "192.168.0.1", names: ["ip-10-0-0-10", "IP-10-0-0-10.ec2.internal"] }),
      {
        node: "ip-10-0-0-10.ec2.internal",
        rule: "name",
      },
    );
  });

  test("then by the kubernetes.io/hostname label", () => {
    assert.deepEqual(matchNode(nodes, { address: undefined, names: ["ip-10-0-0-12"] }), {
      node: "custom",
      rule: "hostname-label",
    });
  });

  test("when nothing matches, the problem names every rule that matched nothing", () => {
    const match = matchNode(nodes, {
      address: "10.0.9.9",
      names: ["ip-10-0-9-9", "ip-10-0-9-9.ec2.internal"],
    });
    assert.equal(match.node, undefined);
    assert.equal(
      "problem" in match ? match.problem : "",
      "this machine is not a Kubernetes node yet: no node has InternalIP 10.0.9.9; " +
        "no node is named ip-10-0-9-9 or ip-10-0-9-9.ec2.internal; " +
        "no node is labelled kubernetes.io/hostname=ip-10-0-9-9 or ip-10-0-9-9.ec2.internal " +
        "(3 node(s) registered); check that kubelet runs here and registered with the API server",
    );
  });
});
