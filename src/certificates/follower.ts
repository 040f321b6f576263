/** Every other unit's half of the certificates decision: withdraw any request, follow the leader's
 * certificate through the peer bag, read the secret only for a new one. */
import type { Observed } from "../observe/observe.ts";
import type { Plan } from "../plan/plan.ts";
import {
  type CertificateInUse,
  type CertificatesDecision,
  expired,
  info,
  inUse,
  liveRelation,
  noRelation,
  recordFile,
  recordWrite,
  short,
} from "./in-use.ts";
import { withdrawWrites } from "./request.ts";
import { decodeTlsSecret, decodeUnitRecord, recordOf } from "./secret-content.ts";
import { expiryStatus, waitingForCertificate } from "./select.ts";

export function follower(observed: Observed): CertificatesDecision {
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
        certificate = {
          fingerprint: record.fingerprint,
          notAfter: record.notAfter,
          changed: false,
          caPem,
          provider: record.provider,
        };
      }
    }
  }
  if (relation === undefined) return noRelation(observed, certificate, plan);
  if (certificate === undefined)
    return { plan, status: waitingForCertificate(relation.remoteApp ?? "the provider") };
  const soon = expiryStatus(
    certificate.notAfter,
    observed.now,
    `no renewal from ${record?.provider ?? relation.remoteApp}`,
    record?.protocol === "legacy" ? record.provider : undefined,
  );
  return { plan, ...(soon !== undefined ? { status: soon } : {}), certificate };
}
