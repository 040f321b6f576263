/** The packed charm holds bin/node and lib/node_modules/aws-iam/{package.json,dist} only (charmcraft.yaml
 * `prime`): the built bundle must run the hooks that make the private key and the CSR from that layout,
 * with no node_modules reachable and NODE_PATH unset. The layout is copied to a temp dir and the hooks
 * run through its `dispatch`, as Juju runs them. */
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import {
  copyFileSync,
  cpSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from "node:fs";
import { builtinModules } from "node:module";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { after, before, test } from "node:test";
// @ts-expect-error: a plain ES module script, without types
import { LAZY_BUNDLES } from "../../scripts/charm-bundle.mjs";
import { viaDispatch } from "../emulator/juju/hook-runner.ts";
import { REPO_ROOT, writeToolShims } from "../emulator/juju/tool-shims.ts";
import { charmDeployment } from "../support/deployments.ts";
import { csrProvider } from "../support/providers.ts";

const DIST = join(REPO_ROOT, "dist");
let dir: string;
let charmDir: string;

before(() => {
  assert.ok(existsSync(join(DIST, "dispatch.js")), "run `npm run build` first");
  dir = mkdtempSync(join(tmpdir(), "aws-iam-packed-"));
  charmDir = join(dir, "charm");
  const pkg = join(charmDir, "lib", "node_modules", "aws-iam");
  mkdirSync(join(charmDir, "bin"), { recursive: true });
  mkdirSync(pkg, { recursive: true });
  symlinkSync(process.execPath, join(charmDir, "bin", "node"));
  copyFileSync(join(REPO_ROOT, "dispatch"), join(charmDir, "dispatch"));
  copyFileSync(join(REPO_ROOT, "package.json"), join(pkg, "package.json"));
  cpSync(DIST, join(pkg, "dist"), { recursive: true });
});
after(() => rmSync(dir, { recursive: true, force: true }));

test("no node_modules is reachable from the packed layout (else the last test proves nothing)", () => {
  const from = join(charmDir, "lib", "node_modules", "aws-iam", "dist", "chunks");
  for (let d = from; ; d = dirname(d)) {
    for (const name of ["node-forge", "js-yaml", "@kubernetes/client-node"])
      assert.equal(existsSync(join(d, "node_modules", name)), false, `${d}/node_modules/${name} exists`);
    if (dirname(d) === d) break;
  }
});

// Optional peers that client-node's dependencies require inside try/catch and do without.
const OPTIONAL = new Set(["encoding", "supports-color", "bufferutil", "utf-8-validate"]);

test("every module the bundle loads by bare name is a Node built-in (or an optional peer)", () => {
  const builtins = new Set([...builtinModules, ...builtinModules.map((m) => `node:${m}`)]);
  const chunks = readdirSync(join(DIST, "chunks")).map((f) => join(DIST, "chunks", f));
  const bare: string[] = [];
  for (const file of [join(DIST, "dispatch.js"), ...chunks]) {
    const text = readFileSync(file, "utf8");
    // Calls in code, not in strings (ajv's runtime functions carry their own source as text).
    const uses =
      /(?<!['"\w])(?:require|requireModule|__require|import)\("([^"./][^"]*)"\)|^import[^;"]*from\s*"([^"./][^"]*)"/gm;
    for (const m of text.matchAll(uses)) {
      const name = m[1] ?? m[2] ?? "";
      if (!builtins.has(name) && !OPTIONAL.has(name)) bare.push(`${file.slice(DIST.length + 1)}: ${name}`);
    }
  }
  assert.deepEqual(bare, []);
});

test("the Kubernetes client is tree-shaken: no chunk carries client-node's generated API clients", () => {
  // A namespace import of client-node (e.g. `await import("@kubernetes/client-node")`) keeps every generated
  // API (14 MB); the charm uses only KubeConfig and KubernetesObjectApi.
  const chunks = readdirSync(join(DIST, "chunks")).filter((f) => f.endsWith(".js"));
  const carrying = chunks.filter((f) =>
    readFileSync(join(DIST, "chunks", f), "utf8").includes("ObservableCoreV1Api"),
  );
  assert.deepEqual(carrying, []);
});

test("every library the charm requires on first use is bundled beside the chunks and loads on its own", () => {
  // src/util/lazy-module.ts requires these by name; the packed charm only has what LAZY_BUNDLES maps.
  const required = new Set<string>();
  const walk = (folder: string): void => {
    for (const entry of readdirSync(folder, { withFileTypes: true })) {
      const path = join(folder, entry.name);
      if (entry.isDirectory()) walk(path);
      else
        for (const m of readFileSync(path, "utf8").matchAll(/lazyModule<[^>]*>\("([^"]+)"\)/g))
          required.add(m[1]!);
    }
  };
  walk(join(REPO_ROOT, "src"));
  const libraries = [...required].filter((name) => !name.startsWith("node:"));
  assert.deepEqual(libraries.sort(), Object.keys(LAZY_BUNDLES).sort());
  const chunks = join(charmDir, "lib", "node_modules", "aws-iam", "dist", "chunks");
  const members: Record<string, string> = { "node-forge": "pki", "js-yaml": "dump" };
  for (const [name, file] of Object.entries(LAZY_BUNDLES as Record<string, string>)) {
    // A fresh node in the packed layout, where no node_modules is reachable.
    const child = spawnSync(
      process.execPath,
      [
        "-e",
        `process.stdout.write(typeof require(${JSON.stringify(join(chunks, file))})[${JSON.stringify(members[name])}])`,
      ],
      { cwd: dir, encoding: "utf8", env: { PATH: process.env["PATH"] ?? "" } },
    );
    assert.equal(child.status, 0, `${file}: ${child.stderr}`);
    assert.match(child.stdout, /^(function|object)$/, `${file} exports ${members[name]}`);
  }
});

test("the packed charm makes the leader's key and CSR through its own dispatch", async () => {
  const { d, integration } = charmDeployment({
    generation: "current",
    units: 1,
    extraApps: [csrProvider({ flavour: "self-signed" })],
  });
  await d.integrate(...integration);
  await d.settle();
  const relationId = await d.integrate("aws-iam:certificates", "self-signed-certificates:certificates");
  const binDir = join(dir, "bin");
  writeToolShims(binDir);
  d.useExecutor(viaDispatch({ charmDir, workDir: dir, binDir }));
  const steps = await d.settle();

  const ours = steps.filter((s) => s.event.kind === "hook" && s.event.spec.unit.startsWith("aws-iam/"));
  assert.ok(ours.length > 0, "aws-iam hooks ran through the packed dispatch");
  for (const step of ours) {
    assert.equal(step.result?.exitCode, 0, `${step.description}: ${step.result?.stderr}`);
  }
  const relation = d.state.relations.find((r) => r.id === relationId)!;
  const sent = JSON.stringify([relation.appData["aws-iam"], relation.unitData["aws-iam/0"]]);
  assert.match(sent, /BEGIN CERTIFICATE REQUEST/);
  assert.notEqual(d.state.units["aws-iam/0"]!.status.status, "error");
});

test("an idle hook loads neither js-yaml nor node-forge (each is a good part of a hook's start-up)", async () => {
  const { d, integration } = charmDeployment({
    generation: "current",
    units: 1,
    extraApps: [csrProvider({ flavour: "self-signed" })],
  });
  await d.integrate(...integration);
  await d.integrate("aws-iam:certificates", "self-signed-certificates:certificates");
  await d.settle();
  // A preload that writes down, when the hook's process exits, every file it required.
  const probe = join(dir, "loaded-probe.cjs");
  const loaded = join(dir, "loaded.txt");
  writeFileSync(
    probe,
    `process.on("exit", () => require("node:fs").writeFileSync(${JSON.stringify(loaded)}, Object.keys(require.cache).join("\\n")));\n`,
  );
  const binDir = join(dir, "bin-idle");
  writeToolShims(binDir);
  d.useExecutor(viaDispatch({ charmDir, workDir: dir, binDir, env: { NODE_OPTIONS: `--require ${probe}` } }));
  const [step] = await d.updateStatus("aws-iam");
  assert.equal(step?.result?.exitCode, 0, step?.result?.stderr);
  const files = readFileSync(loaded, "utf8").split("\n");
  assert.ok(
    files.some((f) => f.includes(`${join("dist", "chunks")}`)),
    "the probe saw the charm's chunks",
  );
  const lazy = Object.values(LAZY_BUNDLES as Record<string, string>);
  assert.deepEqual(
    files.filter((f) => lazy.some((bundle) => f.endsWith(bundle))),
    [],
    "lazily loaded libraries an idle update-status required",
  );
});
