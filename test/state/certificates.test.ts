/** The certificates step through the real charm (runCharm in process) in a three-unit model with
 * provider stand-ins of both tls-certificates protocols: request, validate, share, misbehave. */
import assert from "node:assert/strict";
import { X509Certificate } from "node:crypto";
import { after, describe, test } from "node:test";
import { createCsrPem, csrMatchesRequest } from "../../src/certificates/keys.ts";
import { containsPrivateKey, pemBlocks } from "../../src/certificates/pem.ts";
import { desiredRequests } from "../../src/certificates/request.ts";
import type { Deployment } from "../emulator/juju/deployment.ts";
import type { RemoteCharm } from "../emulator/juju/remote-charm.ts";
import {
  appStatusOf,
  heldBy,
  latestContent,
  peerAppBag,
  publishedTexts,
  statusOf,
  tlsSecret,
  UNITS,
  withProvider,
} from "../support/certificates.ts";
import type { ExtraApp } from "../support/deployments.ts";
import { disposeFork, fork, relationIdOf, settled } from "../support/hook.ts";
import { csrProvider, easyrsa, vaultLegacy } from "../support/providers.ts";
import { opensslVerify } from "../unit/certificates/tls-test-kit.ts";

const runs: Deployment[] = [];
/** The forks' machine directories go when the file is done. */
const forks: Deployment[] = [];
after(() => forks.forEach(disposeFork));
const date = (iso: string) => new Date(iso).toISOString().slice(0, 10);
/** With a valid certificate the reconcile moves on to the workload; these models have no Kubernetes. */
const READY = "waiting: no Kubernetes credentials at /root/.kube/config yet (the control plane writes them)";
const VAULT_HINT = "ask vault to re-issue (vault: juju run vault/leader reissue-certificates)";
/** The easyrsa case's name, and the key of its settled deployment, which later tests fork. */
const EASYRSA = "easyrsa (legacy protocol)";
const EASYRSA_HINT = "ask easyrsa to re-issue (vault: juju run easyrsa/leader reissue-certificates)";

/** A deployment settled with `provider`: once per `key` in this file (then a fork of that settled state,
 * with its own copy of the stand-in: easyrsa's on its own copy of its PKI directory, signed on by
 * easy-rsa from there), or afresh without a key. */
async function deploy<S extends RemoteCharm>(
  provider: () => ExtraApp & { standIn: S },
  endpoint: string,
  generation: "legacy" | "current" = "current",
  key?: string,
): Promise<{ d: Deployment; certificates: number; standIn: S }> {
  if (key === undefined) {
    const app = provider();
    const deployment = await withProvider(app, endpoint, { generation });
    runs.push(deployment.d);
    return { d: deployment.d, certificates: deployment.certificates, standIn: app.standIn };
  }
  const state = await settled(`certificates: ${key}`, async () => ({
    d: (await withProvider(provider(), endpoint, { generation })).d,
  }));
  const app = endpoint.split(":")[0]!;
  const d = fork(state);
  runs.push(d);
  forks.push(d);
  const standIn = d.standInCharms[app] as S;
  return { d, certificates: relationIdOf(state, "certificates"), standIn };
}

/** Every unit serves the same validated certificate, and openssl accepts it against its CA. */
async function assertServedEverywhere(d: Deployment, protocol: "csr" | "legacy"): Promise<string> {
  const fingerprint = peerAppBag(d)["tls-fingerprint"]!;
  assert.ok(fingerprint, "the leader shared a fingerprint");
  for (const unit of UNITS) {
    assert.equal(statusOf(d, unit), READY, unit);
    const { content, recorded } = heldBy(d, unit);
    assert.equal(recorded, fingerprint, `${unit} recorded the certificate in use`);
    assert.equal(content["fingerprint"], fingerprint, `${unit} tracks the revision with that certificate`);
    assert.equal(content["protocol"], protocol);
    // vault 1.15+ (CSR protocol) sends no root: its intermediate is the anchor the webhook kubeconfig
    // names, which kube-apiserver (Go: any pool certificate anchors, i.e. -partial_chain) accepts and
    // OpenSSL's default does not. Every other provider's anchor is a root and verifies fully.
    const intermediateAnchor = content["provider"] === "vault" && protocol === "csr";
    const verify = (partialChain: boolean) =>
      opensslVerify(content["ca-certificate"]!, content["certificate"]!, pemBlocks(content["chain"] ?? ""), {
        partialChain,
      });
    assert.match(await verify(intermediateAnchor), /: OK$/, unit);
    if (intermediateAnchor) await assert.rejects(verify(false), /unable to get issuer certificate/, unit);
    const leaf = new X509Certificate(content["certificate"]!);
    assert.ok(
      leaf.checkPrivateKey(await import("node:crypto").then((c) => c.createPrivateKey(content["key"]!))),
    );
  }
  assert.equal(appStatusOf(d), READY);
  return fingerprint;
}

