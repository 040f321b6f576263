// Runs every test/**/*.test.ts with Node's own test runner (TypeScript through tsx). Two reporters
// share stdout: spec (every test, with failures in full) and test-progress.mjs (a line as each file
// finishes and a heartbeat naming the files still running), since spec prints a file's tests only
// once every file before it has finished.
import { spawnSync } from "node:child_process";
import { readdirSync } from "node:fs";
import { availableParallelism } from "node:os";
import { join } from "node:path";

function findTests(dir) {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return findTests(path);
    return entry.name.endsWith(".test.ts") ? [path] : [];
  });
}

// Files in flight: one more than the cores, since every file spends part of its time waiting on the
// processes and servers it starts (easy-rsa, openssl, kubectl, the dispatch, the HTTPS emulator).
// On the 2-core machine, 3 in flight finish the suite's ~510 s of file time in ~171 s. TEST_CONCURRENCY
// overrides it.
const concurrency = Number(process.env.TEST_CONCURRENCY) || availableParallelism() + 1;
const only = process.argv.slice(2);
const files = only.length > 0 ? only : findTests("test").sort();
const reporters = [
  ["spec", "stdout"],
  [new URL("./test-progress.mjs", import.meta.url).pathname, "stdout"],
].flatMap(([reporter, destination]) => [
  `--test-reporter=${reporter}`,
  `--test-reporter-destination=${destination}`,
]);
const result = spawnSync(
  process.execPath,
  ["--import", "tsx", "--test", `--test-concurrency=${concurrency}`, ...reporters, ...files],
  { stdio: "inherit" },
);
process.exit(result.status ?? 1);
