/** The certificates feature, pure: the leader requests the authenticator's server certificate over
 * both tls-certificates protocols, validates every answer and keeps key, CSR and the certificate in
 * use in one application-owned Juju secret; peers learn of a new certificate through non-secret keys
 * in the peer application databag and read the secret only then. No private key ever goes to relation
 * data, a status or a log line. */
import { unitTlsRecordPath } from "../machine/paths.ts";
import type { BaseObservation, Need, Observed } from "../observe/observe.ts";
import { certificatesOf, isStatus } from "../observe/topology.ts";
import type { PeerAppWrite } from "../plan/peer-databag.ts";
import type { LogLine, Plan } from "../plan/plan.ts";
import { blocked, type Status } from "../plan/status.ts";
import { planCsr } from "./csr-plan.ts";
import { legacyReissueHint } from "./fixes.ts";
import { createCsrPem } from "./keys.ts";
import { pemFile, servedChainPem } from "./pem.ts";
import { DEFAULT_AUTHENTICATOR_CN, desiredRequests, requesterWrites, withdrawWrites } from "./request.ts";
import { parseAnswers } from "./response.ts";
import {
  bareSecretId,
  decodeTlsSecret,
  decodeUnitRecord,
  encodeTlsSecret,
  encodeUnitRecord,
  recordOf,
  servingKeyOf,
  TLS_SECRET_DESCRIPTION,
  TLS_SECRET_LABEL,
  type TlsSecret,
  type UnitRecord,
} from "./secret-content.ts";
import { EXPIRY_WARNING_MS, selectCertificate, waitingForCertificate } from "./select.ts";
import { isoDate, type ValidCertificate } from "./validate.ts";

export { TLS_SECRET_LABEL } from "./secret-content.ts";