function leaderRequest(d: Deployment, certificates: number) {
  return d.relation(certificates).unitData["aws-iam/0"] ?? {};
}

describe("given aws-iam related to a certificates provider", () => {
  const cases: Array<[string, () => ExtraApp, string, "csr" | "legacy", "legacy" | "current"]> = [
    [EASYRSA, easyrsa, "easyrsa:client", "legacy", "legacy"],
    [
      "reactive vault, root CA (legacy)",
      () => vaultLegacy("root"),
      "vault:certificates",
      "legacy",
      "current",
    ],
    [
      "reactive vault, intermediate CA (legacy)",
      () => vaultLegacy("intermediate"),
      "vault:certificates",
      "legacy",
      "current",
    ],
    [
      "self-signed-certificates (CSR protocol)",
      () => csrProvider({ flavour: "self-signed" }),
      "self-signed-certificates:certificates",
      "csr",
      "current",
    ],
    [
      "vault 1.15+ allowing our SANs (CSR protocol)",
      () => csrProvider({ flavour: "vault", allowIpSans: true, allowAnyName: true }),
      "vault:vault-pki",
      "csr",
      "current",
    ],
  ];
  for (const [name, provider, endpoint, protocol, generation] of cases) {
    test(`${name}: every unit ends with the validated certificate and openssl verifies it`, async () => {
      const { d, certificates } = await deploy(provider, endpoint, generation, name);
      await assertServedEverywhere(d, protocol);
      // Only the leader requests; the others publish their unit name only.
      const request = leaderRequest(d, certificates);
      assert.equal(request["common_name"], "aws-iam-authenticator");
      assert.equal(request["sans"], '["127.0.0.1", "localhost"]');
      assert.ok(request["certificate_signing_requests"]);
      for (const unit of ["aws-iam/1", "aws-iam/2"]) {
        const bag = d.relation(certificates).unitData[unit]!;
        assert.equal(bag["unit_name"], unit.replace("/", "_"));
        assert.equal(bag["common_name"], undefined);
        assert.equal(bag["certificate_signing_requests"], undefined);
      }
    });
  }

  test("vault 1.15+ with its default role: one blocked status names the name and the IP settings, both fixed at once → active", async () => {
    const { d, certificates, standIn } = await deploy(
      () => csrProvider({ flavour: "vault" }),
      "vault:vault-pki",
    );
    const expected =
      "blocked: vault refused the authenticator certificate (DOMAIN_NOT_ALLOWED): name aws-iam-authenticator " +
      "not allowed, and IP SANs (127.0.0.1) are checked only after it; " +
      "run: juju config vault pki_allow_any_name=true pki_allow_ip_sans=true " +
      "(or, instead of pki_allow_any_name, add aws-iam-authenticator to pki_allowed_domains, " +
      "or pick a name it allows: juju config aws-iam certificate-common-name=<name>)";
    assert.equal(statusOf(d, "aws-iam/0"), expected);
    assert.equal(appStatusOf(d), expected);
    assert.equal(statusOf(d, "aws-iam/1"), "waiting: waiting for a server certificate from vault");
    // What the provider published, in charmlibs' shape (optional fields set, `endpoint` absent).
    const [entry] = JSON.parse(d.relation(certificates).appData["vault"]!["request_errors"]!) as Array<{
      error: Record<string, unknown>;
    }>;
    assert.deepEqual(entry!.error, {
      code: 102,
      name: "DOMAIN_NOT_ALLOWED",
      message: "Vault PKI role rejected the requested DNS names.",
      reason: "common name aws-iam-authenticator not allowed by this role",
      provider: "vault-pki",
    });
    standIn.reconfigure({ allowAnyName: true, allowIpSans: true });
    await d.pokeStandIn("vault", certificates);
    await assertServedEverywhere(d, "csr");
  });

  test("vault 1.15+ that allows the name only: the IP refusal comes next, naming pki_allow_ip_sans", async () => {
    const { d } = await deploy(
      () => csrProvider({ flavour: "vault", allowedDomains: ["aws-iam-authenticator"] }),
      "vault:vault-pki",
    );
    assert.equal(
      statusOf(d, "aws-iam/0"),
      "blocked: vault refused the authenticator certificate (IP_NOT_ALLOWED): IP SAN 127.0.0.1 not allowed; " +
        "run: juju config vault pki_allow_ip_sans=true",
    );
  });

  test("certificate-common-name: a name vault allows is requested (loopback SANs kept) and served", async () => {
    const { d, certificates } = await deploy(
      () =>
        csrProvider({
          flavour: "vault",
          allowedDomains: ["authn.k8s.example.com"],
          allowIpSans: true,
        }),
      "vault:vault-pki",
    );
    assert.match(
      statusOf(d, "aws-iam/0"),
      /^blocked: vault refused the authenticator certificate \(DOMAIN_NOT_ALLOWED\)/,
    );
    await d.configure("aws-iam", { "certificate-common-name": "authn.k8s.example.com" });
    await assertServedEverywhere(d, "csr");
    const request = leaderRequest(d, certificates);
    assert.equal(request["common_name"], "authn.k8s.example.com");
    assert.equal(request["sans"], '["127.0.0.1", "localhost"]');
    const leaf = new X509Certificate(latestContent(d)["certificate"]!);
    assert.match(leaf.subject, /CN=authn\.k8s\.example\.com/);
    assert.equal(leaf.checkIP("127.0.0.1"), "127.0.0.1");
  });

  test("certificate-common-name that is not a DNS name: blocked naming the option, nothing requested", async () => {
    const { d, certificates } = await deploy(
      () => csrProvider({ flavour: "self-signed" }),
      "self-signed-certificates:certificates",
      "current",
      "self-signed-certificates (CSR protocol)",
    );
    const before = leaderRequest(d, certificates)["certificate_signing_requests"];
    await d.configure("aws-iam", { "certificate-common-name": "Not_A_Name" });
    assert.match(
      statusOf(d, "aws-iam/0"),
      /^blocked: invalid config: certificate-common-name must be a lower-case DNS name/,
    );
    assert.equal(leaderRequest(d, certificates)["certificate_signing_requests"], before);
  });

  test("an older vault that only logs its refusal: after 15 minutes without an answer the status says what to check", async () => {
    let clock = Date.now();
    const provider = csrProvider({ flavour: "vault", reportsErrors: false });
    const deployment = await withProvider(provider, "vault:vault-pki", { now: () => new Date(clock) });
    runs.push(deployment.d);
    const { d } = deployment;
    assert.equal(statusOf(d, "aws-iam/0"), "waiting: waiting for a server certificate from vault");
    assert.deepEqual(provider.standIn.logs.slice(-1), [
      "Failed to sign certificate request: common name aws-iam-authenticator not allowed by this role",
    ]);
    const requestedAt = latestContent(d)["csr-created"]!;
    clock += 14 * 60 * 1000;
    await d.updateStatus("aws-iam");
    assert.equal(statusOf(d, "aws-iam/0"), "waiting: waiting for a server certificate from vault");
    clock += 60 * 1000;
    await d.updateStatus("aws-iam");
    const expected =
      `blocked: no answer from vault to the authenticator certificate request of ${requestedAt.slice(0, 16).replace("T", " ")} UTC; ` +
      "check vault: `juju status vault` (active, unsealed?) and `juju debug-log --include vault` " +
      "(an older vault only logs a refusal: allow the name aws-iam-authenticator and IP SANs 127.0.0.1 with " +
      "juju config vault pki_allow_any_name=true pki_allow_ip_sans=true)";
    assert.equal(statusOf(d, "aws-iam/0"), expected);
    assert.equal(appStatusOf(d), expected);
    // The clock is the request's, kept in the secret: another hook does not restart it.
    assert.equal(latestContent(d)["csr-created"], requestedAt);
    provider.standIn.reconfigure({ allowAnyName: true, allowIpSans: true });
    await d.pokeStandIn("vault", deployment.certificates);
    await assertServedEverywhere(d, "csr");
  });
});

