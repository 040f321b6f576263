/** Chooses the certificate to serve for one request and the status inputs that go with it.
 * Rules: a valid CSR-protocol answer beats a valid legacy one (its key never left the unit); within a
 * protocol the newest wins; nothing invalid ever replaces the last good certificate. */
import { active, blocked, type Status, waiting } from "../plan/status.ts";
import { legacyReissueHint, NO_ANSWER_AFTER_MS, noAnswerStatus, providerErrorStatus } from "./fixes.ts";
import type { CertificateRequest } from "./request.ts";
import type { ParsedAnswers } from "./response.ts";
import { isoDate, type ValidCertificate, type Verdict, validateCandidate } from "./validate.ts";

const EXPIRY_WARNING_MS = 7 * 24 * 60 * 60 * 1000;

/** Within 7 days of notAfter: blocked with the date and why; undefined before. With `legacyProvider` (a
 * legacy-protocol certificate and no renewal in hand) it also says how to get one re-issued. */
export function expiryStatus(
  notAfter: string,
  now: Date,
  why: string,
  legacyProvider?: string,
): Status | undefined {
  if (Date.parse(notAfter) - now.getTime() > EXPIRY_WARNING_MS) return undefined;
  const hint = legacyProvider !== undefined ? `; ${legacyReissueHint(legacyProvider)}` : "";
  return blocked(`certificate expires on ${isoDate(notAfter)}: ${why}${hint}`);
}

/** The one wording for "asked, no answer yet" (the leader's status, and a follower's until it has one). */
export const waitingForCertificate = (app: string): Status =>
  waiting(`waiting for a server certificate from ${app}`);

export interface Selection {
  /** What to serve: the new winner or the last good certificate; undefined → nothing valid. */
  readonly use?: ValidCertificate;
  /** `use` differs from the last good certificate: install it (and roll the server). */
  readonly install: boolean;
  readonly status: Status;
  /** CSR protocol: publish a fresh CSR (same key, new UUID) because the answer was bad or revoked. */
  readonly reRequest: boolean;
  /** Fingerprint of the bad answer that caused reRequest; pass back as reRequestedFor. */
  readonly reRequestFor?: string;
  readonly expiresAt?: string;
  /** Expires within 7 days. */
  readonly expiringSoon: boolean;
  readonly revoked: boolean;
  readonly verdicts: readonly Verdict[];
}

export interface SelectInput {
  readonly request: CertificateRequest;
  /** What the provider answered (with no certificates relation the caller decides noRelation instead). */
  readonly answers: ParsedAnswers;
  readonly remoteApp?: string;
  readonly ourKeyPem?: string;
  readonly lastGood?: ValidCertificate;
  /** `lastGood` was validated with `ourKeyPem` (both come from the same secret, the key unchanged): the
   * same answer again is not re-verified (validate.ts `known`). */
  readonly lastGoodWithOurKey?: boolean;
  /** The bad answer we already re-requested for (avoids a CSR per hook). */
  readonly reRequestedFor?: string;
  readonly now: Date;
  /** This application's name, for fixes on our side (default "aws-iam"). */
  readonly requirerApp?: string;
  /** When the request now published was made (ISO): unanswered for NO_ANSWER_AFTER_MS → blocked. */
  readonly requestedAt?: string;
}

