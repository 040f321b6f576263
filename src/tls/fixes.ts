/** Operator-facing fixes for the problems a provider can cause. Vault ≥ 1.15 config names are from
 * the vault machine charm's charmcraft.yaml (pki_allow_ip_sans, pki_allow_any_name,
 * pki_allowed_domains, pki_allow_wildcard_certificates); error codes from the charmlibs library. */

import type { CertificateRequest } from "./request.ts";
import { splitSans } from "./request.ts";
import type { ProviderError } from "./response.ts";

export interface ErrorStatus {
  readonly kind: "waiting" | "blocked";
  readonly message: string;
}

/** Status for a `request_errors` entry naming our CSR. */
export function providerErrorStatus(error: ProviderError, request: CertificateRequest): ErrorStatus {
  const what = `${error.app} refused the ${request.name} certificate (${error.name})`;
  switch (error.code) {
    case 101: {
      const ips = splitSans(request.sans).ips.join(", ");
      return {
        kind: "blocked",
        message: `${what}: IP SAN ${ips} not allowed; run: juju config ${error.app} pki_allow_ip_sans=true`,
      };
    }
    case 102:
      return {
        kind: "blocked",
        message: `${what}: name ${request.commonName} not allowed; run: juju config ${error.app} pki_allow_any_name=true (or add it to pki_allowed_domains)`,
      };
    case 103:
      return {
        kind: "blocked",
        message: `${what}; run: juju config ${error.app} pki_allow_wildcard_certificates=true`,
      };
    case 201:
      return { kind: "waiting", message: `${what}: provider not available yet` };
    default:
      return { kind: "blocked", message: `${what}: ${error.message || "no reason given"}` };
  }
}

/** Legacy providers re-issue only when the requested SANs/CN change or on an operator action. */
export function legacyReissueHint(app: string): string {
  return `ask ${app} to re-issue (vault: juju run ${app}/leader reissue-certificates)`;
}
