/** Stand-in for the easyrsa charm (charmed-kubernetes/layer-easyrsa), provider side of the legacy
 * tls-certificates protocol on its `client` endpoint, signing with the real easy-rsa from Debian.
 * Like the charm it works in a copy of the EasyRSA directory with x509-types/server patched to
 * "clientAuth, serverAuth", names files after the CN, revokes and rebuilds when a request's SANs
 * change, and publishes the issued file as is (OpenSSL text dump, then PEM), a PKCS#8 key, `ca` and
 * the global client cert; never a `chain`.
 * Difference: the charm runs `build-server-full` with `--req-cn=<cn>`; Debian's easy-rsa 3.1 refuses
 * that ("does not support setting an external commonName"), and the CN equals the file name anyway,
 * so the flag is dropped. easy-rsa also refuses to issue an already-expired certificate, so the
 * "expired" switch signs easy-rsa's request with the easy-rsa CA key through node-forge. */
import { cpSync, mkdtempSync, rmSync } from "node:fs";
import { cp, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { isIP } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { execa } from "execa";
import type { Databag, RelationView, RelationWrites, RemoteCharm } from "../juju/remote-charm.ts";
import { expiredWindow, newKeyPem, signLeaf } from "./tls-forge-ca.ts";
import { type LegacyRequest, readLegacyRequests, requestFingerprint } from "./tls-legacy-requests.ts";
import { MALFORMED_JSON, type Misbehaviour, pythonJson, sansFor } from "./tls-misbehaviour.ts";

export const DEBIAN_EASYRSA_DIR = "/usr/share/easy-rsa";

/** Every PKI directory a stand-in made and has not disposed of: copies of model states (clone) are
 * dropped without a word, so what is left goes when the test process ends. */
const liveDirs = new Set<string>();
process.once("exit", () => {
  for (const dir of liveDirs) rmSync(dir, { recursive: true, force: true });
});

export interface EasyrsaOptions {
  /** Where easy-rsa is installed (script, x509-types, openssl-easyrsa.cnf). */
  readonly easyrsaDir?: string;
  /** CN of the CA; the charm uses the leader's ingress address on `client`. */
  readonly caCommonName?: string;
}

export class EasyrsaCharm implements RemoteCharm {
  readonly charm = "easyrsa";
  readonly misbehave = new Set<Misbehaviour>();
  private readonly source: string;
  private readonly caCn: string;
  private dir: string | undefined;
  /** data_changed state per file name (= CN). */
  private readonly issued = new Map<string, string>();

  constructor(options: EasyrsaOptions = {}) {
    this.source = options.easyrsaDir ?? DEBIAN_EASYRSA_DIR;
    this.caCn = options.caCommonName ?? "10.20.0.9";
  }

  async onRelationEvent(view: RelationView): Promise<RelationWrites> {
    const leader = view.units[0];
    if (leader === undefined) return {};
    const dir = await this.ensurePki();
    const out: Databag = {
      ca: await readFile(join(dir, "pki/ca.crt"), "utf8"),
      ...(await this.globalClientCert()),
    };
    const processed = new Map<string, Record<string, { cert: string; key: string }>>();
    for (const request of readLegacyRequests(view.remoteUnitData)) {
      const { cert, key } = await this.serverCert(request);
      if (request.topLevel) {
        out[`${request.unitKey}.server.cert`] = cert;
        out[`${request.unitKey}.server.key`] = key;
      } else {
        const map = processed.get(request.unitKey) ?? {};
        map[request.commonName] = { cert, key };
        processed.set(request.unitKey, map);
      }
    }
    for (const [unitKey, map] of processed) {
      out[`${unitKey}.processed_requests`] = this.misbehave.has("malformed-json")
        ? MALFORMED_JSON
        : pythonJson(map);
    }
    return { unitData: { [leader]: out } };
  }

  /** What the `restore` action does with a different backup: a new CA, and every request re-issued
   * on the next event. With `reissue: false` the old certificates keep being published. */
  async rotateCa(options: { reissue: boolean } = { reissue: true }): Promise<void> {
    const old = this.dir;
    this.dir = undefined;
    await this.ensurePki();
    if (old !== undefined && !options.reissue) {
      await cp(join(old, "pki/issued"), join(this.dir!, "pki/issued"), { recursive: true });
      await cp(join(old, "pki/private"), join(this.dir!, "pki/private"), { recursive: true, force: false });
    } else {
      this.issued.clear();
    }
    if (old !== undefined) {
      await rm(old, { recursive: true, force: true });
      liveDirs.delete(old);
    }
  }

  /** Builds the CA and the global client certificate now (what the first relation event would). */
  async prepare(): Promise<this> {
    await this.ensurePki();
    await this.globalClientCert();
    return this;
  }

  /** Another stand-in on a copy of this one's PKI directory, its CA built first: the same CA and issued
   * files, its own state from here on. A test file builds the CA once (easy-rsa's build-ca is its
   * slowest step) and gives each test a copy; every later certificate is still signed by easy-rsa. */
  async copy(): Promise<EasyrsaCharm> {
    await this.ensurePki();
    return this.clone();
  }

  /** This stand-in as it is now (misbehaviours, what it issued, its PKI directory copied when it has
   * one), apart from here on: two copies of one model state sign in their own directories. */
  clone(): EasyrsaCharm {
    const other = new EasyrsaCharm({ easyrsaDir: this.source, caCommonName: this.caCn });
    if (this.dir !== undefined) {
      const target = mkdtempSync(join(tmpdir(), "easyrsa-"));
      liveDirs.add(target);
      cpSync(this.dir, target, { recursive: true });
      other.dir = target;
    }
    for (const m of this.misbehave) other.misbehave.add(m);
    for (const [name, fingerprint] of this.issued) other.issued.set(name, fingerprint);
    return other;
  }

  async dispose(): Promise<void> {
    if (this.dir !== undefined) {
      await rm(this.dir, { recursive: true, force: true });
      liveDirs.delete(this.dir);
    }
    this.dir = undefined;
  }

  private async serverCert(request: LegacyRequest): Promise<{ cert: string; key: string }> {
    const dir = this.dir!;
    const name = request.commonName;
    const certFile = join(dir, `pki/issued/${name}.crt`);
    const keyFile = join(dir, `pki/private/${name}.key`);
    const fingerprint = requestFingerprint(request);
    const exists = this.issued.has(name);
    if (exists && this.issued.get(name) !== fingerprint) {
      await this.easyrsa("revoke", name);
      await Promise.all(
        [certFile, keyFile, join(dir, `pki/reqs/${name}.req`)].map((f) => rm(f, { force: true })),
      );
    }
    if (this.issued.get(name) !== fingerprint) {
      await this.build(name, sansFor(request.sans, this.misbehave));
      this.issued.set(name, fingerprint);
    }
    const cert = await readFile(certFile, "utf8");
    const key = this.misbehave.has("wrong-key") ? `${newKeyPem("pkcs8")}\n` : await readFile(keyFile, "utf8");
    return { cert, key };
  }

  private async build(name: string, sans: string[]): Promise<void> {
    const sanArg = sans.map((s) => (isIP(s) !== 0 ? `IP:${s}` : `DNS:${s}`)).join(",");
    const sanOpt = sanArg !== "" ? [`--subject-alt-name=${sanArg}`] : [];
    if (!this.misbehave.has("expired")) {
      await this.easyrsa(...sanOpt, "build-server-full", name, "nopass");
      return;
    }
    // easy-rsa will not sign an expired certificate: make the request with it, sign it ourselves.
    await this.easyrsa(`--req-cn=${name}`, "gen-req", name, "nopass");
    const dir = this.dir!;
    const ca = {
      certPem: await readFile(join(dir, "pki/ca.crt"), "utf8"),
      keyPem: await readFile(join(dir, "pki/private/ca.key"), "utf8"),
    };
    const req = await readFile(join(dir, `pki/reqs/${name}.req`), "utf8");
    const pem = signLeaf({
      ca,
      subjectKeyPem: req,
      commonName: name,
      sans,
      window: expiredWindow(new Date()),
    });
    const text = await execa("openssl", ["x509", "-text"], { input: pem });
    await writeFile(join(dir, `pki/issued/${name}.crt`), `${text.stdout}\n`);
  }

  private async globalClientCert(): Promise<Databag> {
    const dir = this.dir!;
    if (!this.issued.has("client")) {
      await this.easyrsa("build-client-full", "client", "nopass");
      this.issued.set("client", "client");
    }
    return {
      "client.cert": await readFile(join(dir, "pki/issued/client.crt"), "utf8"),
      "client.key": await readFile(join(dir, "pki/private/client.key"), "utf8"),
    };
  }

  /** init-pki, the charm's x509-types/server patch, and build-ca nopass. */
  private async ensurePki(): Promise<string> {
    if (this.dir !== undefined) return this.dir;
    const dir = await mkdtemp(join(tmpdir(), "easyrsa-"));
    liveDirs.add(dir);
    await cp(this.source, dir, { recursive: true });
    const server = join(dir, "x509-types/server");
    const text = await readFile(server, "utf8");
    await writeFile(
      server,
      text.replace("extendedKeyUsage = serverAuth", "extendedKeyUsage = clientAuth, serverAuth"),
    );
    this.dir = dir;
    await this.easyrsa("init-pki");
    await this.easyrsa(`--req-cn=${this.caCn}`, "build-ca", "nopass");
    return dir;
  }

  private async easyrsa(...args: string[]): Promise<void> {
    const dir = this.dir!;
    // Output is easy-rsa chatter (never key material); keep it for the error if the tool fails.
    await execa(join(dir, "easyrsa"), ["--batch", ...args], {
      cwd: dir,
      env: { EASYRSA: dir, EASYRSA_PKI: join(dir, "pki") },
      all: true,
    });
  }
}