describe("hooks stay idempotent with a certificate in use", () => {
  for (const unit of ["aws-iam/0", "aws-iam/1"]) {
    test(`${unit}: update-status and certificates-relation-changed twice → no writes, no secret reads`, async () => {
      const { d, certificates } = await deploy(
        () => csrProvider({ flavour: "self-signed" }),
        "self-signed-certificates:certificates",
        "current",
        "self-signed-certificates (CSR protocol)",
      );
      for (const [hook, spec] of [
        ["update-status", {}],
        [
          "certificates-relation-changed",
          { relationId: certificates, remoteApp: "self-signed-certificates" },
        ],
      ] as const) {
        await d.runHook(unit, hook, spec);
        const second = await d.runHook(unit, hook, spec);
        assert.equal(second.exitCode, 0, second.stderr);
        const writes = second.calls.filter((c) =>
          /-set$|^secret-(add|set|remove)|^state-delete/.test(c.tool),
        );
        assert.deepEqual(
          writes.map((c) => c.tool),
          [],
        );
        const secretReads = second.calls.filter((c) => c.tool === "secret-get").length;
        // The leader reads its secret once per hook (it needs the key to validate answers).
        assert.equal(secretReads, unit === "aws-iam/0" ? 1 : 0, `${unit} ${hook}`);
        process.stdout.write(`# ${unit} ${hook}: ${second.calls.length} tool calls\n`);
      }
    });
  }
});

