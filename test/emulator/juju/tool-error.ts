/** How a hook tool fails: Juju prints `ERROR <message>` on stderr and exits 2 for
 * argument errors (gnuflag/Init) and 1 for errors while running. */
export class ToolError extends Error {
  readonly exitCode: number;
  constructor(message: string, exitCode: number) {
    super(message);
    this.name = "ToolError";
    this.exitCode = exitCode;
  }
}

/** An argument/usage error: exit 2. */
export function usageError(message: string): ToolError {
  return new ToolError(message, 2);
}

/** A run-time error: exit 1. */
export function runError(message: string): ToolError {
  return new ToolError(message, 1);
}

/** Go's %q for the plain strings we quote in messages. */
export function quote(value: string): string {
  return JSON.stringify(value);
}
