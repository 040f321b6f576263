/** When the CSR protocol needs a new CSR (pure: the caller holds the key and the current CSR). */
import { csrMatchesKey, csrMatchesRequest } from "./keys.ts";
import type { CertificateRequest } from "./request.ts";

export type CsrReason = "missing" | "request-changed" | "key-changed" | "renewal" | "re-request";
export type CsrPlan =
  | { readonly action: "keep" }
  | { readonly action: "new-csr"; readonly reason: CsrReason };

export interface CsrPlanInput {
  readonly request: CertificateRequest;
  readonly keyPem: string;
  readonly currentCsrPem?: string;
  /** When the current CSR was made (ISO). */
  readonly csrCreatedAt?: string;
  /** The certificate in use, if it came over the CSR protocol. */
  readonly active?: { readonly notBefore: string; readonly notAfter: string };
  /** Selection.reRequest (bad or revoked answer). */
  readonly reRequest?: boolean;
  readonly now: Date;
}

/** Renew when 1/3 of the validity is left (the v3 library's default notification point). */
export function renewAt(active: { readonly notBefore: string; readonly notAfter: string }): Date {
  const from = Date.parse(active.notBefore);
  const to = Date.parse(active.notAfter);
  return new Date(to - (to - from) / 3);
}

export function planCsr(input: CsrPlanInput): CsrPlan {
  const csr = input.currentCsrPem;
  if (csr === undefined || csr === "") return { action: "new-csr", reason: "missing" };
  if (!csrMatchesRequest(csr, input.request)) return { action: "new-csr", reason: "request-changed" };
  if (!csrMatchesKey(csr, input.keyPem)) return { action: "new-csr", reason: "key-changed" };
  if (input.reRequest === true) return { action: "new-csr", reason: "re-request" };
  if (input.active !== undefined) {
    const due = renewAt(input.active).getTime();
    const made = input.csrCreatedAt !== undefined ? Date.parse(input.csrCreatedAt) : 0;
    // Only one renewal CSR per certificate: a CSR made after the renewal point is the renewal.
    if (input.now.getTime() >= due && made < due) return { action: "new-csr", reason: "renewal" };
  }
  return { action: "keep" };
}
