/** The certificates step of the reconcile: the leader requests the authenticator's server
 * certificate over both tls-certificates protocols, validates every answer and keeps key, CSR and
 * the certificate in use in one application-owned Juju secret; peers learn of a new certificate
 * through non-secret keys in the peer application databag and read the secret only then.
 * No private key ever goes to relation data, a status or a log line. */
import { randomUUID } from "node:crypto";
import { writePeerApp } from "../commit/peer-app.ts";
import type { CharmDeps } from "../deps.ts";
import { HookToolError } from "../juju/errors.ts";
import type { Databag } from "../juju/hook-tools.ts";
import { unitTlsRecordPath } from "../machine/paths.ts";
import type { JujuSnapshot, RelationSnapshot } from "../observe/juju.ts";
import { certificatesOf, isStatus } from "../observe/topology.ts";
import { blocked, type WorkloadStatus } from "../plan/status.ts";
import { planCsr } from "./csr-plan.ts";
import { legacyReissueHint } from "./fixes.ts";
import { createCsrPem, generatePrivateKeyPem } from "./keys.ts";
import { pemBlocks } from "./pem.ts";
import {
  type CertificateRequest,
  DEFAULT_AUTHENTICATOR_CN,
  databagDiff,
  desiredRequests,
  requesterWrites,
  withdrawWrites,
} from "./request.ts";
import { parseAnswers } from "./response.ts";
import { EXPIRY_WARNING_MS, type Selection, selectCertificate, waitingForCertificate } from "./select.ts";
import { isoDate, type ValidCertificate } from "./validate.ts";

/** Label of the application-owned secret holding key, CSR and the certificate in use. */
export const TLS_SECRET_LABEL = "authenticator-tls";

/** Non-secret keys the leader keeps in the peer application databag. */
export const PEER_KEYS = {
  secretId: "tls-secret-id",
  fingerprint: "tls-fingerprint",
  expires: "tls-expires",
  /** The issuing CA of the certificate in use (public): every unit renders the webhook kubeconfig
   * and the host trust store from it without reading the secret. */
  ca: "tls-ca",
  /** Fingerprint of the bad answer we already asked a fresh CSR for (one re-request per install). */
  reRequestFor: "tls-rerequest-for",
} as const;

/** The certificate in use and everything needed to serve and trust it. Holds the private key:
 * never log it, never put it in relation data. */
export interface TlsMaterial {
  readonly certPem: string;
  readonly intermediatePems: readonly string[];
  readonly caPem: string;
  readonly keyPem: string;
  readonly fingerprint: string;
  readonly notAfter: string;
  readonly protocol: "csr" | "legacy";
  readonly provider: string;
}

export interface CertificateInUse {
  readonly fingerprint: string;
  readonly notAfter: string;
  /** True when this hook installed it on this unit (later steps roll what uses it). */
  readonly changed: boolean;
  /** The issuing CA (public), known without a secret-get when the leader shared it; otherwise
   * undefined and `material()` has it. */
  readonly caPem: string | undefined;
  /** The material; read from the secret only when a step needs it and this hook has not. */
  readonly material: () => Promise<TlsMaterial>;
}

export interface CertificatesOutcome {
  /** Set when the reconcile cannot go past certificates (or must say something about them). */
  readonly status?: WorkloadStatus;
  /** The validated certificate this unit serves, if any (also while a status is shown). */
  readonly certificate?: CertificateInUse;
}

/** What a unit records on its machine about the certificate it materialised (never the key). */
interface UnitRecord {
  readonly fingerprint: string;
  readonly notAfter: string;
  readonly protocol: "csr" | "legacy";
  readonly provider: string;
}

/** What the operator chose for the certificate (config). */
export interface CertificateSettings {
  /** `certificate-common-name`; the loopback SANs are always added. */
  readonly commonName: string;
}

export async function reconcileCertificates(
  snapshot: JujuSnapshot,
  deps: CharmDeps,
  settings: CertificateSettings = { commonName: DEFAULT_AUTHENTICATOR_CN },
): Promise<CertificatesOutcome> {
  const peerApp = snapshot.peers?.localAppData ?? {};
  if (snapshot.leader) await removeOldRevision(snapshot, peerApp, deps);
  return snapshot.leader
    ? leaderStep(snapshot, peerApp, deps, settings)
    : followerStep(snapshot, peerApp, deps);
}

