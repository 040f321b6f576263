/** charms.reactive Endpoint encoding (juju-solutions/charms.reactive charms/reactive/endpoints.py
 * JSONUnitDataView): `to_publish` stores `json.dumps(value, sort_keys=True)` (__setitem__); `received`
 * JSON-decodes and, when a value is not valid JSON, returns the raw string (__getitem__). We record which
 * path each value took. */
import { pyJsonDumps } from "./python-json.ts";

export interface ReceivedValue {
  /** What charms.reactive hands the charm (undefined = key absent → None). */
  readonly value: unknown;
  readonly raw?: string;
  /** True when the raw string was not JSON and reactive fell back to it. */
  readonly notJson: boolean;
}

export function received(raw: string | undefined): ReceivedValue {
  if (raw === undefined) return { value: undefined, notJson: false };
  try {
    return { value: JSON.parse(raw), raw, notJson: false };
  } catch {
    return { value: raw, raw, notJson: true };
  }
}

export function toPublish(value: unknown): string {
  return pyJsonDumps(value, { sortKeys: true });
}

/** Python truthiness of a decoded value, as the interface's `all(...)` checks use. */
export function truthy(value: unknown): boolean {
  if (value === undefined || value === null || value === false || value === 0 || value === "") return false;
  if (Array.isArray(value)) return value.length > 0;
  if (typeof value === "object") return Object.keys(value).length > 0;
  return true;
}
