/** The leader's half of the certificates decision: the request, the answers, the secret. */
import type { Observed } from "../observe/observe.ts";
import type { PeerAppWrite } from "../plan/peer-databag.ts";
import type { LogLine, Plan } from "../plan/plan.ts";
import { planCsr } from "./csr-plan.ts";
import {
  type CertificateSettings,
  type CertificatesDecision,
  type Fresh,
  info,
  inUse,
  liveRelation,
  noRelation,
  recordWrite,
  short,
} from "./in-use.ts";
import { createCsrPem } from "./keys.ts";
import { desiredRequests, requesterWrites } from "./request.ts";
import { parseAnswers } from "./response.ts";
import {
  bareSecretId,
  decodeTlsSecret,
  encodeTlsSecret,
  recordOf,
  servingKeyOf,
  TLS_SECRET_DESCRIPTION,
  TLS_SECRET_LABEL,
  type TlsSecret,
} from "./secret-content.ts";
import { selectCertificate, waitingForCertificate } from "./select.ts";
import type { ValidCertificate } from "./validate.ts";

export function leader(
  observed: Observed,
  settings: CertificateSettings,
  fresh: Fresh,
): CertificatesDecision {
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
    return noRelation(observed, lastGood && inUse(observed, stored, lastGood, false), plan);
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
    ...(lastGood !== undefined ? { lastGood, lastGoodWithOurKey: stored.requestKey !== undefined } : {}),
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
    // The hook's one UUID (fresh): a decision made again in the same hook asks with the same CSR.
    next = { ...next, csr: createCsrPem(request, keyPem, fresh.uuid()), csrCreated: now.toISOString() };
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
export function oldRevision(observed: Observed): Plan | undefined {
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