// --- leader -----------------------------------------------------------------------------------

async function leaderStep(
  snapshot: JujuSnapshot,
  peerApp: Databag,
  deps: CharmDeps,
  settings: CertificateSettings,
): Promise<CertificatesOutcome> {
  const relation = liveCertificates(snapshot);
  let secretId = nonEmpty(peerApp[PEER_KEYS.secretId]);
  if (secretId === undefined && relation !== undefined) {
    secretId = (await deps.tools.secretInfoGet({ label: TLS_SECRET_LABEL }))?.id;
  }
  if (secretId === undefined && relation === undefined) return noRelation(snapshot, undefined, deps);

  const stored =
    secretId !== undefined ? await deps.tools.secretGet({ id: secretId }, { refresh: true }) : {};
  const lastGood = certificateOf(stored);
  if (relation === undefined) {
    await writePeerApp(snapshot, deps, sharedKeys(secretId, lastGood, peerApp));
    if (lastGood !== undefined) await recordUnit(snapshot, recordOf(lastGood), deps);
    const kept = lastGood && inUse(stored, lastGood, deps);
    return noRelation(snapshot, kept, deps, lastGood && recordOf(lastGood));
  }

  const now = deps.now();
  const requests = desiredRequests({ commonName: settings.commonName });
  const request = requests[0]!;
  const app = relation.remoteApp ?? "the provider";
  const next: Databag = { ...stored };
  if (!next["request-key"]) {
    next["request-key"] = generatePrivateKeyPem();
    await deps.log.info("generated the authenticator's private key (kept in a Juju secret)");
  }
  const keyPem = next["request-key"];
  const published = nonEmpty(next["csr"]);
  const answers = parseAnswers({
    unitName: snapshot.context.unitName,
    requests,
    csrs: published !== undefined ? { [request.name]: published } : {},
    remoteApp: app,
    remoteAppData: relation.remoteAppData,
    remoteUnitData: relation.remoteUnitData,
  });
  const alreadyReRequested = nonEmpty(peerApp[PEER_KEYS.reRequestFor]);
  const selection = selectCertificate({
    request,
    answers,
    remoteApp: app,
    ourKeyPem: keyPem,
    ...(lastGood !== undefined ? { lastGood } : {}),
    ...(alreadyReRequested !== undefined ? { reRequestedFor: alreadyReRequested } : {}),
    requirerApp: snapshot.context.appName,
    // The request time lives in the secret beside the CSR, so it survives hooks and leader changes;
    // a new CSR (name changed, renewal, re-request) restarts the clock.
    ...(published !== undefined && next["csr-created"] ? { requestedAt: next["csr-created"] } : {}),
    now,
  });
  const reRequest = selection.reRequest && alreadyReRequested === undefined;
  const plan = planCsr({
    request,
    keyPem,
    ...(published !== undefined ? { currentCsrPem: published } : {}),
    ...(next["csr-created"] ? { csrCreatedAt: next["csr-created"] } : {}),
    ...(selection.use?.protocol === "csr" ? { active: selection.use } : {}),
    reRequest,
    now,
  });
  if (plan.action === "new-csr") {
    next["csr"] = createCsrPem(request, keyPem);
    next["csr-created"] = now.toISOString();
    await deps.log.info(`asking ${app} for a certificate (${plan.reason})`);
  }
  if (selection.install && selection.use !== undefined) {
    Object.assign(next, storedCertificate(selection.use, keyPem));
    await deps.log.info(
      `installed certificate ${short(selection.use.fingerprint256)} from ${selection.use.app} ` +
        `(${selection.use.protocol} protocol), valid until ${selection.use.notAfter}`,
    );
  }

  const id = await saveSecret(secretId, stored, next, deps);
  await publishRequest(snapshot, relation, request, next["csr"]!, deps);
  const installed = certificateOf(next);
  const shared = sharedKeys(id, installed, peerApp);
  if (installed !== undefined && selection.install) shared[PEER_KEYS.reRequestFor] = "";
  else if (reRequest && plan.action === "new-csr" && selection.reRequestFor !== undefined) {
    shared[PEER_KEYS.reRequestFor] = selection.reRequestFor;
  }
  await writePeerApp(snapshot, deps, shared);

  const certificate = installed && inUse(next, installed, deps, selection.install);
  if (certificate !== undefined) await recordUnit(snapshot, recordOf(installed!), deps);
  const status = leaderStatus(selection, app, plan.action === "new-csr" && plan.reason === "request-changed");
  return {
    ...(status !== undefined && status.name !== "active" ? { status } : {}),
    ...(certificate !== undefined ? { certificate } : {}),
  };
}

