import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { certificateNeeds, decideCertificates } from "../../../src/certificates/decide.ts";
import { encodeUnitRecord } from "../../../src/certificates/secret-content.ts";
import { unitTlsRecordPath } from "../../../src/machine/paths.ts";
import type { Observed } from "../../../src/observe/observe.ts";
import { makeCa, newKeyPem, signLeaf, windowFrom } from "../../emulator/charms/tls-forge-ca.ts";
import { NOW, observed, relation, type Seen } from "../plan/observed.ts";

const DAY = 86_400_000;
const key = newKeyPem();
const fresh = { privateKey: () => key, uuid: () => "cert-uuid" };
const settings = { commonName: "aws-iam-authenticator" };
const ca = makeCa("root", windowFrom(new Date(NOW.getTime() - DAY), 3650));
const easyrsa = (remoteAppData = {}) =>
  relation("certificates", 5, { remoteApp: "easyrsa", remoteUnits: ["easyrsa/0"], remoteAppData });
const decide = (o: Observed) => decideCertificates(o, settings, fresh);

/** The provider's CSR-protocol answer to `csr`, valid for `days`. */
function answer(csr: string, days = 90) {
  const certificate = signLeaf({
    ca,
    subjectKeyPem: csr,
    commonName: "aws-iam-authenticator",
    sans: ["127.0.0.1", "localhost"],
    window: windowFrom(new Date(NOW.getTime() - 60_000), days),
  });
  return {
    certificates: JSON.stringify([
      { certificate_signing_request: csr, certificate, ca: ca.certPem, chain: [certificate, ca.certPem] },
    ]),
  };
}

/** First hook with the relation, then the provider's answer, as the leader sees them. */
function firstTwoHooks(days = 90) {
  const first = decide(observed({ certificates: easyrsa(), peerApp: {} }));
  const content = first.plan.secret!.content;
  const seen: Seen = {
    certificates: easyrsa(answer(content["csr"]!, days)),
    peerApp: { "tls-secret-id": "secret:abc" },
    tlsSecret: { id: "secret:abc", content },
  };
  return { first, seen, second: decide(observed(seen)) };
}

