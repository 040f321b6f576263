/** How a legacy tls-certificates provider (charms.reactive interface layer) reads requests from the
 * requirer unit databags: `unit_name` (else the Juju unit name) with "/"→"_" keys the answer;
 * `common_name` + JSON `sans` is the top-level server request; `cert_requests` holds the others. */
import type { Databag } from "../juju/remote-charm.ts";

export interface LegacyRequest {
  /** Mangled requirer unit name, the prefix of the answer keys. */
  readonly unitKey: string;
  readonly commonName: string;
  readonly sans: string[];
  readonly topLevel: boolean;
}

export function readLegacyRequests(
  remoteUnitData: Readonly<Record<string, Readonly<Databag>>>,
): LegacyRequest[] {
  const out: LegacyRequest[] = [];
  for (const unit of Object.keys(remoteUnitData).sort()) {
    const d = remoteUnitData[unit]!;
    const unitKey = (d["unit_name"] || unit).replaceAll("/", "_");
    const cn = d["common_name"] ?? "";
    if (cn !== "") out.push({ unitKey, commonName: cn, sans: stringList(decode(d["sans"])), topLevel: true });
    const more = decode(d["cert_requests"]);
    if (typeof more === "object" && more !== null && !Array.isArray(more)) {
      for (const [name, req] of Object.entries(more as Record<string, unknown>)) {
        const sans = typeof req === "object" && req !== null ? (req as Record<string, unknown>)["sans"] : [];
        out.push({ unitKey, commonName: name, sans: stringList(sans), topLevel: false });
      }
    }
  }
  return out;
}

/** charms.reactive's `received`: JSON-decode, falling back to the raw string. */
function decode(raw: string | undefined): unknown {
  if (raw === undefined || raw === "") return undefined;
  try {
    return JSON.parse(raw) as unknown;
  } catch {
    return raw;
  }
}

function stringList(v: unknown): string[] {
  return Array.isArray(v) ? v.filter((s): s is string => typeof s === "string") : [];
}

/** The provider re-issues when the sorted, de-duplicated SAN set (or the CN) changed. */
export function requestFingerprint(r: LegacyRequest): string {
  return JSON.stringify([r.commonName, [...new Set(r.sans)].sort()]);
}
