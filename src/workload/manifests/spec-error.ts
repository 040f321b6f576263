/** The charm's desired state cannot be rendered; every problem is listed so the operator fixes them in one go. */
export class InvalidSpecError extends Error {
  readonly problems: readonly string[];

  constructor(problems: readonly string[]) {
    super(`invalid authenticator settings: ${problems.join("; ")}`);
    this.name = "InvalidSpecError";
    this.problems = problems;
  }
}
