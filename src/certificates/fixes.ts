/** Operator-facing fixes for the problems a provider can cause. Vault ≥ 1.15 config names are from
 * the vault machine charm's charmcraft.yaml (pki_allow_ip_sans, pki_allow_any_name,
 * pki_allowed_domains, pki_allow_wildcard_certificates); error codes from the charmlibs library. */

import { blocked, type Status, waiting } from "../plan/status.ts";
import type { CertificateRequest } from "./request.ts";
import { splitSans } from "./request.ts";
import type { ProviderError } from "./response.ts";

/** Status for a `request_errors` entry naming our CSR. Vault checks the common name before the
 * IP SANs and reports only the first refusal (hashicorp/vault builtin/logical/pki/issuing/
 * issue_common.go, generateCreationBundle), so a name refusal names the IP setting too: one round of
 * `juju config` instead of two. `requirerApp` is this application, for the alternative of choosing
 * a name the provider already allows. */
export function providerErrorStatus(
  error: ProviderError,
  request: CertificateRequest,
  requirerApp = "aws-iam",
): Status {
  const what = `${error.app} refused the ${request.name} certificate (${error.name})`;
  const ips = splitSans(request.sans).ips.join(", ");
  switch (error.code) {
    case 101:
      return blocked(
        `${what}: IP SAN ${ips} not allowed; run: juju config ${error.app} pki_allow_ip_sans=true`,
      );
    case 102:
      return blocked(
        `${what}: name ${request.commonName} not allowed, and IP SANs (${ips}) are checked only after it; ` +
          `run: juju config ${error.app} pki_allow_any_name=true pki_allow_ip_sans=true ` +
          `(or, instead of pki_allow_any_name, add ${request.commonName} to pki_allowed_domains, ` +
          `or pick a name it allows: juju config ${requirerApp} certificate-common-name=<name>)`,
      );
    case 103:
      return blocked(`${what}; run: juju config ${error.app} pki_allow_wildcard_certificates=true`);
    case 201:
      return waiting(`${what}: provider not available yet`);
    default:
      // vault's own text is in `reason` (its `message` is a fixed summary).
      return blocked(`${what}: ${error.reason || error.message || "no reason given"}`);
  }
}

/** How long a request may go unanswered before the status says so: a provider that refuses
 * without `request_errors` (the vault machine charm before charmlibs had them) only logs. A healthy
 * provider answers within its next hook; a sealed or unconfigured one needs the operator anyway. */
export const NO_ANSWER_AFTER_MS = 15 * 60 * 1000;

/** Blocked status for a request unanswered since `requestedAt` (ISO), naming what to check. */
export function noAnswerStatus(app: string, request: CertificateRequest, requestedAt: string): Status {
  const ips = splitSans(request.sans).ips.join(", ");
  return blocked(
    `no answer from ${app} to the ${request.name} certificate request of ${requestedAt.slice(0, 16).replace("T", " ")} UTC; ` +
      `check ${app}: \`juju status ${app}\` (active, unsealed?) and \`juju debug-log --include ${app}\` ` +
      `(an older vault only logs a refusal: allow the name ${request.commonName} and IP SANs ${ips} with ` +
      `juju config ${app} pki_allow_any_name=true pki_allow_ip_sans=true)`,
  );
}

/** Legacy providers re-issue only when the requested SANs/CN change or on an operator action. */
export function legacyReissueHint(app: string): string {
  return `ask ${app} to re-issue (vault: juju run ${app}/leader reissue-certificates)`;
}
