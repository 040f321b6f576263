/** The certificates feature, pure: the leader requests the authenticator's server certificate over
 * both tls-certificates protocols, validates every answer and keeps key, CSR and the certificate in
 * use in one application-owned Juju secret; peers learn of a new certificate through non-secret keys
 * in the peer application databag and read the secret only then. No private key ever goes to relation
 * data, a status or a log line. */
import type { BaseObservation, Need, Observed } from "../observe/observe.ts";
import { follower } from "./follower.ts";
import {
  type CertificateSettings,
  type CertificatesDecision,
  type Fresh,
  liveRelation,
  ourSecretChanged,
  recordFile,
} from "./in-use.ts";
import { leader, oldRevision } from "./leader.ts";
import { DEFAULT_AUTHENTICATOR_CN } from "./request.ts";
import { decodeUnitRecord } from "./secret-content.ts";

export type { CertificateInUse, CertificateSettings, CertificatesDecision, Fresh } from "./in-use.ts";

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
