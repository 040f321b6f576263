/** What the certificates feature hands later features, and the pieces both roles' decisions share. */
import { unitTlsRecordPath } from "../machine/paths.ts";
import type { BaseObservation, Observed } from "../observe/observe.ts";
import { certificatesOf, integrateCertificates, isStatus } from "../observe/topology.ts";
import type { LogLine, Plan } from "../plan/plan.ts";
import { blocked, type Status } from "../plan/status.ts";
import { pemFile, servedChainPem } from "./pem.ts";
import { bareSecretId, encodeUnitRecord, type TlsSecret, type UnitRecord } from "./secret-content.ts";
import { expiryStatus } from "./select.ts";
import { isoDate, type ValidCertificate } from "./validate.ts";

/** The certificate this unit serves, as later features use it. */
export interface CertificateInUse {
  readonly fingerprint: string;
  readonly notAfter: string;
  /** True when this hook installed it on this unit. */
  readonly changed: boolean;
  /** The issuing CA (public): the webhook kubeconfig and the host trust store. */
  readonly caPem: string;
  /** The application that issued it (status notes name it). */
  readonly provider: string;
  /** Leader only: what the server serves (cert.pem: leaf and intermediates; key.pem). */
  readonly served?: { readonly certPem: string; readonly keyPem: string };
}

export interface CertificatesDecision {
  readonly plan: Plan;
  /** Set when the hook cannot go past certificates (or must say something about them). */
  readonly status?: Status;
  readonly certificate?: CertificateInUse;
}

/** What the operator chose for the certificate (config). */
export interface CertificateSettings {
  /** `certificate-common-name`; the loopback SANs are always added. */
  readonly commonName: string;
}

/** Randomness the decision may draw on (a new private key, a certificate_name); called only when used. */
export interface Fresh {
  readonly privateKey: () => string;
  readonly uuid: () => string;
}

export const recordFile = (base: BaseObservation): string => unitTlsRecordPath(base.context.unitName);

export function liveRelation(base: BaseObservation) {
  const relation = certificatesOf(base.juju);
  return isStatus(relation) ? undefined : relation;
}

export function ourSecretChanged(base: BaseObservation, id: string): boolean {
  return (
    base.context.name === "secret-changed" && bareSecretId(base.context.secret?.id ?? "") === bareSecretId(id)
  );
}

/** No certificates relation: blocked, naming the relation; with a certificate still valid, also
 * when it expires (it keeps being served until then). */
export function noRelation(
  observed: Observed,
  certificate: CertificateInUse | undefined,
  plan: Plan,
): CertificatesDecision {
  const missing = certificatesOf(observed.juju);
  const fallback = isStatus(missing) ? missing : blocked("missing certificates relation");
  if (certificate === undefined || expired(observed, certificate.notAfter)) return { plan, status: fallback };
  const message =
    `certificates relation missing; serving the last certificate until ${isoDate(certificate.notAfter)}; ` +
    `restore it: ${integrateCertificates(observed.context.appName)}`;
  const soon = expiryStatus(certificate.notAfter, observed.now, message);
  return { plan, status: soon ?? blocked(message), certificate };
}

export const expired = (observed: Observed, notAfter: string): boolean =>
  Date.parse(notAfter) <= observed.now.getTime();

export function inUse(
  observed: Observed,
  secret: TlsSecret,
  cert: ValidCertificate,
  changed: boolean,
): CertificateInUse | undefined {
  if (expired(observed, cert.notAfter)) return undefined;
  return {
    fingerprint: cert.fingerprint256,
    notAfter: cert.notAfter,
    changed,
    caPem: cert.caPem,
    provider: cert.app,
    ...(secret.servingKey !== undefined
      ? { served: { certPem: servedChainPem(cert), keyPem: pemFile([secret.servingKey]) } }
      : {}),
  };
}

export function recordWrite(observed: Observed, record: UnitRecord): Plan["files"] {
  return { [recordFile(observed)]: { content: encodeUnitRecord(record), mode: 0o644 } };
}

export const info = (message: string): LogLine => ({ level: "INFO", message });

export function short(fingerprint: string): string {
  return fingerprint.replaceAll(":", "").slice(0, 12).toLowerCase();
}
