import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { createCsrPem, generatePrivateKeyPem } from "../../../src/certificates/keys.ts";
import { containsPrivateKey } from "../../../src/certificates/pem.ts";
import { desiredRequests } from "../../../src/certificates/request.ts";
import { selectCertificate } from "../../../src/certificates/select.ts";
import { CsrProviderCharm } from "../../emulator/charms/csr-provider.ts";
import { opensslVerify, roundTrip } from "./tls-test-kit.ts";

const requests = desiredRequests();
const request = requests[0]!;
const keyPem = generatePrivateKeyPem();
const csrs = { [request.name]: createCsrPem(request, keyPem) };
const today = () => new Date();

async function first(provider: CsrProviderCharm) {
  const round = await roundTrip(provider, { requests, csrs });
  const sel = selectCertificate({
    request,
    answers: round.answers,
    remoteApp: provider.charm,
    ourKeyPem: keyPem,
    now: today(),
  });
  return { round, sel };
}

describe("CSR-protocol provider stand-in against the requirer functions", () => {
  it("given self-signed-certificates when it answers our CSR then the certificate validates and openssl verifies it", async () => {
    const { round, sel } = await first(new CsrProviderCharm());
    assert.equal(round.answers.protocol, "csr");
    assert.equal(sel.status.name, "active");
    assert.equal(sel.use?.protocol, "csr");
    assert.equal(sel.install, true);
    assert.match(await opensslVerify(sel.use!.caPem, sel.use!.certPem, sel.use!.intermediatePems), /: OK$/);
  });

  it("given vault with IP SANs allowed when it answers then its intermediate is the anchor: Go verifies, OpenSSL alone does not", async () => {
    const vault = new CsrProviderCharm({ flavour: "vault", allowIpSans: true, allowAnyName: true });
    const { sel } = await first(vault);
    assert.equal(sel.status.name, "active");
    // chain = [leaf, intermediate]: no root to build to, so the intermediate tops the path (and is served).
    assert.deepEqual(sel.use!.intermediatePems, [vault.caPem.trim()]);
    assert.equal(sel.use!.caPem, vault.caPem.trim());
    // kube-apiserver (Go) takes the intermediate in its pool as an anchor: -partial_chain is its semantics.
    assert.match(await opensslVerify(sel.use!.caPem, sel.use!.certPem, [], { partialChain: true }), /: OK$/);
    // OpenSSL's default (CK's auth-webhook in Python) needs the self-signed root above it.
    await assert.rejects(opensslVerify(sel.use!.caPem, sel.use!.certPem), /unable to get issuer certificate/);
    assert.match(await opensslVerify(vault.rootPem, sel.use!.certPem, [sel.use!.caPem]), /: OK$/);
  });

  it("given default vault policy when it refuses then the name comes first and the status names both settings", async () => {
    const { sel } = await first(new CsrProviderCharm({ flavour: "vault" }));
    assert.equal(sel.use, undefined);
    assert.deepEqual(sel.status, {
      name: "blocked",
      message:
        "vault refused the authenticator certificate (DOMAIN_NOT_ALLOWED): name aws-iam-authenticator not allowed, and IP SANs (127.0.0.1) are checked only after it; " +
        "run: juju config vault pki_allow_any_name=true pki_allow_ip_sans=true (or, instead of pki_allow_any_name, add aws-iam-authenticator to pki_allowed_domains, " +
        "or pick a name it allows: juju config aws-iam certificate-common-name=<name>)",
    });
  });

  it("given vault allowing IP SANs but not our name when it refuses then the same status (vault reports the name only)", async () => {
    const { sel } = await first(new CsrProviderCharm({ flavour: "vault", allowIpSans: true }));
    assert.equal(
      sel.status.message,
      "vault refused the authenticator certificate (DOMAIN_NOT_ALLOWED): name aws-iam-authenticator not allowed, and IP SANs (127.0.0.1) are checked only after it; " +
        "run: juju config vault pki_allow_any_name=true pki_allow_ip_sans=true (or, instead of pki_allow_any_name, add aws-iam-authenticator to pki_allowed_domains, " +
        "or pick a name it allows: juju config aws-iam certificate-common-name=<name>)",
    );
  });

  it("given vault allowing our name but no IP SANs when it refuses then status names pki_allow_ip_sans", async () => {
    const { sel } = await first(
      new CsrProviderCharm({ flavour: "vault", allowedDomains: ["aws-iam-authenticator"] }),
    );
    assert.equal(
      sel.status.message,
      "vault refused the authenticator certificate (IP_NOT_ALLOWED): IP SAN 127.0.0.1 not allowed; run: juju config vault pki_allow_ip_sans=true",
    );
  });

  it("given missing-san when it answers then waiting names the SAN and a fresh CSR is asked for once", async () => {
    const provider = new CsrProviderCharm({ flavour: "vault", allowIpSans: true, allowAnyName: true });
    provider.misbehave.add("missing-san");
    const { sel, round } = await first(provider);
    assert.deepEqual(sel.status, {
      name: "waiting",
      message: "certificate from vault lacks SAN 127.0.0.1; re-requested",
    });
    assert.equal(sel.reRequest, true);
    const again = selectCertificate({
      request,
      answers: round.answers,
      ourKeyPem: keyPem,
      now: today(),
      reRequestedFor: sel.reRequestFor!,
    });
    assert.equal(again.reRequest, false);
  });

  it("given expired when it answers then the verdict gives the end date", async () => {
    const provider = new CsrProviderCharm();
    provider.misbehave.add("expired");
    const { sel } = await first(provider);
    const end = new Date(Date.now() - 86_400_000).toISOString().slice(0, 10);
    assert.equal(
      sel.status.message,
      `certificate from self-signed-certificates expired on ${end}; re-requested`,
    );
  });

  it("given wrong-key when it answers then the certificate is refused for not matching our key", async () => {
    const provider = new CsrProviderCharm();
    provider.misbehave.add("wrong-key");
    const { sel } = await first(provider);
    assert.equal(
      sel.status.message,
      "certificate from self-signed-certificates does not match its private key; re-requested",
    );
  });

  it("given malformed JSON when it answers then a typed problem is reported and nothing throws", async () => {
    const provider = new CsrProviderCharm();
    provider.misbehave.add("malformed-json");
    const { sel, round } = await first(provider);
    assert.deepEqual(round.answers.problems, [
      { source: "self-signed-certificates", key: "certificates", message: "not valid JSON" },
    ]);
    assert.deepEqual(sel.status, {
      name: "waiting",
      message: "self-signed-certificates sent unreadable certificates: not valid JSON",
    });
  });

  it("given a good certificate when the CA rotates then the revoked entry keeps the last good one until the re-issue validates", async () => {
    const provider = new CsrProviderCharm();
    const { round, sel } = await first(provider);
    const lastGood = sel.use!;
    provider.rotateCa();
    const revoked = await roundTrip(provider, { requests, csrs, previous: round });
    const during = selectCertificate({
      request,
      answers: revoked.answers,
      ourKeyPem: keyPem,
      lastGood,
      now: today(),
    });
    assert.equal(during.revoked, true);
    assert.equal(during.use, lastGood);
    assert.equal(
      during.status.message,
      "certificate from self-signed-certificates was revoked; re-requested",
    );
    const reissued = await roundTrip(provider, { requests, csrs, previous: revoked });
    const after = selectCertificate({
      request,
      answers: reissued.answers,
      ourKeyPem: keyPem,
      lastGood,
      now: today(),
    });
    assert.equal(after.install, true);
    assert.notEqual(after.use!.caPem, lastGood.caPem);
    assert.equal(after.use!.caPem, provider.caPem);
  });

  it("given revocation without CA change then the entry is flagged revoked", async () => {
    const provider = new CsrProviderCharm();
    const { round } = await first(provider);
    provider.revokeAll();
    const next = await roundTrip(provider, { requests, csrs, previous: round });
    assert.equal(next.answers.candidates[0]?.revoked, true);
  });

  it("never sees a private key in what the requirer published", async () => {
    const { round } = await first(new CsrProviderCharm());
    assert.equal(Object.values(round.requirerBag).some(containsPrivateKey), false);
  });
});
