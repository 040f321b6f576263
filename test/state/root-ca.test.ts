/** vault 1.15+ on vault-pki sends no root (chain = [leaf, intermediate]), so through the real charm in
 * process: the host trust store holds the intermediate alone, OpenSSL (CK's auth-webhook) cannot verify
 * the served certificate and the active status says so; with root-ca-certificate set to the root that
 * signed vault's intermediate, the host trust store holds both and CK's auth-webhook verifies. */
import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, test } from "node:test";
import { promisify } from "node:util";
import { PATHS } from "../../src/machine/paths.ts";
import { type AuthenticatorDouble, startAuthenticatorDouble } from "../emulator/authenticator/server.ts";
import type { OpsControlPlane } from "../emulator/charms/ops-control-plane.ts";
import { type KubeApiEmulator, startKubeApiEmulator } from "../emulator/k8s/index.ts";
import { statusOf } from "../support/certificates.ts";
import { type ClusterDeployment, clusterDeployment } from "../support/cluster.ts";
import { csrProvider } from "../support/providers.ts";

const run = promisify(execFile);
const GOOD = "k8s-aws-v1.aHR0cHM6Ly9zdHMuYW1hem9uYXdzLmNvbS8_mapped";
const ALICE = { username: "alice", uid: "aws-iam-authenticator:123456789012:AIDAEXAMPLE", groups: ["dev"] };
const READY = "active: authenticator ready on control-plane-0";
const CANNOT = "CK's auth-webhook cannot verify the authenticator";

let kube: KubeApiEmulator | undefined;
let c: ClusterDeployment | undefined;
let server: AuthenticatorDouble | undefined;
const dir = mkdtempSync(join(tmpdir(), "root-ca-"));
after(async () => {
  await server?.close();
  await c?.dispose();
  await kube?.close();
  rmSync(dir, { recursive: true, force: true });
});

test("vault 1.15+: without root-ca-certificate the note and no OpenSSL path; with it, the host trust store verifies", async () => {
  kube = await startKubeApiEmulator({ controlPlaneNodes: 1 });
  const vault = csrProvider({ flavour: "vault", allowIpSans: true, allowAnyName: true });
  c = await clusterDeployment(kube, {
    mode: "in-process",
    units: 1,
    provider: { app: vault, endpoint: "vault:vault-pki" },
  });
  const { d } = c;
  const unit = "aws-iam/0";
  const hostFile = join(d.state.units[unit]!.machineRoot, PATHS.hostTrustedCa);
  const [secret] = kube
    .objects("Secret")
    .filter((o) => (o["metadata"] as { name: string }).name === "aws-iam-authenticator-tls") as Array<{
    data: Record<string, string>;
  }>;
  const served = (name: string) => Buffer.from(secret!.data[name]!, "base64").toString("utf8");
  const certFile = join(dir, "cert.pem");
  writeFileSync(certFile, served("cert.pem"));
  /** `openssl verify` as OpenSSL's defaults (no partial chain) see the host trust store's file. */
  const verifyWithHostTrust = () => {
    writeFileSync(join(dir, "trust.pem"), readFileSync(hostFile, "utf8"));
    return run("openssl", ["verify", "-CAfile", join(dir, "trust.pem"), "-untrusted", certFile, certFile]);
  };
  server = await startAuthenticatorDouble({
    certFile: served("cert.pem"),
    keyFile: served("key.pem"),
    users: { [GOOD]: ALICE },
  });
  /** A real Python TLS handshake (what CK's auth-webhook's aiohttp does) trusting the host trust file,
   * with partial chains off as before Python 3.13 (Ubuntu 22.04/24.04 ship 3.10/3.12). */
  const pythonHandshake = async () =>
    (
      await run("python3", [
        "-c",
        [
          "import socket, ssl, sys",
          "ctx = ssl.create_default_context(cafile=sys.argv[1])",
          'ctx.verify_flags &= ~getattr(ssl, "VERIFY_X509_PARTIAL_CHAIN", 0)',
          'with socket.create_connection(("127.0.0.1", int(sys.argv[2]))) as s:',
          "    try:",
          '        ctx.wrap_socket(s, server_hostname="127.0.0.1").close(); print("verified")',
          "    except ssl.SSLCertVerificationError as e:",
          '        print("refused:", e.verify_message)',
        ].join("\n"),
        hostFile,
        String(server!.port),
      ])
    ).stdout.trim();
  const ops = c.controlPlane as OpsControlPlane;
  /** CK's auth-webhook forwarding to the double (on its own port), then rendered back to aws-iam's URL. */
  const forwarded = async () => {
    ops.configure(server!.url);
    const answer = await ops.review("kubernetes-control-plane/0", GOOD);
    ops.configure("https://127.0.0.1:21362/authenticate");
    return answer.forwards.map((f) => [f.tls, f.httpStatus]);
  };

  // Without the root: the intermediate alone, which OpenSSL cannot end a path at.
  const noRoot = `${CANNOT}: vault sent no root CA above "Vault intermediate CA"; set root-ca-certificate`;
  assert.equal(statusOf(d, unit), `${READY}; ${noRoot}`);
  assert.equal(readFileSync(hostFile, "utf8"), `${vault.standIn.caPem.trim()}\n`);
  await assert.rejects(verifyWithHostTrust(), /unable to get issuer certificate/);
  assert.deepEqual(await forwarded(), [["unverified", 200]]);
  assert.equal(await pythonHandshake(), "refused: unable to get issuer certificate");

  // The root that signed vault's intermediate: beside it in the host trust store; the note goes.
  await d.configure("aws-iam", { "root-ca-certificate": vault.standIn.rootPem });
  assert.equal(statusOf(d, unit), READY);
  assert.equal(
    readFileSync(hostFile, "utf8"),
    `${vault.standIn.caPem.trim()}\n${vault.standIn.rootPem.trim()}\n`,
  );
  assert.match((await verifyWithHostTrust()).stdout, /cert\.pem: OK/);
  assert.deepEqual(await forwarded(), [["verified", 200]]);
  assert.equal(await pythonHandshake(), "verified");

  // Not a root: blocked naming the option; the host trust store keeps what it had.
  await d.configure("aws-iam", { "root-ca-certificate": vault.standIn.caPem });
  assert.equal(
    statusOf(d, unit),
    'blocked: invalid config: root-ca-certificate must be a self-signed root CA, and "CN=Vault intermediate CA" is issued by "CN=Vault root CA"',
  );
  assert.match((await verifyWithHostTrust()).stdout, /cert\.pem: OK/);

  // Another root: left out, and the note names the mismatch.
  const other = csrProvider({ flavour: "vault" }).standIn.rootPem;
  await d.configure("aws-iam", { "root-ca-certificate": other });
  assert.equal(
    statusOf(d, unit),
    `${READY}; ${CANNOT}: root-ca-certificate "CN=Vault root CA" did not sign "Vault intermediate CA" (another key)`,
  );
  await assert.rejects(verifyWithHostTrust(), /unable to get issuer certificate/);
});