describe("decideCertificates, leader", () => {
  it("first hook: keeps a new key and CSR in the secret, publishes the request, waits for the provider", () => {
    const { first } = firstTwoHooks();
    const secret = first.plan.secret!;
    assert.equal(secret.label, "authenticator-tls");
    assert.equal(secret.shareIdAs, "tlsSecretId");
    assert.equal(secret.content["request-key"], key);
    assert.match(secret.content["csr"]!, /BEGIN CERTIFICATE REQUEST/);
    assert.equal(secret.content["csr-created"], NOW.toISOString());
    const request = first.plan.unitData!["certificates:5"]!;
    assert.ok(Object.values(request).some((value) => value.includes("BEGIN CERTIFICATE REQUEST")));
    assert.ok(
      Object.values(request).every((value) => !value.includes("PRIVATE KEY")),
      "no key in relation data",
    );
    assert.equal(first.plan.peerApp!.tlsSecretId, undefined, "the id comes from secret-add");
    assert.deepEqual(first.status, {
      name: "waiting",
      message: "waiting for a server certificate from easyrsa",
    });
    assert.equal(first.certificate, undefined);
    assert.ok(
      first.plan.logs!.some((line) => line.message.startsWith("generated the authenticator's private key")),
    );
  });

  it("installs the provider's answer: secret, peer keys, unit record, and what the server serves", () => {
    const { second } = firstTwoHooks();
    assert.equal(second.status, undefined);
    const cert = second.certificate!;
    assert.equal(cert.changed, true);
    assert.equal(cert.caPem, ca.certPem);
    assert.match(cert.served!.keyPem, /PRIVATE KEY/);
    assert.equal(second.plan.secret!.content["fingerprint"], cert.fingerprint);
    assert.deepEqual(second.plan.peerApp, {
      tlsSecretId: "secret:abc",
      tlsFingerprint: cert.fingerprint,
      tlsExpires: cert.notAfter,
      tlsCa: ca.certPem,
      tlsReRequestFor: undefined,
    });
    const record = second.plan.files![unitTlsRecordPath("aws-iam/0")]!;
    assert.equal(JSON.parse(record.content).fingerprint, cert.fingerprint);
    assert.doesNotMatch(record.content, /PRIVATE KEY/);
  });

  it("the hook after: same secret content, no install log (a no-change hook writes nothing)", () => {
    const { seen, second } = firstTwoHooks();
    const third = decide(
      observed({ ...seen, tlsSecret: { id: "secret:abc", content: second.plan.secret!.content } }),
    );
    assert.deepEqual(third.plan.secret!.content, second.plan.secret!.content);
    assert.equal(third.certificate!.changed, false);
    assert.deepEqual(third.plan.logs, []);
  });

  it("within 7 days of expiry with no renewal: blocked with the date", () => {
    const { second } = firstTwoHooks(5);
    assert.equal(second.status?.name, "blocked");
    assert.match(second.status!.message, /^certificate expires on \d{4}-\d\d-\d\d: /);
  });

  it("a provider refusal (code 101) is blocked with the provider's fix", () => {
    const first = decide(observed({ certificates: easyrsa(), peerApp: {} }));
    const content = first.plan.secret!.content;
    const refusal = {
      request_errors: JSON.stringify([
        { csr: content["csr"], error: { code: 101, name: "IP_NOT_ALLOWED", message: "m" } },
      ]),
    };
    const decided = decide(
      observed({ certificates: easyrsa(refusal), peerApp: {}, tlsSecret: { id: "s", content } }),
    );
    assert.deepEqual(decided.status, {
      name: "blocked",
      message:
        "easyrsa refused the authenticator certificate (IP_NOT_ALLOWED): IP SAN 127.0.0.1 not allowed; " +
        "run: juju config easyrsa pki_allow_ip_sans=true",
    });
  });

  it("no relation and no secret: blocked, naming the relation to add; nothing written", () => {
    const decided = decide(observed({ peerApp: {} }));
    assert.deepEqual(decided.plan, {});
    assert.equal(decided.status?.name, "blocked");
    assert.match(
      decided.status!.message,
      /^missing certificates relation: `juju integrate aws-iam:certificates/,
    );
  });

  it("relation gone with a valid certificate in the secret: keeps serving it, blocked with the date", () => {
    const { seen, second } = firstTwoHooks();
    const decided = decide(
      observed({
        peerApp: seen.peerApp!,
        tlsSecret: { id: "secret:abc", content: second.plan.secret!.content },
      }),
    );
    assert.equal(decided.certificate?.fingerprint, second.certificate!.fingerprint);
    assert.equal(decided.plan.secret, undefined, "no relation: the secret is left as it is");
    assert.match(
      decided.status!.message,
      /^certificates relation missing; serving the last certificate until /,
    );
  });

  it("secret-remove for our secret: removes that revision", () => {
    const o = observed({
      peerApp: { "tls-secret-id": "secret:abc" },
      hook: "secret-remove",
      context: { secret: { id: "secret:abc", label: "authenticator-tls", revision: 3 } },
    });
    assert.deepEqual(decide(o).plan.secretRevisionsToRemove, [{ id: "secret:abc", revision: 3 }]);
  });

  it("needs the secret only with a relation or a secret id", () => {
    assert.deepEqual(certificateNeeds(observed({ peerApp: {} })), []);
    assert.deepEqual(certificateNeeds(observed({ peerApp: {}, certificates: easyrsa() })), [
      { kind: "tls-secret", id: undefined },
    ]);
  });
});

describe("decideCertificates, other units", () => {
  const fingerprint = "AA:BB";
  const notAfter = new Date(NOW.getTime() + 60 * DAY).toISOString();
  const record = { fingerprint, notAfter, protocol: "csr" as const, provider: "easyrsa" };
  const shared = { "tls-secret-id": "secret:abc", "tls-fingerprint": fingerprint, "tls-ca": ca.certPem };
  const follower = (more: Seen = {}) =>
    observed({ leader: false, unit: "aws-iam/1", certificates: easyrsa(), ...more });
  const recordFiles = { [unitTlsRecordPath("aws-iam/1")]: encodeUnitRecord(record) };

  it("withdraws any request and waits while the leader has no certificate", () => {
    const decided = decide(follower({ peerApp: {} }));
    const withdraw = decided.plan.unitData!["certificates:5"]!;
    assert.equal(withdraw["unit_name"], "aws-iam_1");
    assert.ok(Object.entries(withdraw).every(([k, value]) => k === "unit_name" || value === ""));
    // Every key a requester writes, emptied (so the diff deletes it), and only the unit name legacy providers read.
    assert.deepEqual(withdraw, {
      unit_name: "aws-iam_1",
      common_name: "",
      sans: "",
      certificate_name: "",
      cert_requests: "",
      certificate_signing_requests: "",
    });
    assert.deepEqual(decided.status, {
      name: "waiting",
      message: "waiting for a server certificate from easyrsa",
    });
  });

  it("with its record matching the leader's fingerprint: no secret read, the certificate from the record", () => {
    const o = follower({ peerApp: shared, files: recordFiles });
    assert.deepEqual(certificateNeeds(o), []);
    const decided = decide(o);
    assert.deepEqual(decided.certificate, {
      fingerprint,
      notAfter,
      changed: false,
      caPem: ca.certPem,
      provider: "easyrsa",
    });
    assert.equal(decided.status, undefined);
    assert.equal(decided.plan.files, undefined);
  });

  it("a new fingerprint in the peer bag: reads the secret, records it, never holds the key", () => {
    const { second } = firstTwoHooks();
    const cert = second.certificate!;
    const peerApp = { ...shared, "tls-fingerprint": cert.fingerprint };
    assert.deepEqual(certificateNeeds(follower({ peerApp, files: recordFiles })), [
      { kind: "tls-secret", id: "secret:abc" },
    ]);
    const decided = decide(
      follower({
        peerApp,
        files: recordFiles,
        tlsSecret: { id: "secret:abc", content: second.plan.secret!.content },
      }),
    );
    assert.equal(decided.certificate?.fingerprint, cert.fingerprint);
    assert.equal(decided.certificate?.served, undefined);
    assert.equal(decided.certificate?.changed, true);
    assert.equal(
      JSON.parse(decided.plan.files![unitTlsRecordPath("aws-iam/1")]!.content).fingerprint,
      cert.fingerprint,
    );
  });

  it("its certificate within 7 days of expiry: blocked, no renewal from the provider", () => {
    const soon = new Date(NOW.getTime() + 3 * DAY).toISOString();
    const files = { [unitTlsRecordPath("aws-iam/1")]: encodeUnitRecord({ ...record, notAfter: soon }) };
    const decided = decide(follower({ peerApp: shared, files }));
    assert.deepEqual(decided.status, {
      name: "blocked",
      message: `certificate expires on ${soon.slice(0, 10)}: no renewal from easyrsa`,
    });
  });
});
