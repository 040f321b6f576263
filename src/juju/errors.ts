/** A hook tool exited non-zero. Carries what Juju said so callers can branch on it. */
export class HookToolError extends Error {
  readonly tool: string;
  readonly args: readonly string[];
  readonly exitCode: number;
  readonly stderr: string;

  constructor(tool: string, args: readonly string[], exitCode: number, stderr: string, cause?: unknown) {
    super(`\`${tool} ${args.join(" ")}\` failed with exit code ${exitCode}: ${stderr.trim()}`, { cause });
    this.name = "HookToolError";
    this.tool = tool;
    this.args = args;
    this.exitCode = exitCode;
    this.stderr = stderr;
  }

  /** Juju's "relation not found" / "unknown unit" answers, which are normal during teardown. */
  get isNotFound(): boolean {
    return /not found|unknown unit/i.test(this.stderr);
  }

  /** Juju 3.1.0–3.1.6, 3.2.x and 3.3.0 refuse --refresh (and --peek) to a secret's owner; fixed by juju
   * PR 16598 (3.1.7, 3.3.1, 3.4+). Owners there always read the latest revision. */
  get isOwnerCannotRefresh(): boolean {
    return this.stderr.includes("secret owner cannot use --refresh");
  }

  get isPermissionDenied(): boolean {
    return /permission denied|not the leader|cannot write relation settings/i.test(this.stderr);
  }
}

/** Juju refused secret content over its size limit (core/secrets/createsecret.go, CreateSecretData:
 * `base64 encoded secret content for key %q too large: %d bytes`; the limit is per value, measured
 * base64-encoded: 5 KiB, 8 KiB from juju PR 16943 (Feb 2024), about 1 MB from PR 20287 in 3.6). */
export class SecretTooLarge extends Error {
  override readonly name = "SecretTooLarge";
  readonly key: string;
  readonly bytes: number;

  constructor(key: string, bytes: number, cause: HookToolError) {
    super(`Juju refused the secret: its "${key}" value is ${bytes} bytes base64-encoded, over Juju's limit`, {
      cause,
    });
    this.key = key;
    this.bytes = bytes;
  }

  static from(error: HookToolError): SecretTooLarge | undefined {
    const match = /content for key "([^"]+)" too large: (\d+) bytes/.exec(error.stderr);
    return match ? new SecretTooLarge(match[1]!, Number(match[2]), error) : undefined;
  }
}