export function selectCertificate(input: SelectInput): Selection {
  const { request, now, lastGood } = input;
  const lastUsable =
    lastGood !== undefined && Date.parse(lastGood.notAfter) > now.getTime() ? lastGood : undefined;
  const answers = input.answers;
  const app = input.remoteApp ?? answers.candidates[0]?.app ?? "the provider";
  const mine = answers.candidates.filter((c) => c.requestName === request.name);
  const verdicts = mine.map((candidate) =>
    validateCandidate({
      candidate,
      request,
      now,
      ...(input.ourKeyPem ? { ourKeyPem: input.ourKeyPem } : {}),
      ...(input.lastGoodWithOurKey && lastGood !== undefined ? { known: lastGood } : {}),
    }),
  );
  const valid = verdicts.flatMap((v) => (v.ok ? [v.certificate] : [])).sort(preference);
  const winner = valid[0];
  const revoked = verdicts.some((v) => !v.ok && v.problem === "revoked");
  if (winner !== undefined) {
    const install = winner.fingerprint256 !== lastGood?.fingerprint256;
    const status = active();
    return finish({ use: winner, install, status, verdicts, revoked, now, app });
  }
  const use = lastUsable;
  const error = answers.errors.find((e) => e.requestName === request.name);
  if (error !== undefined) {
    return finish({
      use,
      install: false,
      status: providerErrorStatus(error, request, input.requirerApp),
      verdicts,
      revoked,
      now,
    });
  }
  // Prefer explaining a CSR-protocol answer (the one we would use) over a legacy one.
  const bad = verdicts
    .map((v, i) => ({ v, c: mine[i]! }))
    .filter((x): x is { v: Extract<Verdict, { ok: false }>; c: (typeof mine)[number] } => !x.v.ok)
    .sort((a, b) => (a.c.protocol === b.c.protocol ? 0 : a.c.protocol === "csr" ? -1 : 1))[0];
  if (bad !== undefined) {
    if (bad.c.protocol === "csr") {
      const fresh = bad.v.fingerprint256 !== undefined && bad.v.fingerprint256 !== input.reRequestedFor;
      const status = waiting(`${bad.v.message}; re-requested`);
      return finish({
        use,
        install: false,
        status,
        verdicts,
        revoked,
        now,
        reRequest: fresh,
        ...(bad.v.fingerprint256 !== undefined ? { reRequestFor: bad.v.fingerprint256 } : {}),
      });
    }
    const status = blocked(`${bad.v.message}; ${legacyReissueHint(bad.c.app)}`);
    return finish({ use, install: false, status, verdicts, revoked, now });
  }
  const problem = answers.problems[0];
  if (problem !== undefined) {
    const status = waiting(`${problem.source} sent unreadable ${problem.key}: ${problem.message}`);
    return finish({ use, install: false, status, verdicts, revoked, now });
  }
  const requestedAt = input.requestedAt;
  const unanswered =
    requestedAt !== undefined && now.getTime() - Date.parse(requestedAt) >= NO_ANSWER_AFTER_MS;
  return finish({
    use,
    install: false,
    status: unanswered ? noAnswerStatus(app, request, requestedAt) : waitingForCertificate(app),
    verdicts,
    revoked,
    now,
  });
}

/** CSR protocol first, then the latest notBefore (vault units may lag behind their leader). */
function preference(a: ValidCertificate, b: ValidCertificate): number {
  if (a.protocol !== b.protocol) return a.protocol === "csr" ? -1 : 1;
  return Date.parse(b.notBefore) - Date.parse(a.notBefore);
}

interface Draft {
  readonly use: ValidCertificate | undefined;
  readonly install: boolean;
  readonly status: Status;
  readonly verdicts: readonly Verdict[];
  readonly now: Date;
  readonly revoked?: boolean;
  readonly reRequest?: boolean;
  readonly reRequestFor?: string;
  readonly app?: string;
}

/** Adds the expiry view: within 7 days of notAfter with no renewal in hand → blocked with the date. */
function finish(d: Draft): Selection {
  const noRenewal = d.status.message === "";
  const soon =
    d.use === undefined
      ? undefined
      : expiryStatus(
          d.use.notAfter,
          d.now,
          noRenewal ? `no renewal from ${d.use.app}` : d.status.message,
          noRenewal && d.use.protocol === "legacy" ? d.use.app : undefined,
        );
  const status = soon ?? d.status;
  return {
    ...(d.use !== undefined ? { use: d.use } : {}),
    install: d.install,
    status,
    reRequest: d.reRequest ?? false,
    ...(d.reRequestFor !== undefined ? { reRequestFor: d.reRequestFor } : {}),
    ...(d.use !== undefined ? { expiresAt: d.use.notAfter } : {}),
    expiringSoon: soon !== undefined,
    revoked: d.revoked ?? false,
    verdicts: d.verdicts,
  };
}
