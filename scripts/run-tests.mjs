// Runs every test/**/*.test.ts (or the files named) with Node's own test runner, each file in its own
// process. Two reporters share stdout: spec (every test, with failures in full) and test-progress.mjs (a
// line as each file finishes and a heartbeat naming the files still running), since spec prints a file's
// tests only once every file before it has finished.
//
// The TypeScript is bundled once with esbuild into build/tests/<pid> (an entry per test file, the code they
// share split into chunks, packages left in node_modules) and the files run on plain node with source
// maps. Under tsx every file paid about a second of start-up for hooking each of its thousand module
// resolutions; the bundle takes under a second for the whole suite. Each module's import.meta.url is
// its source file's, so paths computed from it still point into the repository.
import { spawn } from "node:child_process";
import { generateKeyPair } from "node:crypto";
import {
  appendFileSync,
  existsSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from "node:fs";
import { availableParallelism } from "node:os";
import { dirname, join, relative, resolve } from "node:path";
import { PassThrough } from "node:stream";
import { finished } from "node:stream/promises";
import { run } from "node:test";
import { spec } from "node:test/reporters";
import { fileURLToPath, pathToFileURL } from "node:url";
import { promisify } from "node:util";

const REPO = resolve(dirname(fileURLToPath(import.meta.url)), "..");
/** Each run bundles into its own build/tests/<pid>, removed when it ends, so two runs never clash. */
const OUT_ROOT = join(REPO, "build/tests");
/** Each file's wall time in the last run, to start the longest first next time. */
const DURATIONS = join(REPO, "build/test-durations.json");
const COMPILED = "--compiled";
// Files in flight: one more than the cores, since every file spends part of its time waiting on the
// processes and servers it starts (easy-rsa, openssl, kubectl, the dispatch, the HTTPS emulator).
// TEST_CONCURRENCY overrides it.
const concurrency = Number(process.env.TEST_CONCURRENCY) || availableParallelism() + 1;
/** RSA keys for the emulators, made once and kept (test/emulator/run-keys.ts says why). */
const KEYS = join(REPO, "build/test-keys.pem");
/** More than any one test file uses (the most, protocol-vault-legacy, takes about 40). */
const KEY_COUNT = 48;

function findTests(dir) {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return findTests(path);
    return entry.name.endsWith(".test.ts") ? [path] : [];
  });
}

