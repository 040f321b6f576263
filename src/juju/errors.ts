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

  get isPermissionDenied(): boolean {
    return /permission denied|not the leader|cannot write relation settings/i.test(this.stderr);
  }
}
