/** The certificate as the server really gets it (the vault 1.15+ case through the real built dispatch): aws-iam on a
 * control-plane machine with the Kubernetes API emulator and an intermediate-CA vault, on both
 * protocols (the reactive vault in intermediate mode on its legacy `certificates` endpoint beside the
 * 1.28 control plane, which sends its root; vault 1.15+ on `vault-pki`, answering ca = intermediate,
 * chain = [leaf, intermediate] and no root, beside the 1.29+ one, which with its default role first
 * refuses the name and is then configured as the blocked status says). The authenticator double is
 * started from the Kubernetes Secret's exact bytes as stored in the API, and clients trust only what
 * aws-iam wrote: the webhook kubeconfig's certificate-authority-data (Node, `openssl s_client`,
 * `openssl verify`; with vault 1.15+'s intermediate as anchor, as Go verifies: partial chain), and the
 * host trust store (CK's auth-webhook: verified with a root there; with vault 1.15+ only once
 * root-ca-certificate gives it). What a user sees through CK's forwarder follows: a mapped user is
 * authenticated, a denied token is a 500. */
import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, describe, test } from "node:test";
import { promisify } from "node:util";
import { load } from "js-yaml";
import { pemBlocks } from "../../src/certificates/pem.ts";
import { PATHS } from "../../src/machine/paths.ts";
import {
  type AuthenticatorDouble,
  DENY_BODY,
  startAuthenticatorDouble,
} from "../emulator/authenticator/server.ts";
import { INTERNAL_ERROR_BODY } from "../emulator/charms/ck-auth-webhook.ts";
import type { CsrProviderCharm } from "../emulator/charms/csr-provider.ts";
import type { OpsControlPlane } from "../emulator/charms/ops-control-plane.ts";
import type { ReactiveControlPlane } from "../emulator/charms/reactive-control-plane.ts";
import { type KubeApiEmulator, startKubeApiEmulator } from "../emulator/k8s/index.ts";
import { statusOf } from "../support/certificates.ts";
import { type ClusterDeployment, clusterDeployment } from "../support/cluster.ts";
import type { ExtraApp, Generation, Mode } from "../support/deployments.ts";
import { postReview } from "../support/post-review.ts";
import { csrProvider, vaultLegacy } from "../support/providers.ts";

const run = promisify(execFile);
const GOOD = "k8s-aws-v1.aHR0cHM6Ly9zdHMuYW1hem9uYXdzLmNvbS8_mapped";
const DENIED = "k8s-aws-v1.aHR0cHM6Ly9zdHMuYW1hem9uYXdzLmNvbS8_unmapped";
const ALICE = {
  username: "alice",
  uid: "aws-iam-authenticator:123456789012:AIDAEXAMPLE",
  groups: ["dev"],
};

interface Kubeconfig {
  clusters: Array<{ cluster: { server: string; "certificate-authority-data": string } }>;
}

/** What vault's default role answers aws-iam's request (name first, then IP SANs). */
const VAULT_REFUSAL =
  "blocked: vault refused the authenticator certificate (DOMAIN_NOT_ALLOWED): name aws-iam-authenticator " +
  "not allowed, and IP SANs (127.0.0.1) are checked only after it; " +
  "run: juju config vault pki_allow_any_name=true pki_allow_ip_sans=true " +
  "(or, instead of pki_allow_any_name, add aws-iam-authenticator to pki_allowed_domains, " +
  "or pick a name it allows: juju config aws-iam certificate-common-name=<name>)";

interface Case {
  readonly name: string;
  readonly provider: () => ExtraApp;
  readonly endpoint: string;
  readonly generation: Generation;
  /** The CSR case goes through the built dispatch (the served chain end to end, issue 9); the legacy
   * case runs the same charm in process, which keeps this file short. */
  readonly mode: Mode;
  /** Vault 1.15+ with its default role: refused first, then the operator runs the status's line. */
  readonly allow?: (app: ExtraApp) => void;
  /** The top of the chain the provider sends: vault 1.15+ sends no root (the anchor is its intermediate). */
  readonly anchor: "root" | "intermediate";
}

const cases: Case[] = [
  {
    name: "reactive vault in intermediate mode (legacy protocol, CK 1.28)",
    provider: () => vaultLegacy("intermediate"),
    endpoint: "vault:certificates",
    generation: "legacy",
    mode: "in-process",
    anchor: "root",
  },
  {
    name: "vault 1.15+ (CSR protocol on vault-pki, CK 1.29+)",
    provider: () => csrProvider({ flavour: "vault" }),
    endpoint: "vault:vault-pki",
    generation: "current",
    mode: "dispatch",
    allow: (app) => (app.standIn as CsrProviderCharm).reconfigure({ allowAnyName: true, allowIpSans: true }),
    anchor: "intermediate",
  },
];

