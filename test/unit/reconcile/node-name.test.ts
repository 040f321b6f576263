import assert from "node:assert/strict";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { hostname, tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, test } from "node:test";
import { machineNodeName } from "../../../src/charm.ts";
import { MachineFiles } from "../../../src/machine/files.ts";

describe("the unit's Kubernetes node name", () => {
  let root: string;
  beforeEach(() => {
    root = mkdtempSync(join(tmpdir(), "aws-iam-node-name-"));
  });
  afterEach(() => rmSync(root, { recursive: true, force: true }));

  test("is the machine's /etc/hostname, trimmed and lowercased", async () => {
    mkdirSync(join(root, "etc"));
    writeFileSync(join(root, "etc/hostname"), "  Control-Plane-2\n");
    assert.equal(await machineNodeName(new MachineFiles(root)), "control-plane-2");
  });

  test("falls back to the kernel's hostname when the file is missing or empty", async () => {
    assert.equal(await machineNodeName(new MachineFiles(root)), hostname().toLowerCase());
    mkdirSync(join(root, "etc"));
    writeFileSync(join(root, "etc/hostname"), "\n");
    assert.equal(await machineNodeName(new MachineFiles(root)), hostname().toLowerCase());
  });

  test("falls back to the kernel's hostname when the file cannot be read", async () => {
    mkdirSync(join(root, "etc/hostname"), { recursive: true }); // a directory: EISDIR
    assert.equal(await machineNodeName(new MachineFiles(root)), hostname().toLowerCase());
  });
});
