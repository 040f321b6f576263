import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { type CertificateRequest, desiredRequests } from "../../../src/certificates/request.ts";
import { selectCertificate } from "../../../src/certificates/select.ts";
import { EasyrsaCharm } from "../../emulator/charms/easyrsa.ts";
import type { Misbehaviour } from "../../emulator/charms/tls-misbehaviour.ts";
import { opensslVerify, roundTrip } from "./tls-test-kit.ts";

const webhook: CertificateRequest = {
  name: "webhook",
  commonName: "aws-iam-irsa-webhook",
  sans: ["localhost"],
};
const requests = desiredRequests({ additional: [webhook] });
const authn = requests[0]!;
const HINT = "ask easyrsa to re-issue (vault: juju run easyrsa/leader reissue-certificates)";
const made: EasyrsaCharm[] = [];
after(async () => Promise.all(made.map((e) => e.dispose())));

// One CA for the file (easy-rsa's build-ca and the client certificate); each test signs on a copy of it.
let withCa: EasyrsaCharm;
before(async () => {
  withCa = await new EasyrsaCharm().prepare();
  made.push(withCa);
});

async function easyrsa(...misbehave: Misbehaviour[]): Promise<EasyrsaCharm> {
  const e = await withCa.copy();
  for (const m of misbehave) e.misbehave.add(m);
  made.push(e);
  return e;
}

function pick(round: Awaited<ReturnType<typeof roundTrip>>, request: CertificateRequest = authn) {
  return selectCertificate({ request, answers: round.answers, remoteApp: "easyrsa", now: new Date() });
}

describe("easyrsa stand-in (real easy-rsa, legacy protocol) against the requirer functions", () => {
  it("given a request when easyrsa answers then the text-dumped certificate validates and openssl verifies it", async () => {
    const round = await roundTrip(await easyrsa(), { requests });
    const bag = round.providerUnits["easyrsa/0"]!;
    assert.match(bag["aws-iam_0.server.cert"]!, /^Certificate:\n {4}Data:/);
    assert.match(bag["aws-iam_0.server.key"]!, /^-----BEGIN PRIVATE KEY-----/);
    assert.equal(bag["chain"], undefined);
    assert.ok(bag["client.cert"]);
    for (const request of requests) {
      const sel = pick(round, request);
      assert.equal(sel.status.name, "active", request.name);
      assert.equal(sel.use!.intermediatePems.length, 0);
      assert.match(await opensslVerify(sel.use!.caPem, sel.use!.certPem), /: OK$/);
    }
  });

  it("a clone (a copied model state's stand-in) keeps the misbehaviours and signs in its own PKI directory", async () => {
    const original = await easyrsa("missing-san");
    const clone = original.clone();
    made.push(clone);
    assert.deepEqual([...clone.misbehave], ["missing-san"]);
    await clone.dispose();
    // Sharing the directory (as a field-by-field copy did) would have taken the original's CA with it.
    const sel = pick(await roundTrip(original, { requests }));
    assert.equal(sel.status.name, "blocked");
  });

  it("given missing-san then blocked names the SAN", async () => {
    const sel = pick(await roundTrip(await easyrsa("missing-san"), { requests }));
    assert.deepEqual(sel.status, {
      name: "blocked",
      message: `certificate from easyrsa lacks SAN 127.0.0.1; ${HINT}`,
    });
  });

  it("given wrong-key then the published key does not match the certificate", async () => {
    const sel = pick(await roundTrip(await easyrsa("wrong-key"), { requests }));
    assert.equal(sel.status.message, `certificate from easyrsa does not match its private key; ${HINT}`);
  });

  it("given expired then the end date is shown", async () => {
    const sel = pick(await roundTrip(await easyrsa("expired"), { requests }));
    const end = new Date(Date.now() - 86_400_000).toISOString().slice(0, 10);
    assert.equal(sel.status.message, `certificate from easyrsa expired on ${end}; ${HINT}`);
  });

  it("given malformed JSON then the second certificate reports a typed parse problem", async () => {
    const round = await roundTrip(await easyrsa("malformed-json"), { requests });
    assert.deepEqual(round.answers.problems, [
      { source: "easyrsa/0", key: "aws-iam_0.processed_requests", message: "not valid JSON" },
    ]);
    assert.equal(pick(round, webhook).status.name, "waiting");
  });

  it("given a CA rotation without re-issue then the old certificate does not chain and the last good stays", async () => {
    const e = await easyrsa();
    const first = await roundTrip(e, { requests });
    const lastGood = pick(first).use!;
    await e.rotateCa({ reissue: false });
    const second = await roundTrip(e, { requests, previous: first });
    const sel = selectCertificate({ request: authn, answers: second.answers, lastGood, now: new Date() });
    assert.equal(sel.use, lastGood);
    assert.equal(
      sel.status.message,
      `certificate from easyrsa does not chain to the CA easyrsa published; ${HINT}`,
    );
  });

  it("given a CA rotation with re-issue then the new material flows on and openssl verifies it", async () => {
    const e = await easyrsa();
    const first = await roundTrip(e, { requests });
    const lastGood = pick(first).use!;
    await e.rotateCa();
    const second = await roundTrip(e, { requests, previous: first });
    const sel = selectCertificate({ request: authn, answers: second.answers, lastGood, now: new Date() });
    assert.equal(sel.install, true);
    assert.notEqual(sel.use!.caPem, lastGood.caPem);
    assert.match(await opensslVerify(sel.use!.caPem, sel.use!.certPem), /: OK$/);
  });

  it("given a SAN change then easyrsa revokes and re-issues with the new SAN", async () => {
    const e = await easyrsa();
    const first = await roundTrip(e, { requests });
    const wider = desiredRequests({ extraSans: ["10.0.0.5"], additional: [webhook] });
    const second = await roundTrip(e, { requests: wider, previous: first });
    const sel = selectCertificate({ request: wider[0]!, answers: second.answers, now: new Date() });
    assert.equal(sel.status.name, "active");
    assert.notEqual(sel.use!.fingerprint256, pick(first).use!.fingerprint256);
  });
});