describe("misbehaving legacy provider (reactive vault): the last good certificate stays in use", () => {
  const cases: Array<
    [string, "expired" | "wrong-key" | "missing-san", (leaf: X509Certificate | undefined) => string]
  > = [
    [
      "expired",
      "expired",
      (leaf) => `certificate from vault expired on ${date(leaf!.validTo)}; ${VAULT_HINT}`,
    ],
    ["wrong key", "wrong-key", () => `certificate from vault does not match its private key; ${VAULT_HINT}`],
    ["missing SAN", "missing-san", () => `certificate from vault lacks SAN 127.0.0.1; ${VAULT_HINT}`],
  ];
  for (const [name, misbehaviour, message] of cases) {
    test(`${name}: blocked with the exact problem and fix`, async () => {
      const { d, certificates, standIn } = await deploy(
        () => vaultLegacy("root"),
        "vault:certificates",
        "current",
        "reactive vault, root CA (legacy)",
      );
      const good = await assertServedEverywhere(d, "legacy");
      standIn.misbehave.add(misbehaviour);
      standIn.reissueAll();
      await d.pokeStandIn("vault", certificates);
      const answer = d.relation(certificates).unitData["vault/0"]!["aws-iam_0.server.cert"]!;
      const expected = `blocked: ${message(new X509Certificate(answer))}`;
      assert.equal(statusOf(d, "aws-iam/0"), expected);
      assert.equal(appStatusOf(d), expected);
      assertStillServing(d, good);
    });
  }
});

function assertStillServing(d: Deployment, fingerprint: string): void {
  assert.equal(peerAppBag(d)["tls-fingerprint"], fingerprint);
  for (const unit of UNITS) {
    const { content, recorded } = heldBy(d, unit);
    assert.equal(recorded, fingerprint, unit);
    assert.equal(content["fingerprint"], fingerprint, unit);
  }
}