function leaderStatus(
  selection: Selection,
  app: string,
  requestChanged: boolean,
): WorkloadStatus | undefined {
  if (selection.status.name === "active") return undefined;
  // A new request went out this hook: what the provider said about the old one no longer applies.
  return requestChanged ? waitingForCertificate(app) : selection.status;
}

/** Creates the secret on first need; adds a revision only when the content changed. */
async function saveSecret(
  id: string | undefined,
  stored: Databag,
  next: Databag,
  deps: CharmDeps,
): Promise<string> {
  const content = Object.fromEntries(Object.entries(next).filter(([, value]) => value !== ""));
  if (id === undefined) {
    return deps.tools.secretAdd(content, {
      label: TLS_SECRET_LABEL,
      description: "aws-iam authenticator: private key, CSR and the server certificate in use",
    });
  }
  if (!sameContent(stored, content)) await deps.tools.secretSet(id, content);
  return id;
}

/** Our request on the certificates relation, both protocols, only the keys that changed. */
async function publishRequest(
  snapshot: JujuSnapshot,
  relation: RelationSnapshot,
  request: CertificateRequest,
  csrPem: string,
  deps: CharmDeps,
): Promise<void> {
  const target = requesterWrites({
    unitName: snapshot.context.unitName,
    requests: [request],
    csrs: { [request.name]: csrPem },
    certificateName: nonEmpty(relation.localUnitData["certificate_name"]) ?? randomUUID(),
  });
  const diff = databagDiff(relation.localUnitData, target);
  if (Object.keys(diff).length > 0) await deps.tools.relationSet(relation.ref, diff, "unit");
}

function sharedKeys(id: string | undefined, cert: ValidCertificate | undefined, peerApp: Databag): Databag {
  return {
    [PEER_KEYS.secretId]: id ?? "",
    [PEER_KEYS.fingerprint]: cert?.fingerprint256 ?? "",
    [PEER_KEYS.expires]: cert?.notAfter ?? "",
    [PEER_KEYS.ca]: cert?.caPem ?? "",
    [PEER_KEYS.reRequestFor]: peerApp[PEER_KEYS.reRequestFor] ?? "",
  };
}

/** secret-remove for one of our own secret's old revisions: nobody tracks it any more. */
async function removeOldRevision(snapshot: JujuSnapshot, peerApp: Databag, deps: CharmDeps): Promise<void> {
  const { context } = snapshot;
  const secret = context.secret;
  if (context.kind !== "hook" || context.name !== "secret-remove" || secret?.revision === undefined) return;
  const ours =
    secret.label === TLS_SECRET_LABEL ||
    bareSecretId(secret.id) === bareSecretId(peerApp[PEER_KEYS.secretId] ?? "");
  if (!ours) return;
  try {
    await deps.tools.secretRemove(secret.id, secret.revision);
    await deps.log.info(`removed revision ${secret.revision} of the ${TLS_SECRET_LABEL} secret`);
  } catch (error) {
    if (!(error instanceof HookToolError && error.isNotFound)) throw error;
  }
}

// --- every other unit -----------------------------------------------------------------------