/** The certificate this unit serves, as later features use it. */
export interface CertificateInUse {
  readonly fingerprint: string;
  readonly notAfter: string;
  /** True when this hook installed it on this unit. */
  readonly changed: boolean;
  /** The issuing CA (public): the webhook kubeconfig and the host trust store. */
  readonly caPem: string;
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

const recordFile = (base: BaseObservation): string => unitTlsRecordPath(base.context.unitName);

/** Reads the certificates feature wants before deciding: the secret, only when it may matter. */
export function certificateNeeds(base: BaseObservation): Need[] {
  const id = base.peerApp.tlsSecretId;
  const live = liveRelation(base) !== undefined;
  if (base.juju.leader) return id !== undefined || live ? [{ kind: "tls-secret", id }] : [];
  if (id === undefined || base.peerApp.tlsFingerprint === undefined) return [];
  const record = decodeUnitRecord(base.files[recordFile(base)]);
  const stale = record?.fingerprint !== base.peerApp.tlsFingerprint;
  return stale || ourSecretChanged(base, id) || base.peerApp.tlsCa === undefined
    ? [{ kind: "tls-secret", id }]
    : [];
}

export function decideCertificates(
  observed: Observed,
  settings: CertificateSettings = { commonName: DEFAULT_AUTHENTICATOR_CN },
  fresh: Fresh,
): CertificatesDecision {
  const part = observed.juju.leader ? leader(observed, settings, fresh) : follower(observed);
  const revisions = observed.juju.leader ? oldRevision(observed) : undefined;
  if (revisions === undefined) return part;
  return {
    ...part,
    plan: { ...part.plan, ...revisions, logs: [...(revisions.logs ?? []), ...(part.plan.logs ?? [])] },
  };
}

// --- leader -----------------------------------------------------------------------------------

function leader(observed: Observed, settings: CertificateSettings, fresh: Fresh): CertificatesDecision {
  const relation = liveRelation(observed);
  const secretId = observed.peerApp.tlsSecretId ?? observed.tlsSecret?.id;
  const stored = decodeTlsSecret(observed.tlsSecret?.content ?? {});
  const lastGood = stored.certificate;
  if (relation === undefined) {
    if (secretId === undefined) return noRelation(observed, undefined, {});
    const plan: Plan = {
      peerApp: shared(secretId, lastGood, observed.peerApp.tlsReRequestFor),
      ...(lastGood !== undefined ? { files: recordWrite(observed, recordOf(lastGood)) } : {}),
    };
    return noRelation(
      observed,
      lastGood && inUse(observed, stored, lastGood, false),
      plan,
      lastGood && recordOf(lastGood),
    );
  }

  const now = observed.now;
  const logs: LogLine[] = [];
  const request = desiredRequests({ commonName: settings.commonName })[0]!;
  const app = relation.remoteApp ?? "the provider";
  let keyPem = stored.requestKey;
  if (keyPem === undefined) {
    keyPem = fresh.privateKey();
    logs.push(info("generated the authenticator's private key (kept in a Juju secret)"));
  }
  const answers = parseAnswers({
    unitName: observed.context.unitName,
    requests: [request],
    csrs: stored.csr !== undefined ? { [request.name]: stored.csr } : {},
    remoteApp: app,
    remoteAppData: relation.remoteAppData,
    remoteUnitData: relation.remoteUnitData,
  });
  const alreadyReRequested = observed.peerApp.tlsReRequestFor;
  const selection = selectCertificate({
    request,
    answers,
    remoteApp: app,
    ourKeyPem: keyPem,
    ...(lastGood !== undefined ? { lastGood } : {}),
    ...(alreadyReRequested !== undefined ? { reRequestedFor: alreadyReRequested } : {}),
    requirerApp: observed.context.appName,
    // The request time lives in the secret beside the CSR, so it survives hooks and leader changes;
    // a new CSR (name changed, renewal, re-request) restarts the clock.
    ...(stored.csr !== undefined && stored.csrCreated ? { requestedAt: stored.csrCreated } : {}),
    now,
  });
  const reRequest = selection.reRequest && alreadyReRequested === undefined;
  const csrPlan = planCsr({
    request,
    keyPem,
    ...(stored.csr !== undefined ? { currentCsrPem: stored.csr } : {}),
    ...(stored.csrCreated ? { csrCreatedAt: stored.csrCreated } : {}),
    ...(selection.use?.protocol === "csr" ? { active: selection.use } : {}),
    reRequest,
    now,
  });
  let next: TlsSecret = { ...stored, requestKey: keyPem };
  if (csrPlan.action === "new-csr") {
    next = { ...next, csr: createCsrPem(request, keyPem), csrCreated: now.toISOString() };
    logs.push(info(`asking ${app} for a certificate (${csrPlan.reason})`));
  }
  const installing = selection.install && selection.use !== undefined ? selection.use : undefined;
  if (installing !== undefined) {
    next = { ...next, certificate: installing, servingKey: servingKeyOf(installing, keyPem) };
    logs.push(
      info(
        `installed certificate ${short(installing.fingerprint256)} from ${installing.app} ` +
          `(${installing.protocol} protocol), valid until ${installing.notAfter}`,
      ),
    );
  }
  const installed = next.certificate;
  let reRequestFor = alreadyReRequested;
  if (installed !== undefined && selection.install) reRequestFor = undefined;
  else if (reRequest && csrPlan.action === "new-csr" && selection.reRequestFor !== undefined) {
    reRequestFor = selection.reRequestFor;
  }
  const certificate = installed && inUse(observed, next, installed, selection.install);
  const plan: Plan = {
    secret: {
      label: TLS_SECRET_LABEL,
      description: TLS_SECRET_DESCRIPTION,
      content: encodeTlsSecret(next),
      shareIdAs: "tlsSecretId",
    },
    unitData: {
      [relation.ref]: requesterWrites({
        unitName: observed.context.unitName,
        requests: [request],
        csrs: { [request.name]: next.csr! },
        certificateName: relation.localUnitData["certificate_name"] || fresh.uuid(),
      }),
    },
    peerApp: shared(secretId, installed, reRequestFor),
    ...(certificate !== undefined ? { files: recordWrite(observed, recordOf(installed!)) } : {}),
    logs,
  };
  // A new request went out this hook: what the provider said about the old one no longer applies.
  const requestChanged = csrPlan.action === "new-csr" && csrPlan.reason === "request-changed";
  const status =
    selection.status.name === "active"
      ? undefined
      : requestChanged
        ? waitingForCertificate(app)
        : selection.status;
  return {
    plan,
    ...(status !== undefined ? { status } : {}),
    ...(certificate !== undefined ? { certificate } : {}),
  };
}

/** The non-secret keys every unit reads; the id goes in only once known (secret-add returns it). */
function shared(
  id: string | undefined,
  cert: ValidCertificate | undefined,
  reRequestFor: string | undefined,
): PeerAppWrite {
  return {
    ...(id !== undefined ? { tlsSecretId: id } : {}),
    tlsFingerprint: cert?.fingerprint256,
    tlsExpires: cert?.notAfter,
    tlsCa: cert?.caPem || undefined,
    tlsReRequestFor: reRequestFor,
  };
}

/** secret-remove of one of our own secret's old revisions in its secret-remove hook: nobody tracks it. */
function oldRevision(observed: Observed): Plan | undefined {
  const { context } = observed;
  const secret = context.secret;
  if (context.kind !== "hook" || context.name !== "secret-remove" || secret?.revision === undefined)
    return undefined;
  const ours =
    secret.label === TLS_SECRET_LABEL ||
    bareSecretId(secret.id) === bareSecretId(observed.peerApp.tlsSecretId ?? "");
  if (!ours) return undefined;
  return {
    secretRevisionsToRemove: [{ id: secret.id, revision: secret.revision }],
    logs: [info(`removed revision ${secret.revision} of the ${TLS_SECRET_LABEL} secret`)],
  };
}

// --- every other unit -----------------------------------------------------------------------

function follower(observed: Observed): CertificatesDecision {
  const relation = liveRelation(observed);
  const plan: { -readonly [K in keyof Plan]: Plan[K] } = {};
  if (relation !== undefined) plan.unitData = { [relation.ref]: withdrawWrites(observed.context.unitName) };
  const { tlsSecretId: secretId, tlsFingerprint: fingerprint } = observed.peerApp;
  let record = decodeUnitRecord(observed.files[recordFile(observed)]);
  let certificate: CertificateInUse | undefined;
  if (secretId !== undefined && fingerprint !== undefined) {
    const loaded = observed.tlsSecret && decodeTlsSecret(observed.tlsSecret.content);
    if (loaded?.certificate !== undefined) {
      // A new certificate (or revision): the read tracked the latest so Juju can drop the old one.
      const cert = loaded.certificate;
      const changed = record?.fingerprint !== cert.fingerprint256;
      record = recordOf(cert);
      plan.files = recordWrite(observed, record);
      if (changed) plan.logs = [info(`using certificate ${short(cert.fingerprint256)} from ${cert.app}`)];
      certificate = inUse(observed, { ...loaded, servingKey: undefined }, cert, changed);
    } else if (
      observed.tlsSecret === undefined &&
      record?.fingerprint === fingerprint &&
      !expired(observed, record.notAfter)
    ) {
      const caPem = observed.peerApp.tlsCa;
      if (caPem !== undefined) {
        certificate = { fingerprint: record.fingerprint, notAfter: record.notAfter, changed: false, caPem };
      }
    }
  }
  if (relation === undefined) return noRelation(observed, certificate, plan, record);
  if (certificate === undefined)
    return { plan, status: waitingForCertificate(relation.remoteApp ?? "the provider") };
  const soon = expiring(
    observed,
    certificate.notAfter,
    `no renewal from ${record?.provider ?? relation.remoteApp}`,
    record,
  );
  return { plan, ...(soon !== undefined ? { status: soon } : {}), certificate };
}

// --- shared -----------------------------------------------------------------------------------

function liveRelation(base: BaseObservation) {
  const relation = certificatesOf(base.juju);
  return isStatus(relation) ? undefined : relation;
}

function ourSecretChanged(base: BaseObservation, id: string): boolean {
  return (
    base.context.name === "secret-changed" && bareSecretId(base.context.secret?.id ?? "") === bareSecretId(id)
  );
}

/** No certificates relation: blocked, naming the relation; with a certificate still valid, also
 * when it expires (it keeps being served until then). */
function noRelation(
  observed: Observed,
  certificate: CertificateInUse | undefined,
  plan: Plan,
  info?: UnitRecord,
): CertificatesDecision {
  const missing = certificatesOf(observed.juju);
  const fallback = isStatus(missing) ? missing : blocked("missing certificates relation");
  if (certificate === undefined || expired(observed, certificate.notAfter)) return { plan, status: fallback };
  const message =
    `certificates relation missing; serving the last certificate until ${isoDate(certificate.notAfter)}; ` +
    `restore it: \`juju integrate ${observed.context.appName}:certificates easyrsa:client\` (vault 1.15+: vault:vault-pki; the reactive vault ≤ 1.8: vault:certificates)`;
  const soon = expiring(observed, certificate.notAfter, message, info);
  return { plan, status: soon ?? blocked(message), certificate };
}

/** Within 7 days of expiry with no renewal in hand: blocked with the date. */
function expiring(
  observed: Observed,
  notAfter: string,
  why: string,
  info: UnitRecord | undefined,
): Status | undefined {
  if (Date.parse(notAfter) - observed.now.getTime() > EXPIRY_WARNING_MS) return undefined;
  const hint =
    info?.protocol === "legacy" && why.startsWith("no renewal")
      ? `; ${legacyReissueHint(info.provider)}`
      : "";
  return blocked(`certificate expires on ${isoDate(notAfter)}: ${why}${hint}`);
}

const expired = (observed: Observed, notAfter: string): boolean =>
  Date.parse(notAfter) <= observed.now.getTime();

function inUse(
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
    ...(secret.servingKey !== undefined
      ? { served: { certPem: servedChainPem(cert), keyPem: pemFile([secret.servingKey]) } }
      : {}),
  };
}

function recordWrite(observed: Observed, record: UnitRecord): Plan["files"] {
  return { [recordFile(observed)]: { content: encodeUnitRecord(record), mode: 0o644 } };
}

const info = (message: string): LogLine => ({ level: "INFO", message });

function short(fingerprint: string): string {
  return fingerprint.replaceAll(":", "").slice(0, 12).toLowerCase();
}
