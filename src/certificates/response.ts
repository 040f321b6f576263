/** Reads provider answers of both protocols from the remote databags into candidates. Nothing here
 * throws on provider data: malformed values become typed parse problems. */
import { csrId } from "./keys.ts";
import { pemBlocks } from "./pem.ts";
import { type CertificateRequest, type Databag, mangleUnitName } from "./request.ts";

export type Protocol = "csr" | "legacy";

export interface Candidate {
  readonly protocol: Protocol;
  readonly requestName: string;
  /** Remote app (CSR protocol) or remote unit (legacy) that published it; used in messages. */
  readonly source: string;
  /** The remote application name, for status messages. */
  readonly app: string;
  /** Leaf PEM (text dumps stripped); extra certificate blocks found next to it go to chainPems. */
  readonly certPem: string;
  readonly chainPems: readonly string[];
  readonly caPem?: string;
  /** Legacy only: the provider-generated private key. Never log or publish it. */
  readonly providerKeyPem?: string;
  readonly revoked: boolean;
}

export interface ProviderError {
  readonly requestName: string;
  readonly app: string;
  readonly code: number;
  readonly name: string;
  readonly message: string;
  readonly reason?: string;
}

export interface ParseProblem {
  readonly source: string;
  readonly key: string;
  readonly message: string;
}

export interface ParsedAnswers {
  /** Which protocol the provider speaks, from what it published; "unknown" before either answers. */
  readonly protocol: Protocol | "unknown";
  readonly candidates: readonly Candidate[];
  readonly errors: readonly ProviderError[];
  readonly problems: readonly ParseProblem[];
}

export interface ParseInput {
  readonly unitName: string;
  readonly requests: readonly CertificateRequest[];
  /** Request name → the CSR PEM we published for it (CSR protocol). */
  readonly csrs: Readonly<Record<string, string>>;
  readonly remoteApp: string;
  readonly remoteAppData: Readonly<Databag>;
  readonly remoteUnitData: Readonly<Record<string, Readonly<Databag>>>;
}

export function parseAnswers(input: ParseInput): ParsedAnswers {
  const csr = parseCsrAnswers(input);
  const legacy = parseLegacyAnswers(input);
  const protocol = csr.seen ? "csr" : legacy.seen ? "legacy" : "unknown";
  return {
    protocol,
    candidates: [...csr.candidates, ...legacy.candidates],
    errors: csr.errors,
    problems: [...csr.problems, ...legacy.problems],
  };
}

interface Found {
  seen: boolean;
  candidates: Candidate[];
  errors: ProviderError[];
  problems: ParseProblem[];
}

function parseCsrAnswers(input: ParseInput): Found {
  const app = input.remoteApp;
  const data = input.remoteAppData;
  const out: Found = { seen: false, candidates: [], errors: [], problems: [] };
  out.seen = ["certificates", "request_errors", "capabilities"].some((k) => (data[k] ?? "") !== "");
  const byId = new Map(Object.entries(input.csrs).map(([name, pem]) => [csrId(pem), name]));
  for (const entry of jsonList(data, "certificates", app, out.problems)) {
    const name = byId.get(csrId(str(entry["certificate_signing_request"])));
    if (name === undefined) continue; // another unit's entry
    const cert = str(entry["certificate"]);
    const ca = str(entry["ca"]);
    const chain = Array.isArray(entry["chain"]) ? entry["chain"].filter((c) => typeof c === "string") : [];
    if (cert === "" || ca === "") {
      out.problems.push({
        source: app,
        key: "certificates",
        message: `entry for ${name} lacks certificate or ca`,
      });
      continue;
    }
    const [leaf = "", ...extra] = pemBlocks(cert);
    out.candidates.push({
      protocol: "csr",
      requestName: name,
      source: app,
      app,
      certPem: leaf,
      chainPems: [...extra, ...chain.flatMap((c) => pemBlocks(c))],
      caPem: pemBlocks(ca)[0] ?? ca,
      revoked: entry["revoked"] === true,
    });
  }
  for (const entry of jsonList(data, "request_errors", app, out.problems)) {
    const name = byId.get(csrId(str(entry["csr"])));
    const err = entry["error"];
    if (name === undefined || typeof err !== "object" || err === null) continue;
    const e = err as Record<string, unknown>;
    out.errors.push({
      requestName: name,
      app,
      code: typeof e["code"] === "number" ? e["code"] : 999,
      name: str(e["name"]) || "OTHER",
      message: str(e["message"]),
      ...(typeof e["reason"] === "string" ? { reason: e["reason"] } : {}),
    });
  }
  return out;
}