describe("misbehaving CSR provider (self-signed-certificates): the last good certificate stays in use", () => {
  const SS = "self-signed-certificates";
  test("malformed JSON: waiting names the key; fixed JSON brings the same certificate back", async () => {
    const { d, certificates, standIn } = await deploy(
      () => csrProvider({ flavour: "self-signed" }),
      `${SS}:certificates`,
      "current",
      "self-signed-certificates (CSR protocol)",
    );
    const good = await assertServedEverywhere(d, "csr");
    standIn.misbehave.add("malformed-json");
    await d.pokeStandIn(SS, certificates);
    assert.equal(statusOf(d, "aws-iam/0"), `waiting: ${SS} sent unreadable certificates: not valid JSON`);
    assertStillServing(d, good);
    standIn.misbehave.delete("malformed-json");
    await d.pokeStandIn(SS, certificates);
    assert.equal(statusOf(d, "aws-iam/0"), READY);
    assertStillServing(d, good);
  });

  const cases: Array<[string, "expired" | "wrong-key" | "missing-san", (leaf: X509Certificate) => string]> = [
    ["expired", "expired", (leaf) => `certificate from ${SS} expired on ${date(leaf.validTo)}; re-requested`],
    ["wrong key", "wrong-key", () => `certificate from ${SS} does not match its private key; re-requested`],
    ["missing SAN", "missing-san", () => `certificate from ${SS} lacks SAN 127.0.0.1; re-requested`],
  ];
  for (const [name, misbehaviour, message] of cases) {
    test(`${name} re-issue after a revocation: waiting with the exact problem, re-requested once`, async () => {
      const { d, certificates, standIn } = await deploy(
        () => csrProvider({ flavour: "self-signed" }),
        `${SS}:certificates`,
        "current",
        "self-signed-certificates (CSR protocol)",
      );
      const good = await assertServedEverywhere(d, "csr");
      standIn.misbehave.add(misbehaviour);
      standIn.revokeAll();
      await d.pokeStandIn(SS, certificates);
      const entries = JSON.parse(d.relation(certificates).appData[SS]!["certificates"]!) as Array<{
        certificate: string;
      }>;
      const expected = `waiting: ${message(new X509Certificate(entries[0]!.certificate))}`;
      assert.equal(statusOf(d, "aws-iam/0"), expected);
      assert.equal(appStatusOf(d), expected);
      const history = d.state.units["aws-iam/0"]!.statusHistory.map((s) => `${s.status}: ${s.message}`);
      assert.ok(history.includes(`waiting: certificate from ${SS} was revoked; re-requested`));
      assertStillServing(d, good);
      assert.ok(peerAppBag(d)["tls-rerequest-for"], "the re-request is remembered (no CSR per bad answer)");
    });
  }

  test("revocation: a fresh CSR, the re-issued certificate reaches every unit", async () => {
    const { d, certificates, standIn } = await deploy(
      () => csrProvider({ flavour: "self-signed" }),
      `${SS}:certificates`,
      "current",
      "self-signed-certificates (CSR protocol)",
    );
    const good = await assertServedEverywhere(d, "csr");
    const csr = latestContent(d)["csr"];
    standIn.revokeAll();
    await d.pokeStandIn(SS, certificates);
    const history = d.state.units["aws-iam/0"]!.statusHistory.map((s) => `${s.status}: ${s.message}`);
    assert.ok(history.includes(`waiting: certificate from ${SS} was revoked; re-requested`));
    assert.notEqual(latestContent(d)["csr"], csr);
    const renewed = await assertServedEverywhere(d, "csr");
    assert.notEqual(renewed, good);
    assert.equal(peerAppBag(d)["tls-rerequest-for"], undefined);
  });

  test("CA rotation: the new CA and certificate flow to every unit; old revisions can be removed", async () => {
    const { d, certificates, standIn } = await deploy(
      () => csrProvider({ flavour: "self-signed" }),
      `${SS}:certificates`,
      "current",
      "self-signed-certificates (CSR protocol)",
    );
    const oldCa = latestContent(d)["ca-certificate"];
    standIn.rotateCa();
    await d.pokeStandIn(SS, certificates);
    await assertServedEverywhere(d, "csr");
    assert.notEqual(latestContent(d)["ca-certificate"], oldCa);
    assert.equal(latestContent(d)["ca-certificate"], standIn.caPem.trim());
    // Juju fires secret-remove on the owner for revisions nobody tracks any more.
    const secret = tlsSecret(d);
    const result = await d.runHook("aws-iam/0", "secret-remove", { secretId: secret.id, secretRevision: 1 });
    assert.equal(result.exitCode, 0, result.stderr);
    assert.deepEqual(tlsSecret(d).removedRevisions, [1]);
    assert.equal(statusOf(d, "aws-iam/0"), READY);
  });
});

describe("legacy CA rotation (easyrsa restore)", () => {
  test("with re-issue: the new CA and certificate reach every unit", async () => {
    const { d, certificates, standIn } = await deploy(easyrsa, "easyrsa:client", "legacy", EASYRSA);
    const good = await assertServedEverywhere(d, "legacy");
    await standIn.rotateCa({ reissue: true });
    await d.pokeStandIn("easyrsa", certificates);
    assert.notEqual(await assertServedEverywhere(d, "legacy"), good);
  });

  test("without re-issue: blocked (does not chain to the new CA), the last good certificate stays", async () => {
    const { d, certificates, standIn } = await deploy(easyrsa, "easyrsa:client", "legacy", EASYRSA);
    const good = await assertServedEverywhere(d, "legacy");
    await standIn.rotateCa({ reissue: false });
    await d.pokeStandIn("easyrsa", certificates);
    const expected = `blocked: certificate from easyrsa does not chain to the CA easyrsa published; ${EASYRSA_HINT}`;
    assert.equal(statusOf(d, "aws-iam/0"), expected);
    assertStillServing(d, good);
  });
});