/** test/a.test.ts → build/tests/<pid>/test/a.test.js, and back. */
const compiledPath = (out, file) => join(out, relative(REPO, resolve(file)).replace(/\.ts$/, ".js"));
const sourcePath = (file) =>
  relative(REPO, file)
    .replace(/^build\/tests\/\d+\//, "")
    .replace(/\.js$/, ".ts");

/** Replaces import.meta.url/dirname/filename with the source file's own, since the bundle lives elsewhere. */
const sourceMeta = {
  name: "source-import-meta",
  setup(build) {
    build.onLoad({ filter: /\.ts$/ }, (args) => {
      if (args.path.includes("/node_modules/")) return undefined;
      const contents = readFileSync(args.path, "utf8")
        .replaceAll("import.meta.url", JSON.stringify(pathToFileURL(args.path).href))
        .replaceAll("import.meta.dirname", JSON.stringify(dirname(args.path)))
        .replaceAll("import.meta.filename", JSON.stringify(args.path));
      return { contents, loader: "ts" };
    });
  },
};

/** Removes what runs that are no longer running left in build/tests. */
function pruneOldRuns() {
  let entries = [];
  try {
    entries = readdirSync(OUT_ROOT);
  } catch {}
  for (const entry of entries) {
    let running = false;
    try {
      running = /^\d+$/.test(entry) && process.kill(Number(entry), 0);
    } catch {}
    if (!running) rmSync(join(OUT_ROOT, entry), { recursive: true, force: true });
  }
}

async function compile(files, out) {
  const { build } = await import("esbuild");
  await build({
    entryPoints: files,
    outbase: REPO,
    outdir: out,
    bundle: true,
    splitting: true,
    chunkNames: "chunks/[name]-[hash]",
    format: "esm",
    platform: "node",
    target: "node20",
    packages: "external",
    // Bundling renames clashing top-level names; keep the names classes and functions were given.
    keepNames: true,
    sourcemap: "linked",
    logLevel: "warning",
    plugins: [sourceMeta],
  });
}

async function ensureKeys() {
  let have = 0;
  try {
    have = (readFileSync(KEYS, "utf8").match(/-----BEGIN PRIVATE KEY-----/g) ?? []).length;
  } catch {}
  if (have >= KEY_COUNT) return;
  console.log(`making ${KEY_COUNT - have} RSA keys for the tests (once per checkout, kept in build/)`);
  const generate = promisify(generateKeyPair);
  const pairs = await Promise.all(
    Array.from({ length: KEY_COUNT - have }, () =>
      generate("rsa", {
        modulusLength: 2048,
        publicKeyEncoding: { type: "spki", format: "pem" },
        privateKeyEncoding: { type: "pkcs8", format: "pem" },
      }),
    ),
  );
  mkdirSync(dirname(KEYS), { recursive: true });
  appendFileSync(KEYS, pairs.map((pair) => pair.privateKey).join(""));
}

/** Without a last run to go by (a fresh checkout): the hook-sequence property and the dispatch runs take
 * longest, then the other state files and the protocol tests against real tools; unit tests are quick. */
function guessMs(file) {
  if (file.endsWith("hook-sequences.test.ts")) return 60_000;
  if (file.startsWith("test/dispatch/")) return 20_000;
  if (file.startsWith("test/state/") || /\/protocol-[^/]+\.test\.ts$/.test(file)) return 10_000;
  return 1_000;
}

/** The longest files first (by the last run's times, else guessMs), so the end of the run is not one
 * long file on one core while the other idles. */
function longestFirst(files) {
  let last = {};
  try {
    last = JSON.parse(readFileSync(DURATIONS, "utf8"));
  } catch {}
  const expected = (file) => last[file] ?? guessMs(file);
  return [...files].sort((a, b) => expected(b) - expected(a) || a.localeCompare(b));
}

/** Runs `command` to the end, its output kept; resolves to its exit code and output. */
function collect(command, args) {
  return new Promise((done) => {
    const child = spawn(command, args, { cwd: REPO, stdio: ["ignore", "pipe", "pipe"] });
    let output = "";
    child.stdout.on("data", (chunk) => {
      output += chunk;
    });
    child.stderr.on("data", (chunk) => {
      output += chunk;
    });
    child.on("close", (code) => done({ code: code ?? 1, output }));
  });
}

if (process.argv[2] !== COMPILED) {
  // --typecheck: tsc alongside the tests (one core for ~10 s that would otherwise run before them).
  const typecheck = process.argv[2] === "--typecheck";
  const only = process.argv.slice(typecheck ? 3 : 2).map((file) => relative(REPO, resolve(file)));
  const missing = only.filter((file) => !existsSync(join(REPO, file)));
  if (missing.length > 0) {
    console.error(`no such test file: ${missing.join(", ")}`);
    process.exit(1);
  }
  const files = only.length > 0 ? only : findTests(join(REPO, "test")).map((f) => relative(REPO, f));
  const types = typecheck
    ? collect(process.execPath, [
        join(REPO, "node_modules/typescript/bin/tsc"),
        "--noEmit",
        "-p",
        "tsconfig.json",
      ])
    : Promise.resolve(undefined);
  pruneOldRuns();
  const out = join(OUT_ROOT, String(process.pid));
  await Promise.all([
    compile(
      files.map((file) => join(REPO, file)),
      out,
    ),
    ensureKeys(),
  ]);
  console.log(`${files.length} test files, ${concurrency} at a time${typecheck ? "; tsc beside them" : ""}`);
  // The runner again, now with source maps on for it and (through execArgv) every test process.
  const runner = spawn(
    process.execPath,
    ["--enable-source-maps", fileURLToPath(import.meta.url), COMPILED, out, ...longestFirst(files)],
    { stdio: "inherit", cwd: REPO, env: { ...process.env, AWS_IAM_TEST_KEYS: KEYS } },
  );
  const [tests, checked] = await Promise.all([
    new Promise((done) => runner.on("close", (code) => done(code ?? 1))),
    types,
  ]);
  if (checked !== undefined) {
    console.log(`typecheck (tsc --noEmit, beside the tests): ${checked.code === 0 ? "ok" : "FAILED"}`);
    if (checked.code !== 0) console.log(checked.output);
  }
  rmSync(out, { recursive: true, force: true });
  process.exit(tests !== 0 ? tests : (checked?.code ?? 0));
}

const [out, ...files] = process.argv.slice(3);
const progress = (await import("./test-progress.mjs")).default;

let failed = false;
const durations = {};
const tests = run({ files: files.map((file) => compiledPath(out, file)), concurrency });
const toSpec = new PassThrough({ objectMode: true });
const toProgress = new PassThrough({ objectMode: true });
tests.on("data", (event) => {
  const { type, data } = event;
  if (type === "test:fail" && data.todo === undefined && data.skip === undefined) failed = true;
  if (type === "test:complete" && data.nesting === 0 && data.file !== undefined && data.name === data.file) {
    durations[sourcePath(data.file)] = data.details?.duration_ms ?? 0;
  }
  toSpec.write(event);
  toProgress.write(event);
});
tests.on("end", () => {
  toSpec.end();
  toProgress.end();
});
const outputs = [
  toSpec.compose(new spec()),
  toProgress.compose((source) => progress(source, { name: sourcePath })),
];
for (const output of outputs) output.pipe(process.stdout, { end: false });
await Promise.all(outputs.map((output) => finished(output)));

let known = {};
try {
  known = JSON.parse(readFileSync(DURATIONS, "utf8"));
} catch {}
mkdirSync(dirname(DURATIONS), { recursive: true });
writeFileSync(DURATIONS, `${JSON.stringify({ ...known, ...durations }, null, 1)}\n`);
process.exitCode = failed ? 1 : 0;
