import assert from "node:assert/strict";
import { before, describe, it } from "node:test";
import { type CertificateRequest, desiredRequests } from "../../../src/certificates/request.ts";
import { selectCertificate } from "../../../src/certificates/select.ts";
import { VaultLegacyCharm, type VaultPki } from "../../emulator/charms/vault-legacy.ts";
import { opensslVerify, roundTrip } from "./tls-test-kit.ts";

const webhook: CertificateRequest = {
  name: "webhook",
  commonName: "aws-iam-irsa-webhook",
  sans: ["localhost"],
};
const requests = desiredRequests({ additional: [webhook] });
const [authn] = requests;
const units = ["vault/0", "vault/1", "vault/2"];
const HINT = "ask vault to re-issue (vault: juju run vault/leader reissue-certificates)";

// One root CA for the file; each test's stand-in starts from it (rotation still makes a new one).
let rootPki: VaultPki;
before(() => {
  rootPki = VaultLegacyCharm.newPki("root");
});
const vaultCharm = () => new VaultLegacyCharm({ pki: rootPki });

function pick(round: Awaited<ReturnType<typeof roundTrip>>, request: CertificateRequest = authn!) {
  return selectCertificate({ request, answers: round.answers, remoteApp: "vault", now: new Date() });
}

describe("reactive vault stand-in (legacy protocol) against the requirer functions", () => {
  it("given root mode when three units answer then both certificates validate with PKCS#1 keys and openssl verifies them", async () => {
    const round = await roundTrip(vaultCharm(), { requests, providerUnits: units });
    assert.equal(round.answers.protocol, "legacy");
    assert.match(
      round.providerUnits["vault/1"]!["aws-iam_0.server.key"]!,
      /^-----BEGIN RSA PRIVATE KEY-----/,
    );
    for (const request of requests) {
      const sel = pick(round, request);
      assert.equal(sel.status.name, "active", request.name);
      assert.equal(sel.use?.protocol, "legacy");
      assert.match(await opensslVerify(sel.use!.caPem, sel.use!.certPem, sel.use!.intermediatePems), /: OK$/);
    }
  });

  it("given intermediate mode when it answers then the leaf chains through the intermediate to the published root", async () => {
    const sel = pick(await roundTrip(new VaultLegacyCharm({ mode: "intermediate" }), { requests }));
    assert.equal(sel.status.name, "active");
    assert.equal(sel.use!.intermediatePems.length, 1);
    assert.match(await opensslVerify(sel.use!.caPem, sel.use!.certPem, sel.use!.intermediatePems), /: OK$/);
  });

  it("given missing-san then blocked names the SAN and the reissue action", async () => {
    const vault = vaultCharm();
    vault.misbehave.add("missing-san");
    const sel = pick(await roundTrip(vault, { requests }));
    assert.deepEqual(sel.status, {
      name: "blocked",
      message: `certificate from vault lacks SAN 127.0.0.1; ${HINT}`,
    });
  });

  it("given wrong-key then the provider's key does not match its certificate", async () => {
    const vault = vaultCharm();
    vault.misbehave.add("wrong-key");
    const sel = pick(await roundTrip(vault, { requests }));
    assert.equal(sel.status.message, `certificate from vault does not match its private key; ${HINT}`);
  });

  it("given expired then the end date is shown", async () => {
    const vault = vaultCharm();
    vault.misbehave.add("expired");
    const sel = pick(await roundTrip(vault, { requests }));
    const end = new Date(Date.now() - 86_400_000).toISOString().slice(0, 10);
    assert.equal(sel.status.message, `certificate from vault expired on ${end}; ${HINT}`);
  });

  it("given malformed JSON in processed_requests then the second request reports a parse problem", async () => {
    const vault = vaultCharm();
    vault.misbehave.add("malformed-json");
    const round = await roundTrip(vault, { requests });
    assert.deepEqual(round.answers.problems, [
      { source: "vault/0", key: "aws-iam_0.processed_requests", message: "not valid JSON" },
    ]);
    assert.equal(
      pick(round, webhook).status.message,
      "vault/0 sent unreadable aws-iam_0.processed_requests: not valid JSON",
    );
    assert.equal(pick(round).status.name, "active");
  });

  it("given a CA rotation without re-issue then the old leaf no longer chains and the last good stays", async () => {
    const vault = vaultCharm();
    const first = await roundTrip(vault, { requests });
    const lastGood = pick(first).use!;
    vault.rotateCa({ reissue: false });
    const second = await roundTrip(vault, { requests, previous: first });
    const sel = selectCertificate({ request: authn!, answers: second.answers, lastGood, now: new Date() });
    assert.equal(sel.use, lastGood);
    assert.equal(
      sel.status.message,
      `certificate from vault does not chain to the CA vault published; ${HINT}`,
    );
  });

  it("given a CA rotation with re-issue then the new certificate and CA flow on", async () => {
    const vault = vaultCharm();
    const first = await roundTrip(vault, { requests });
    const lastGood = pick(first).use!;
    vault.rotateCa();
    const second = await roundTrip(vault, { requests, previous: first });
    const sel = selectCertificate({ request: authn!, answers: second.answers, lastGood, now: new Date() });
    assert.equal(sel.install, true);
    assert.notEqual(sel.use!.caPem, lastGood.caPem);
  });

  it("given a SAN change when re-requested then vault issues a certificate covering the new SAN", async () => {
    const vault = vaultCharm();
    const first = await roundTrip(vault, { requests });
    const wider = desiredRequests({ extraSans: ["10.0.0.5"], additional: [webhook] });
    const second = await roundTrip(vault, { requests: wider, previous: first });
    const sel = selectCertificate({ request: wider[0]!, answers: second.answers, now: new Date() });
    assert.equal(sel.status.name, "active");
    assert.notEqual(sel.use!.fingerprint256, pick(first).use!.fingerprint256);
  });
});