async function followerStep(
  snapshot: JujuSnapshot,
  peerApp: Databag,
  deps: CharmDeps,
): Promise<CertificatesOutcome> {
  const relation = liveCertificates(snapshot);
  if (relation !== undefined) {
    const diff = databagDiff(relation.localUnitData, withdrawWrites(snapshot.context.unitName));
    if (Object.keys(diff).length > 0) await deps.tools.relationSet(relation.ref, diff, "unit");
  }
  const secretId = nonEmpty(peerApp[PEER_KEYS.secretId]);
  const fingerprint = nonEmpty(peerApp[PEER_KEYS.fingerprint]);
  let record = await readRecord(snapshot, deps);
  let certificate: CertificateInUse | undefined;
  if (secretId !== undefined && fingerprint !== undefined) {
    const secretChanged =
      snapshot.context.name === "secret-changed" &&
      bareSecretId(snapshot.context.secret?.id ?? "") === bareSecretId(secretId);
    if (record?.fingerprint !== fingerprint || secretChanged) {
      // A new certificate (or revision): track the latest so Juju can drop the old one.
      const loaded = await deps.tools.secretGet({ id: secretId }, { refresh: true });
      const cert = certificateOf(loaded);
      if (cert !== undefined) {
        const changed = record?.fingerprint !== cert.fingerprint256;
        record = recordOf(cert);
        await recordUnit(snapshot, record, deps);
        if (changed) await deps.log.info(`using certificate ${short(cert.fingerprint256)} from ${cert.app}`);
        certificate = inUse(loaded, cert, deps, changed);
      }
    } else if (record !== undefined && Date.parse(record.notAfter) > deps.now().getTime()) {
      certificate = {
        fingerprint: record.fingerprint,
        notAfter: record.notAfter,
        changed: false,
        caPem: nonEmpty(peerApp[PEER_KEYS.ca]),
        material: async () => materialOf(await deps.tools.secretGet({ id: secretId }, { refresh: true })),
      };
    }
  }
  if (relation === undefined) return noRelation(snapshot, certificate, deps, record);
  if (certificate === undefined)
    return { status: waitingForCertificate(relation.remoteApp ?? "the provider") };
  const soon = expiring(
    certificate.notAfter,
    deps,
    `no renewal from ${record?.provider ?? relation.remoteApp}`,
    record,
  );
  return { ...(soon !== undefined ? { status: soon } : {}), certificate };
}

// --- shared -----------------------------------------------------------------------------------

function liveCertificates(snapshot: JujuSnapshot): RelationSnapshot | undefined {
  const relation = certificatesOf(snapshot);
  return isStatus(relation) ? undefined : relation;
}

/** No certificates relation: blocked, naming the relation; with a certificate still valid, also
 * when it expires (it keeps being served until then). */
function noRelation(
  snapshot: JujuSnapshot,
  certificate: CertificateInUse | undefined,
  deps: CharmDeps,
  info?: UnitRecord,
): CertificatesOutcome {
  const missing = certificatesOf(snapshot);
  const fallback = isStatus(missing) ? missing : blocked("missing certificates relation");
  if (certificate === undefined || Date.parse(certificate.notAfter) <= deps.now().getTime()) {
    return { status: fallback };
  }
  const message =
    `certificates relation missing; serving the last certificate until ${isoDate(certificate.notAfter)}; ` +
    `restore it: \`juju integrate ${snapshot.context.appName}:certificates easyrsa:client\` (vault 1.15+: vault:vault-pki; the reactive vault ≤ 1.8: vault:certificates)`;
  const soon = expiring(certificate.notAfter, deps, message, info);
  return { status: soon ?? blocked(message), certificate };
}

/** Within 7 days of expiry with no renewal in hand: blocked with the date. */
function expiring(
  notAfter: string,
  deps: CharmDeps,
  why: string,
  info: UnitRecord | undefined,
): WorkloadStatus | undefined {
  if (Date.parse(notAfter) - deps.now().getTime() > EXPIRY_WARNING_MS) return undefined;
  const hint =
    info?.protocol === "legacy" && why.startsWith("no renewal")
      ? `; ${legacyReissueHint(info.provider)}`
      : "";
  return blocked(`certificate expires on ${isoDate(notAfter)}: ${why}${hint}`);
}

function inUse(
  content: Databag,
  cert: ValidCertificate,
  deps: CharmDeps,
  changed = false,
): CertificateInUse | undefined {
  if (Date.parse(cert.notAfter) <= deps.now().getTime()) return undefined;
  const material = materialOf(content);
  return {
    fingerprint: cert.fingerprint256,
    notAfter: cert.notAfter,
    changed,
    caPem: cert.caPem,
    material: async () => material,
  };
}

