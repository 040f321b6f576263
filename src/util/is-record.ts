/** A JSON or YAML mapping (not null, not a list): what decoded documents are checked with before use. */
export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}
