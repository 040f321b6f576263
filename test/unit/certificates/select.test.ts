import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { desiredRequests } from "../../../src/certificates/request.ts";
import type { Candidate, ParsedAnswers } from "../../../src/certificates/response.ts";
import { selectCertificate } from "../../../src/certificates/select.ts";
import { makeCa, newKeyPem, signLeaf, windowFrom } from "../../emulator/charms/tls-forge-ca.ts";

const request = desiredRequests()[0]!;
const now = new Date();
const DAY = 86_400_000;
const ca = makeCa("root", windowFrom(now, 3650));
const ourKey = newKeyPem();
const legacyKey = newKeyPem();
const leaf = (keyPem: string, days = 30, sans = ["127.0.0.1", "localhost"]) =>
  signLeaf({ ca, subjectKeyPem: keyPem, commonName: "c", sans, window: windowFrom(now, days) });
const base = { requestName: "authenticator", app: "p", chainPems: [], caPem: ca.certPem, revoked: false };
const csrCand: Candidate = { ...base, protocol: "csr", source: "p", certPem: leaf(ourKey) };
const legacyCand: Candidate = {
  ...base,
  protocol: "legacy",
  source: "p/0",
  certPem: leaf(legacyKey),
  providerKeyPem: legacyKey,
};
const answers = (candidates: Candidate[], extra: Partial<ParsedAnswers> = {}): ParsedAnswers => ({
  protocol: "csr",
  candidates,
  errors: [],
  problems: [],
  ...extra,
});
const select = (a: ParsedAnswers, more: Partial<Parameters<typeof selectCertificate>[0]> = {}) =>
  selectCertificate({ request, ourKeyPem: ourKey, now, answers: a, ...more });

describe("selectCertificate", () => {
  it("prefers a valid CSR-protocol answer over a valid legacy one", () => {
    const sel = select(answers([legacyCand, csrCand]));
    assert.equal(sel.use?.protocol, "csr");
    assert.equal(sel.install, true);
    assert.deepEqual(sel.status, { name: "active", message: "" });
  });

  it("falls back to a valid legacy answer when the CSR one is bad", () => {
    const bad: Candidate = { ...csrCand, certPem: leaf(ourKey, 30, ["localhost"]) };
    assert.equal(select(answers([bad, legacyCand])).use?.protocol, "legacy");
  });

  it("does not reinstall the certificate already in use", () => {
    const first = select(answers([csrCand]));
    assert.equal(select(answers([csrCand]), { lastGood: first.use! }).install, false);
  });

  it("keeps the last good certificate when the new answer is invalid", () => {
    const lastGood = select(answers([csrCand])).use!;
    const bad: Candidate = { ...csrCand, certPem: leaf(newKeyPem()) };
    const sel = select(answers([bad]), { lastGood });
    assert.equal(sel.use, lastGood);
    assert.equal(sel.install, false);
    assert.equal(sel.reRequest, true);
  });

  it("waits for a certificate while nothing has answered", () => {
    assert.deepEqual(select(answers([]), { remoteApp: "easyrsa" }).status, {
      name: "waiting",
      message: "waiting for a server certificate from easyrsa",
    });
  });

  it("blocks with the date when the certificate expires within 7 days and no renewal came", () => {
    const short: Candidate = { ...legacyCand, certPem: leaf(legacyKey, 5) };
    const sel = select(answers([short]));
    assert.equal(sel.expiringSoon, true);
    assert.equal(sel.status.name, "blocked");
    assert.equal(
      sel.status.message,
      `certificate expires on ${sel.expiresAt!.slice(0, 10)}: no renewal from p; ask p to re-issue (vault: juju run p/leader reissue-certificates)`,
    );
    assert.equal(select(answers([csrCand]), { now: new Date(now.getTime() + 2 * DAY) }).expiringSoon, false);
  });

  it("reports a provider error before candidate problems", () => {
    const sel = select(
      answers([], {
        errors: [{ requestName: "authenticator", app: "vault", code: 999, name: "OTHER", message: "boom" }],
      }),
    );
    assert.deepEqual(sel.status, {
      name: "blocked",
      message: "vault refused the authenticator certificate (OTHER): boom",
    });
  });

  it("ignores candidates for other requests", () => {
    const sel = select(answers([{ ...csrCand, requestName: "webhook" }]));
    assert.equal(sel.use, undefined);
    assert.equal(sel.verdicts.length, 0);
  });
});
