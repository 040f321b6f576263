import assert from "node:assert/strict";
import { X509Certificate } from "node:crypto";
import { describe, it } from "node:test";
import { desiredRequests } from "../../../src/certificates/request.ts";
import type { Candidate } from "../../../src/certificates/response.ts";
import { validateCandidate } from "../../../src/certificates/validate.ts";
import {
  expiredWindow,
  makeCa,
  newKeyPem,
  signLeaf,
  windowFrom,
} from "../../emulator/charms/tls-forge-ca.ts";

const request = desiredRequests()[0]!;
const now = new Date();
const root = makeCa("root", windowFrom(now, 3650));
const inter = makeCa("inter", windowFrom(now, 365), root);
const key = newKeyPem();
const leafBy = (
  ca = root,
  opts: { sans?: string[]; window?: ReturnType<typeof windowFrom>; keyPem?: string } = {},
) =>
  signLeaf({
    ca,
    subjectKeyPem: opts.keyPem ?? key,
    commonName: "aws-iam-authenticator",
    sans: opts.sans ?? ["127.0.0.1", "localhost"],
    window: opts.window ?? windowFrom(now, 30),
  });
const cand = (over: Partial<Candidate>): Candidate => ({
  protocol: "csr",
  requestName: "authenticator",
  source: "p",
  app: "p",
  certPem: leafBy(),
  chainPems: [],
  caPem: root.certPem,
  revoked: false,
  ...over,
});
const check = (c: Candidate, at = now) =>
  validateCandidate({ candidate: c, request, ourKeyPem: key, now: at });
const message = (c: Candidate, at = now) => {
  const v = check(c, at);
  return v.ok ? "ok" : v.message;
};

describe("validateCandidate", () => {
  it("accepts a leaf from the published root and hands the root on as anchor", () => {
    const v = check(cand({}));
    assert.equal(v.ok, true);
    if (v.ok) {
      assert.equal(v.certificate.caPem, root.certPem);
      assert.deepEqual(v.certificate.intermediatePems, []);
    }
  });

  it("builds the path through an intermediate `ca` to the root in a reversed chain", () => {
    const v = check(
      cand({ certPem: leafBy(inter), caPem: inter.certPem, chainPems: [root.certPem, inter.certPem] }),
    );
    assert.equal(v.ok, true);
    if (v.ok) {
      assert.equal(v.certificate.caPem, root.certPem);
      assert.deepEqual(v.certificate.intermediatePems, [inter.certPem]);
    }
  });

  it("without a root (vault 1.15+: chain = [leaf, intermediate]) the intermediate is the anchor and is served too", () => {
    const v = check(cand({ certPem: leafBy(inter), caPem: inter.certPem, chainPems: [inter.certPem] }));
    assert.equal(v.ok, true);
    if (v.ok) {
      assert.equal(v.certificate.caPem, inter.certPem);
      assert.deepEqual(v.certificate.intermediatePems, [inter.certPem]);
    }
  });

  it("accepts a legacy answer without `ca` when the chain holds a root (vault intermediate mode)", () => {
    const v = check(
      cand({
        protocol: "legacy",
        certPem: leafBy(inter),
        caPem: undefined,
        chainPems: [inter.certPem, root.certPem],
        providerKeyPem: key,
      }),
    );
    assert.equal(v.ok, true);
  });

  it("names each problem", () => {
    const other = newKeyPem();
    assert.equal(message(cand({ certPem: "garbage" })), "certificate from p cannot be parsed");
    assert.equal(message(cand({ revoked: true })), "certificate from p was revoked");
    assert.equal(
      message(cand({ certPem: inter.certPem })),
      "certificate from p is a CA certificate, not a server certificate",
    );
    assert.equal(
      message(cand({ certPem: leafBy(root, { keyPem: other }) })),
      "certificate from p does not match its private key",
    );
    assert.equal(
      message(cand({ protocol: "legacy", providerKeyPem: other })),
      "certificate from p does not match its private key",
    );
    assert.equal(
      message(cand({ certPem: leafBy(root, { sans: ["localhost"] }) })),
      "certificate from p lacks SAN 127.0.0.1",
    );
    assert.equal(
      message(cand({ certPem: leafBy(root, { sans: [] }) })),
      "certificate from p lacks SAN 127.0.0.1, localhost",
    );
    const end = new Date(now.getTime() - 86_400_000).toISOString().slice(0, 10);
    assert.equal(
      message(cand({ certPem: leafBy(root, { window: expiredWindow(now) }) })),
      `certificate from p expired on ${end}`,
    );
    assert.equal(
      message(cand({ caPem: inter.certPem })),
      "certificate from p does not chain to the CA p published",
    );
    const future = new Date(now.getTime() + 2 * 86_400_000);
    assert.equal(
      message(cand({}), new Date(now.getTime() - 86_400_000)),
      `certificate from p is not valid before ${new Date(now.getTime() - 60_000).toISOString().slice(0, 10)}`,
    );
    const shortCa = makeCa("short", windowFrom(now, 1));
    assert.equal(
      message(cand({ certPem: leafBy(shortCa), caPem: shortCa.certPem }), future),
      `the CA of certificate from p expired on ${new Date(now.getTime() + 86_400_000).toISOString().slice(0, 10)}`,
    );
  });

  it("covers extra SANs without complaint", () => {
    assert.equal(
      check(cand({ certPem: leafBy(root, { sans: ["127.0.0.1", "localhost", "extra"] }) })).ok,
      true,
    );
  });
});