describe("changes in what we ask for, and losing the provider", () => {
  test("a changed request (CSR for other SANs, as after an upgrade) → a new CSR and a new certificate", async () => {
    const { d, certificates } = await deploy(
      () => csrProvider({ flavour: "self-signed" }),
      "self-signed-certificates:certificates",
      "current",
      "self-signed-certificates (CSR protocol)",
    );
    const good = await assertServedEverywhere(d, "csr");
    const secret = tlsSecret(d);
    const content = latestContent(d);
    const oldRequest = { name: "authenticator", commonName: "aws-iam-authenticator", sans: ["localhost"] };
    const oldCsr = createCsrPem(oldRequest, content["request-key"]!);
    secret.revisions.push({ revision: secret.revisions.length + 1, content: { ...content, csr: oldCsr } });
    await d.runHook("aws-iam/0", "upgrade-charm");
    const published = JSON.parse(leaderRequest(d, certificates)["certificate_signing_requests"]!) as Array<{
      certificate_signing_request: string;
    }>;
    assert.equal(published.length, 1);
    assert.ok(csrMatchesRequest(published[0]!.certificate_signing_request, desiredRequests()[0]!));
    assert.notEqual(latestContent(d)["csr"], oldCsr);
    assert.notEqual(await assertServedEverywhere(d, "csr"), good);
  });

  test("relation removed: every unit keeps serving and says the relation is missing and when it expires", async () => {
    const { d, certificates } = await deploy(easyrsa, "easyrsa:client", "legacy", EASYRSA);
    const good = await assertServedEverywhere(d, "legacy");
    const until = date(latestContent(d)["expires"]!);
    await d.removeRelation(certificates);
    const expected =
      `blocked: certificates relation missing; serving the last certificate until ${until}; ` +
      "restore it: `juju integrate aws-iam:certificates easyrsa:client` (vault 1.15+: vault:vault-pki; the reactive vault ≤ 1.8: vault:certificates)";
    for (const unit of UNITS) assert.equal(statusOf(d, unit), expected, unit);
    assert.equal(appStatusOf(d), expected);
    assertStillServing(d, good);
  });

  test("expiry within 7 days and no renewal: blocked with the date on every unit", async () => {
    const { d } = await deploy(
      () => csrProvider({ flavour: "self-signed", validityDays: 5 }),
      "self-signed-certificates:certificates",
    );
    const until = date(latestContent(d)["expires"]!);
    const expected = `blocked: certificate expires on ${until}: no renewal from self-signed-certificates`;
    for (const unit of UNITS) assert.equal(statusOf(d, unit), expected, unit);
    assert.equal(appStatusOf(d), expected);
  });

  test("leadership moves: same certificate, the old leader withdraws its request", async () => {
    const { d, certificates } = await deploy(
      () => csrProvider({ flavour: "self-signed" }),
      "self-signed-certificates:certificates",
      "current",
      "self-signed-certificates (CSR protocol)",
    );
    const good = await assertServedEverywhere(d, "csr");
    await d.setLeader("aws-iam/1");
    await d.updateStatus("aws-iam");
    assert.equal(peerAppBag(d)["tls-fingerprint"], good);
    for (const unit of UNITS) assert.equal(heldBy(d, unit).recorded, good, unit);
    const old = d.relation(certificates).unitData["aws-iam/0"]!;
    assert.equal(old["certificate_signing_requests"], undefined);
    assert.ok(d.relation(certificates).unitData["aws-iam/1"]!["certificate_signing_requests"]);
    for (const unit of UNITS) assert.equal(statusOf(d, unit), READY);
  });
});

// Declared last, so it runs after every deployment above: all their logs, statuses and databags.
test("no private key in any log line, status or databag of the whole run", () => {
  assert.ok(runs.length >= 10);
  const leaks = runs
    .flatMap((d) => publishedTexts(d))
    .filter((text) => containsPrivateKey(text) || text.includes("PRIVATE KEY"));
  assert.deepEqual(leaks, []);
});