/** Secret content for the certificate in use (the key is the provider's for legacy answers). */
function storedCertificate(cert: ValidCertificate, ourKeyPem: string): Databag {
  return {
    certificate: cert.certPem,
    chain: cert.intermediatePems.join("\n"),
    "ca-certificate": cert.caPem,
    key: cert.protocol === "legacy" ? (cert.providerKeyPem ?? "") : ourKeyPem,
    protocol: cert.protocol,
    provider: cert.app,
    source: cert.source,
    request: cert.requestName,
    "not-before": cert.notBefore,
    expires: cert.notAfter,
    fingerprint: cert.fingerprint256,
  };
}

/** The certificate stored in the secret, in the shape selectCertificate compares against. */
function certificateOf(content: Databag): ValidCertificate | undefined {
  const certPem = nonEmpty(content["certificate"]);
  const fingerprint = nonEmpty(content["fingerprint"]);
  if (certPem === undefined || fingerprint === undefined) return undefined;
  const protocol = content["protocol"] === "csr" ? "csr" : "legacy";
  return {
    requestName: content["request"] ?? "",
    protocol,
    app: content["provider"] ?? "",
    source: content["source"] ?? "",
    certPem,
    intermediatePems: pemBlocks(content["chain"] ?? ""),
    caPem: content["ca-certificate"] ?? "",
    ...(protocol === "legacy" ? { providerKeyPem: content["key"] ?? "" } : {}),
    notBefore: content["not-before"] ?? "",
    notAfter: content["expires"] ?? "",
    fingerprint256: fingerprint,
  };
}

function materialOf(content: Databag): TlsMaterial {
  const cert = certificateOf(content);
  if (cert === undefined) throw new Error(`the ${TLS_SECRET_LABEL} secret holds no certificate`);
  return {
    certPem: cert.certPem,
    intermediatePems: cert.intermediatePems,
    caPem: cert.caPem,
    keyPem: content["key"] ?? "",
    fingerprint: cert.fingerprint256,
    notAfter: cert.notAfter,
    protocol: cert.protocol,
    provider: cert.app,
  };
}

function recordOf(cert: ValidCertificate): UnitRecord {
  return {
    fingerprint: cert.fingerprint256,
    notAfter: cert.notAfter,
    protocol: cert.protocol,
    provider: cert.app,
  };
}

async function readRecord(snapshot: JujuSnapshot, deps: CharmDeps): Promise<UnitRecord | undefined> {
  const text = await deps.files.read(unitTlsRecordPath(snapshot.context.unitName));
  if (text === undefined) return undefined;
  try {
    const value = JSON.parse(text) as Partial<UnitRecord>;
    if (typeof value.fingerprint !== "string" || typeof value.notAfter !== "string") return undefined;
    return {
      fingerprint: value.fingerprint,
      notAfter: value.notAfter,
      protocol: value.protocol === "csr" ? "csr" : "legacy",
      provider: typeof value.provider === "string" ? value.provider : "",
    };
  } catch {
    return undefined;
  }
}

async function recordUnit(snapshot: JujuSnapshot, record: UnitRecord, deps: CharmDeps): Promise<void> {
  await deps.files.write(unitTlsRecordPath(snapshot.context.unitName), `${JSON.stringify(record)}\n`, 0o644);
}

function sameContent(a: Databag, b: Databag): boolean {
  const keys = new Set([...Object.keys(a), ...Object.keys(b)]);
  return [...keys].every((k) => (a[k] ?? "") === (b[k] ?? ""));
}

function nonEmpty(value: string | undefined): string | undefined {
  return value === undefined || value === "" ? undefined : value;
}

function short(fingerprint: string): string {
  return fingerprint.replaceAll(":", "").slice(0, 12).toLowerCase();
}

/** Juju accepts and prints secret URIs in several forms; compare the bare id. */
function bareSecretId(uri: string): string {
  return uri.replace(/^secret:\/*/, "").replace(/^.*\//, "");
}
