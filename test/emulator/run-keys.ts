/** RSA-2048 keys made once for a whole test run, for the emulators' CAs, servers and stand-in keys.
 * Generating them was most of the CPU of the files that issue certificates (a key costs 0.1–0.4 s of a
 * core here), so scripts/run-tests.mjs writes a set to the file AWS_IAM_TEST_KEYS names, PEM after PEM,
 * and keeps it for later runs. Each key is handed out at most once in a process, as if freshly made: no
 * two holders in one process share a key (the "wrong-key" misbehaviours rely on that). Without the
 * file, or once its keys are used up, callers make their own. */
import { createPrivateKey, generateKeyPairSync, type KeyObject } from "node:crypto";
import { readFileSync } from "node:fs";

/** scripts/run-tests.mjs sets this variable (it spells the name out: it does not import TypeScript). */
const RUN_KEYS_ENV = "AWS_IAM_TEST_KEYS";

let left: KeyObject[] | undefined;

function load(): KeyObject[] {
  const file = process.env[RUN_KEYS_ENV];
  if (!file) return [];
  let text: string;
  try {
    text = readFileSync(file, "utf8");
  } catch {
    return [];
  }
  const pems = text.match(/-----BEGIN PRIVATE KEY-----[^-]+-----END PRIVATE KEY-----/g) ?? [];
  return pems.map((pem) => createPrivateKey(pem));
}

/** The next unused key of the run's set, or undefined when there is none left. */
export function takeRunKey(): KeyObject | undefined {
  left ??= load();
  return left.shift();
}

/** The next key of the run's set, or a fresh RSA-2048 key once there is none left. */
export function runKeyOrFresh(): KeyObject {
  return takeRunKey() ?? generateKeyPairSync("rsa", { modulusLength: 2048 }).privateKey;
}