function parseLegacyAnswers(input: ParseInput): Found {
  const me = mangleUnitName(input.unitName);
  const out: Found = { seen: false, candidates: [], errors: [], problems: [] };
  const [top, ...rest] = input.requests;
  for (const unit of Object.keys(input.remoteUnitData).sort()) {
    const d = input.remoteUnitData[unit]!;
    const keys = Object.keys(d).filter((k) => d[k] !== "");
    if (
      keys.some(
        (k) =>
          k === "ca" ||
          k === "client.cert" ||
          k.endsWith(".server.cert") ||
          k.endsWith(".processed_requests"),
      )
    ) {
      out.seen = true;
    }
    const base = { protocol: "legacy" as const, source: unit, app: input.remoteApp, revoked: false };
    const ca = pemBlocks(d["ca"] ?? "")[0];
    const chain = pemBlocks(d["chain"] ?? "");
    const push = (request: CertificateRequest, certText: string, keyText: string) => {
      const [leaf, ...extra] = pemBlocks(certText);
      if (leaf === undefined) {
        out.problems.push({
          source: unit,
          key: `${me}.server.cert`,
          message: `no certificate for ${request.name}`,
        });
        return;
      }
      out.candidates.push({
        ...base,
        requestName: request.name,
        certPem: leaf,
        chainPems: [...extra, ...chain],
        ...(ca !== undefined ? { caPem: ca } : {}),
        providerKeyPem: keyText.replace(/\r\n/g, "\n").trim(),
      });
    };
    if (top !== undefined && (d[`${me}.server.cert`] ?? "") !== "") {
      push(top, d[`${me}.server.cert`]!, d[`${me}.server.key`] ?? "");
    }
    if (rest.length === 0) continue;
    const processed = jsonObject(d, `${me}.processed_requests`, unit, out.problems);
    for (const request of rest) {
      const answer = processed[request.commonName];
      if (typeof answer !== "object" || answer === null) continue;
      const a = answer as Record<string, unknown>;
      push(request, str(a["cert"]), str(a["key"]));
    }
  }
  return out;
}

/** A JSON array of objects under `key`; a missing key is an empty list, anything malformed a problem. */
function jsonList(bag: Readonly<Databag>, key: string, source: string, problems: ParseProblem[]) {
  const value = parseJson(bag, key, source, problems);
  if (value === undefined) return [];
  if (!Array.isArray(value)) {
    problems.push({ source, key, message: "not a JSON list" });
    return [];
  }
  return value.filter((e): e is Record<string, unknown> => typeof e === "object" && e !== null);
}

function jsonObject(bag: Readonly<Databag>, key: string, source: string, problems: ParseProblem[]) {
  const value = parseJson(bag, key, source, problems);
  if (value === undefined) return {};
  if (typeof value !== "object" || value === null || Array.isArray(value)) {
    problems.push({ source, key, message: "not a JSON object" });
    return {};
  }
  return value as Record<string, unknown>;
}

function parseJson(bag: Readonly<Databag>, key: string, source: string, problems: ParseProblem[]): unknown {
  const raw = bag[key] ?? "";
  if (raw === "") return undefined;
  try {
    return JSON.parse(raw) as unknown;
  } catch {
    // Only say where: the value may hold key material.
    problems.push({ source, key, message: "not valid JSON" });
    return undefined;
  }
}

function str(v: unknown): string {
  return typeof v === "string" ? v : "";
}
