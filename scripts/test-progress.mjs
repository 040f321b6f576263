// A node:test reporter that says how the run is going while it goes. The spec reporter prints a file's
// tests only once every file before it has finished (the runner reports files in order), so a slow file
// at the front hides the rest for minutes. This one prints a line as each file finishes (files finish
// out of order: `test:complete` is emitted at once, unlike `test:pass`), with its wall time, and a
// heartbeat naming the files still running whenever nothing was printed for HEARTBEAT_MS.
import { relative } from "node:path";

const HEARTBEAT_MS = 10_000;
const TICK = Symbol("tick");
const SLOWEST = 5;

const seconds = (ms) => `${(ms / 1000).toFixed(1)}s`;

/** A file-level event: the runner names the test after its file. */
const isFile = (data) => data?.file !== undefined && data.name === data.file && data.nesting === 0;

/** `options.name` turns a test file's path into the name printed (the runner passes the source file of a
 * compiled one); by default the path relative to the working directory. */
export default async function* progress(source, options = {}) {
  const started = Date.now();
  /** file → when it started */
  const running = new Map();
  let total = 0;
  let done = 0;
  let failed = 0;
  /** [file, wall ms] of every finished file, for the closing list of the slowest. */
  const durations = [];
  let lastPrinted = Date.now();
  const name = options.name ?? ((file) => relative(process.cwd(), file));
  const stamp = () => `[${seconds(Date.now() - started).padStart(6)}]`;

  const events = source[Symbol.asyncIterator]();
  let next = events.next();
  for (;;) {
    let timer;
    const tick = new Promise((resolve) => {
      timer = setTimeout(resolve, HEARTBEAT_MS - (Date.now() - lastPrinted), TICK);
    });
    const item = await Promise.race([next, tick]);
    clearTimeout(timer);
    if (item === TICK) {
      const now = Date.now();
      const files = [...running].map(([file, since]) => `${name(file)} (${seconds(now - since)})`);
      lastPrinted = now;
      yield `${stamp()} ${done}/${total} files done; running: ${files.join(", ") || "-"}\n`;
      continue;
    }
    if (item.done) break;
    next = events.next();
    const { type, data } = item.value;
    if (!isFile(data)) continue;
    if (type === "test:enqueue") total += 1;
    else if (type === "test:dequeue") running.set(data.file, Date.now());
    else if (type === "test:complete") {
      running.delete(data.file);
      done += 1;
      const ok = data.details?.passed !== false;
      if (!ok) failed += 1;
      lastPrinted = Date.now();
      const ms = data.details?.duration_ms ?? 0;
      durations.push([name(data.file), ms]);
      yield `${stamp()} ${ok ? "ok  " : "FAIL"} ${done}/${total} ${name(data.file)} ${seconds(ms)}\n`;
    }
  }
  const slowest = durations.sort((a, b) => b[1] - a[1]).slice(0, SLOWEST);
  yield `${stamp()} ${done} files, ${failed} failed; slowest: ${slowest.map(([f, ms]) => `${f} ${seconds(ms)}`).join(", ")}\n`;
}