describe("validateCandidate with a certificate validated earlier (known)", () => {
  const answer = cand({
    certPem: leafBy(inter),
    caPem: inter.certPem,
    chainPems: [inter.certPem, root.certPem],
  });
  const first = check(answer);
  assert.ok(first.ok);
  const known = first.certificate;
  const again = (c: Candidate, at = now, sans = request.sans) =>
    validateCandidate({ candidate: c, request: { ...request, sans }, ourKeyPem: key, now: at, known });

  it("records what it was validated from: the answer as published, the SANs and the CAs' earliest expiry", () => {
    assert.deepEqual(known.validatedFrom, {
      ca: inter.certPem,
      chain: [inter.certPem, root.certPem],
      sans: [...request.sans].sort(),
      caNotAfter: new Date(new X509Certificate(inter.certPem).validTo).toISOString(),
    });
  });

  it("takes exactly the same answer without parsing it again", () => {
    // Proof that nothing is parsed: the same unparseable text in both passes.
    const garbage = { ...known, certPem: "not a certificate" };
    const v = validateCandidate({
      candidate: { ...answer, certPem: "not a certificate" },
      request,
      now,
      known: garbage,
    });
    assert.deepEqual(v, { ok: true, certificate: garbage });
    assert.deepEqual(again(answer), { ok: true, certificate: known });
  });

  it("still checks time: the leaf's and the CAs' expiry, from what was recorded", () => {
    const afterLeaf = new Date(Date.parse(known.notAfter) + 1000);
    assert.match(message(answer, afterLeaf), /expired on/);
    const v = again(answer, afterLeaf);
    assert.equal(v.ok, false);
    if (!v.ok) assert.equal(v.message, (check(answer, afterLeaf) as { message: string }).message);
    const shortCa = {
      ...known,
      validatedFrom: { ...known.validatedFrom!, caNotAfter: new Date(now.getTime() - 1).toISOString() },
    };
    const ca = validateCandidate({ candidate: answer, request, ourKeyPem: key, now, known: shortCa });
    assert.equal(ca.ok ? "ok" : ca.problem, "ca-expired");
  });

  it("validates in full anything else: another chain, other SANs, a revocation, a legacy answer", () => {
    const badChain = again({ ...answer, chainPems: [inter.certPem] });
    assert.equal(badChain.ok, true, "a shorter chain still reaches the published ca");
    if (badChain.ok) assert.notEqual(badChain.certificate, known);
    const otherSans = again(answer, now, [...request.sans, "extra.example"]);
    assert.equal(otherSans.ok ? "ok" : otherSans.problem, "missing-san");
    const revoked = again({ ...answer, revoked: true });
    assert.equal(revoked.ok ? "ok" : revoked.problem, "revoked");
    const legacy = again({ ...answer, protocol: "legacy", providerKeyPem: key });
    assert.equal(legacy.ok, true);
    if (legacy.ok)
      assert.equal(
        legacy.certificate.validatedFrom,
        undefined,
        "legacy answers are always validated in full",
      );
  });
});
