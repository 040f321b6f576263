import { pyJsonDumps } from "./python-json.ts";

/** Switches that make a provider stand-in misbehave on the wire. CA rotation and revocation are
 * one-shot actions (methods on each stand-in) rather than switches. */
export type Misbehaviour =
  /** Hand out a certificate whose validity ended yesterday. */
  | "expired"
  /** Publish a certificate for a different key than the one we hold (or the one published). */
  | "wrong-key"
  /** Leave one requested SAN (the first in sorted order) out of the certificate. */
  | "missing-san"
  /** Publish the JSON-valued answer key as broken JSON. */
  | "malformed-json";

/** The text a legacy provider (a Python charm) publishes for a JSON value: juju-solutions/charms.reactive
 * charms/reactive/endpoints.py `JSONUnitDataView.__setitem__` stores `json.dumps(value, sort_keys=True)`
 * (python/cpython Lib/json/encoder.py, ensure_ascii: py_encode_basestring_ascii; see python-json.ts). */
export function pythonJson(value: unknown): string {
  return pyJsonDumps(value, { sortKeys: true });
}

/** Under "missing-san" the first SAN in sorted order is dropped (127.0.0.1 for the authenticator). */
export function sansFor(sans: readonly string[], misbehave: ReadonlySet<Misbehaviour>): string[] {
  if (!misbehave.has("missing-san")) return [...sans];
  const drop = [...sans].sort()[0];
  return sans.filter((s) => s !== drop);
}

export const MALFORMED_JSON = '{"truncated": ';
