/** What the charm asks the certificates provider for, and the requirer's relation writes for
 * both wire protocols of the `tls-certificates` interface (neither has a version field, so the
 * requesting unit publishes both forms; each provider ignores the other's keys). */
import { ipFamily } from "../util/ip.ts";
import { encodeReactive as pythonJson } from "../util/python-json.ts";

export interface CertificateRequest {
  /** Our own handle, e.g. "authenticator" (a second one, "webhook", is expected later). */
  readonly name: string;
  readonly commonName: string;
  /** DNS names and IP addresses, normalised by {@link normalizeSans}. */
  readonly sans: readonly string[];
}

/** A relation databag: every value is a string; "" deletes the key (relation-set). */
export type Databag = Record<string, string>;

export const AUTHENTICATOR_REQUEST_NAME = "authenticator";
export const DEFAULT_AUTHENTICATOR_CN = "aws-iam-authenticator";
/** The authenticator listens on loopback on every control-plane node. */
export const AUTHENTICATOR_SANS: readonly string[] = ["127.0.0.1", "localhost"];

export interface DesiredRequestsInput {
  readonly commonName?: string;
  /** Extra SANs for the authenticator certificate (config, future designs). */
  readonly extraSans?: readonly string[];
  /** Further certificates (e.g. the IRSA webhook); each needs a distinct name and CN. */
  readonly additional?: readonly CertificateRequest[];
}

/** The certificates we want, in a stable order: the first one is the legacy "top-level" request. */
export function desiredRequests(input: DesiredRequestsInput = {}): CertificateRequest[] {
  const first: CertificateRequest = {
    name: AUTHENTICATOR_REQUEST_NAME,
    commonName: input.commonName ?? DEFAULT_AUTHENTICATOR_CN,
    sans: normalizeSans([...AUTHENTICATOR_SANS, ...(input.extraSans ?? [])]),
  };
  const rest = (input.additional ?? []).map((r) => ({ ...r, sans: normalizeSans(r.sans) }));
  const all = [first, ...rest];
  // Legacy answers are keyed by CN and easyrsa names its files after the CN: CNs must be unique.
  const cns = new Set(all.map((r) => r.commonName));
  const names = new Set(all.map((r) => r.name));
  if (cns.size !== all.length || names.size !== all.length) {
    throw new Error("certificate requests need distinct names and common names");
  }
  return all;
}

/** Sorted, de-duplicated SANs; DNS names lower-cased. Providers compare SAN sets, so a stable
 * order keeps our databag from changing on every hook. */
export function normalizeSans(sans: readonly string[]): string[] {
  const out = new Set<string>();
  for (const raw of sans) {
    const s = raw.trim();
    if (s === "") continue;
    out.add(ipFamily(s) ? s : s.toLowerCase());
  }
  return [...out].sort();
}

export function splitSans(sans: readonly string[]): { dns: string[]; ips: string[] } {
  return { dns: sans.filter((s) => ipFamily(s) === 0), ips: sans.filter((s) => ipFamily(s) !== 0) };
}

/** Legacy providers key their answers by the requirer unit name with "/" replaced by "_". */
export function mangleUnitName(unitName: string): string {
  return unitName.replaceAll("/", "_");
}

/** Every key this requirer may write to its unit databag (anything else is Juju's or someone else's). */
export const REQUIRER_KEYS = [
  "unit_name",
  "common_name",
  "sans",
  "certificate_name",
  "cert_requests",
  "certificate_signing_requests",
] as const;

export interface RequesterWritesInput {
  readonly unitName: string;
  readonly requests: readonly CertificateRequest[];
  /** Request name → our CSR PEM (CSR protocol); requests without one are legacy-only for now. */
  readonly csrs: Readonly<Record<string, string>>;
  /** Stable UUID; legacy providers read it for the top-level request (reuse one already published). */
  readonly certificateName: string;
}

/** The full target state of our unit databag on the requesting unit (leader). Keys we own but do
 * not need are set to "" so that a diff deletes them. Never contains private key material. */
export function requesterWrites(input: RequesterWritesInput): Databag {
  const [top, ...rest] = input.requests;
  const out: Databag = withdrawWrites(input.unitName);
  if (top === undefined) return out;
  out["common_name"] = top.commonName;
  out["sans"] = pythonJson([...top.sans]);
  out["certificate_name"] = input.certificateName;
  if (rest.length > 0) {
    out["cert_requests"] = pythonJson(
      Object.fromEntries(rest.map((r) => [r.commonName, { sans: [...r.sans] }])),
    );
  }
  const csrs = input.requests.flatMap((r) => {
    const pem = input.csrs[r.name];
    // `ca` must be present: pydantic-v2 providers drop the whole databag without it.
    return pem === undefined ? [] : [{ certificate_signing_request: tidyPem(pem), ca: false }];
  });
  if (csrs.length > 0) out["certificate_signing_requests"] = JSON.stringify(csrs);
  assertNoPrivateKey(out);
  return out;
}

/** What a unit that is not (or no longer) the requester publishes: only its unit name, which legacy
 * providers need across models. */
export function withdrawWrites(unitName: string): Databag {
  const out: Databag = Object.fromEntries(REQUIRER_KEYS.map((k) => [k, ""]));
  out["unit_name"] = mangleUnitName(unitName);
  return out;
}

/** Minimal relation-set: only keys whose value differs from the current databag ("" = delete). */
export function databagDiff(current: Readonly<Databag>, target: Readonly<Databag>): Databag {
  const out: Databag = {};
  for (const [k, v] of Object.entries(target)) {
    if ((current[k] ?? "") !== v) out[k] = v;
  }
  return out;
}

/** LF line endings and no trailing whitespace: v3 providers compare CSR strings verbatim after strip(). */
export function tidyPem(pem: string): string {
  return pem.replace(/\r\n/g, "\n").trim();
}

function assertNoPrivateKey(bag: Databag): void {
  if (Object.values(bag).some((v) => v.includes("PRIVATE KEY"))) {
    throw new Error("refusing to publish private key material to relation data");
  }
}
