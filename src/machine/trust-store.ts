// The host's CA trust store (Debian/Ubuntu ca-certificates): our CA in
// /usr/local/share/ca-certificates, then `update-ca-certificates` rebuilds /etc/ssl/certs (the bundle
// OpenSSL, and so CK's auth-webhook, trusts by default). Without it CK's auth-webhook still reaches the
// authenticator, but only through its "retry with verification off" fallback. The file may hold more
// than one certificate (the provider's intermediate, then the root-ca-certificate above it):
// update-ca-certificates' add() appends each file whole to /etc/ssl/certs/ca-certificates.crt, the
// bundle OpenSSL's default verify paths load (ca-certificates, /usr/sbin/update-ca-certificates); only
// its hashed symlink is skipped by `openssl rehash`, which wants one certificate per file.
import type { MachineFiles } from "./files.ts";
import { PATHS } from "./paths.ts";

/** Runs one command, argv array, no shell; rejects when it fails. */
export type RunCommand = (command: string, args: readonly string[]) => Promise<void>;

export class TrustStoreError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = "TrustStoreError";
  }
}

export const UPDATE_CA_CERTIFICATES = "update-ca-certificates";

/** The production runner (execa, loaded only when a hook changes the trust store). */
export const execCommand: RunCommand = async (command, args) => {
  const { execa } = await import("execa");
  const result = await execa(command, [...args], { reject: false, encoding: "utf8" });
  if (result.exitCode !== 0 || result.failed) {
    const why = result.stderr.trim() || (result.cause instanceof Error ? result.cause.message : "");
    throw new TrustStoreError(`${command} exited ${result.exitCode ?? "abnormally"}: ${why.slice(0, 300)}`);
  }
};

/** Skips the command. */
const skip: RunCommand = async () => {};

/**
 * The runner to use for a machine: the real command only when the machine root is "/". Under any other
 * root (tests: a temp dir per emulated machine) the CA file lands in that temp dir, and running the real
 * update-ca-certificates would rebuild the trust store of the machine the tests run on instead.
 */
export function defaultRunCommand(files: MachineFiles): RunCommand {
  return files.root === "/" ? execCommand : skip;
}

export type TrustStoreChange = "installed" | "removed" | "unchanged";

/**
 * Puts `caPem` (already normalised: one or more CA certificates) in the host trust store, or takes ours
 * out when `caPem` is undefined. Runs update-ca-certificates only when the file changed. If the command
 * fails the file is taken back out, so the next hook tries again, and the error is thrown.
 */
export async function syncHostTrust(
  files: MachineFiles,
  caPem: string | undefined,
  run: RunCommand = defaultRunCommand(files),
): Promise<TrustStoreChange> {
  const changed =
    caPem === undefined
      ? await files.remove(PATHS.hostTrustedCa)
      : await files.write(PATHS.hostTrustedCa, caPem, 0o644);
  if (!changed) return "unchanged";
  try {
    await run(UPDATE_CA_CERTIFICATES, []);
  } catch (error) {
    if (caPem !== undefined) await files.remove(PATHS.hostTrustedCa);
    throw error instanceof TrustStoreError
      ? error
      : new TrustStoreError(`${UPDATE_CA_CERTIFICATES} failed`, { cause: error });
  }
  return caPem === undefined ? "removed" : "installed";
}