for (const { name, provider, endpoint, generation, mode, allow, anchor } of cases) {
  describe(`served chain (${mode}): ${name}`, () => {
    let kube: KubeApiEmulator;
    let c: ClusterDeployment;
    let server: AuthenticatorDouble | undefined;
    let app: ExtraApp;
    const dir = mkdtempSync(join(tmpdir(), "served-chain-"));
    after(async () => {
      await server?.close();
      await c?.dispose();
      await kube?.close();
      rmSync(dir, { recursive: true, force: true });
    });

    test("ends active; the Secret's cert.pem is leaf + intermediate and verifies against the kubeconfig's CA alone", async () => {
      // One machine keeps the dispatch run short; three-unit behaviour is covered in process elsewhere.
      kube = await startKubeApiEmulator({ controlPlaneNodes: 1 });
      app = provider();
      // Through dispatch, from the certificates relation on (the control-plane relation's setup in process).
      c = await clusterDeployment(kube, {
        mode,
        setUpInProcess: true,
        generation,
        units: 1,
        provider: { app, endpoint },
      });
      const { d } = c;
      if (allow !== undefined) {
        assert.equal(statusOf(d, "aws-iam/0"), VAULT_REFUSAL);
        // `juju config vault pki_allow_any_name=true pki_allow_ip_sans=true`; vault signs on its next event.
        allow(app);
        await d.pokeStandIn("vault", c.certificatesRelation);
      }
      const failed = d.log.filter((s) => s.result !== undefined && s.result.exitCode !== 0);
      assert.deepEqual(
        failed.map((s) => `${s.description}: ${s.result!.stderr}`),
        [],
      );
      const ready = "active: authenticator ready on control-plane-0";
      assert.equal(
        statusOf(d, "aws-iam/0"),
        anchor === "root"
          ? ready
          : `${ready}; CK's auth-webhook cannot verify the authenticator: vault sent no root CA above "Vault intermediate CA"; set root-ca-certificate`,
      );

      // The Secret exactly as stored in the API.
      const [secret] = kube
        .objects("Secret")
        .filter((o) => (o["metadata"] as { name: string }).name === "aws-iam-authenticator-tls") as Array<{
        data: Record<string, string>;
      }>;
      const certFile = Buffer.from(secret!.data["cert.pem"]!, "base64").toString("utf8");
      const keyFile = Buffer.from(secret!.data["key.pem"]!, "base64").toString("utf8");
      const blocks = pemBlocks(certFile);
      assert.equal(blocks.length, 2, "leaf and the vault intermediate, not the root");
      assert.equal(certFile, blocks.map((b) => `${b}\n`).join(""), "every block ends in a newline");
      assert.ok(keyFile.endsWith("-----\n"));

      // The webhook kubeconfig every unit wrote names the top of the provider's chain as the trust anchor.
      const file = join(d.state.units["aws-iam/0"]!.machineRoot, PATHS.webhookKubeconfig);
      const cluster = (load(readFileSync(file, "utf8")) as Kubeconfig).clusters[0]!.cluster;
      const caPem = Buffer.from(cluster["certificate-authority-data"], "base64").toString("utf8");
      const caFile = join(dir, "ca.pem");
      writeFileSync(caFile, caPem);
      const [leafFile, chainFile] = [join(dir, "leaf.pem"), join(dir, "chain.pem")];
      writeFileSync(leafFile, `${blocks[0]}\n`);
      writeFileSync(chainFile, `${blocks[1]}\n`);
      const subject = async (f: string) =>
        (await run("openssl", ["x509", "-noout", "-subject", "-issuer", "-in", f])).stdout;
      const [caSubject, caIssuer] = (await subject(caFile)).split("\n").map((l) => l.replace(/^\w+=/, ""));
      // Go (kube-apiserver) ends a path at any certificate of its pool: with vault 1.15+'s intermediate as
      // the anchor, `-partial_chain` is what it does. OpenSSL's default needs a self-signed anchor.
      const partial = anchor === "intermediate" ? ["-partial_chain"] : [];
      if (anchor === "root") {
        assert.match(caSubject!, /CN ?= ?Vault [Rr]oot/, "the anchor is vault's root, not its intermediate");
        assert.equal(caSubject, caIssuer, "self-signed");
        // Without the intermediate (the old cert.pem) there is no path.
        await assert.rejects(
          run("openssl", ["verify", "-CAfile", caFile, leafFile]),
          /unable to get local issuer certificate/,
        );
      } else {
        assert.match(caSubject!, /CN ?= ?Vault intermediate CA/, "vault sent no root: its intermediate");
        assert.equal(readFileSync(chainFile, "utf8"), caPem, "the served intermediate is the anchor");
        await assert.rejects(
          run("openssl", ["verify", "-CAfile", caFile, "-untrusted", chainFile, leafFile]),
          /unable to get issuer certificate/,
        );
      }
      const verified = await run("openssl", [
        "verify",
        ...partial,
        "-CAfile",
        caFile,
        "-untrusted",
        chainFile,
        leafFile,
      ]);
      assert.match(verified.stdout, /leaf\.pem: OK/);

      // The server, from the Secret's bytes; clients holding only the kubeconfig's CA.
      server = await startAuthenticatorDouble({ certFile, keyFile, users: { [GOOD]: ALICE } });
      assert.equal(cluster.server, "https://127.0.0.1:21362/authenticate");
      const url = cluster.server.replace(":21362/", `:${server.port}/`);
      const ok = await postReview(url, caPem, GOOD);
      assert.equal(ok.status, 200);
      assert.deepEqual(JSON.parse(ok.body).status, { authenticated: true, user: ALICE });
      const denied = await postReview(url, caPem, DENIED);
      assert.deepEqual([denied.status, denied.body], [403, DENY_BODY]);
      // OpenSSL's own client: against the root alone, or (vault 1.15+) the intermediate as Go would.
      const sClient = await run("sh", [
        "-c",
        `openssl s_client -connect 127.0.0.1:${server.port} -CAfile "${caFile}" ${partial.join(" ")} -verify_return_error -verify_ip 127.0.0.1 </dev/null`,
      ]);
      assert.match(sClient.stdout, /Verify return code: 0 \(ok\)/);
    });

    test("CK's auth-webhook forwards with verification on (vault 1.15+: once root-ca-certificate is set): a mapped user is authenticated, a denied token is a 500", async () => {
      assert.ok(server !== undefined, "the first test started the server");
      const unit = "kubernetes-control-plane/0";
      const review =
        generation === "current"
          ? (() => {
              const ops = c.controlPlane as OpsControlPlane;
              ops.configure(server.url);
              return (token: string) => ops.review(unit, token);
            })()
          : (() => {
              // The 1.28 forwarder reads the URL from the webhook file; point it at the double's port.
              const reactive = c.controlPlane as ReactiveControlPlane;
              const seen = reactive.seen.get(unit)!;
              reactive.seen.set(unit, { ...seen, webhookServer: server.url });
              return (token: string) => reactive.review(unit, token);
            })();
      if (anchor === "intermediate") {
        // The host trust store holds vault's intermediate alone: Python's OpenSSL finds no self-signed
        // anchor, and the forwarder retries without verification.
        const unverified = await review(GOOD);
        assert.deepEqual(
          unverified.forwards.map((f) => [f.tls, f.httpStatus]),
          [["unverified", 200]],
        );
        // The operator gives the root that signed vault's intermediate (config-changed through dispatch).
        await c.d.configure("aws-iam", { "root-ca-certificate": (app.standIn as CsrProviderCharm).rootPem });
        assert.deepEqual(
          c.d.log.filter((s) => s.result !== undefined && s.result.exitCode !== 0),
          [],
        );
        // The note is gone; what is left is the double standing in on the forwarder's URL.
        assert.equal(
          statusOf(c.d, "aws-iam/0"),
          "active: authenticator ready on control-plane-0; run: juju config kubernetes-control-plane authn-webhook-endpoint=https://127.0.0.1:21362/authenticate",
        );
      }
      const mapped = await review(GOOD);
      assert.deepEqual(
        mapped.forwards.map((f) => [f.tls, f.httpStatus]),
        [["verified", 200]],
      );
      assert.equal(mapped.httpStatus, 200);
      assert.deepEqual(mapped.review?.status, { authenticated: true, user: ALICE });
      const denied = await review(DENIED);
      assert.deepEqual(
        denied.forwards.map((f) => [f.tls, f.httpStatus, f.body]),
        [["verified", 403, DENY_BODY]],
      );
      assert.deepEqual([denied.httpStatus, denied.body], [500, INTERNAL_ERROR_BODY]);
    });
  });
}
