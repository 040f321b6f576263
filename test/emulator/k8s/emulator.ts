/** startKubeApiEmulator(): an HTTPS Kubernetes API for tests, usable by @kubernetes/client-node
 * and the real kubectl through a kubeconfig file. Never shipped. */
import { randomBytes } from "node:crypto";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { createServer, type Server } from "node:https";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import yaml from "js-yaml";
import { Cluster, type ClusterSnapshot } from "./cluster.ts";
import { Faults, RequestLog, type RequestRecord } from "./faults.ts";
import { createFront } from "./http-server.ts";
import type { Obj } from "./json.ts";
import type { PodBehaviour } from "./kubelet.ts";
import type { NodeOptions } from "./nodes.ts";
import { generateTls, type TlsMaterial } from "./tls.ts";

export interface EmulatorOptions {
  /** Control-plane nodes to seed (labelled and tainted node-role.kubernetes.io/control-plane). */
  controlPlaneNodes?: number;
  workerNodes?: number;
  /** Bearer token clients must send (random by default). */
  token?: string;
  /** Port to listen on; 0 (default) picks a free one. */
  port?: number;
}

export interface KubeconfigOptions {
  /** Token to put in the kubeconfig (defaults to the right one; pass another to test 401s). */
  token?: string;
  namespace?: string;
}

export class KubeApiEmulator {
  readonly cluster = new Cluster();
  readonly faults = new Faults();
  /** Every request received, in order; also the counters (total, writes, writesByPath). */
  readonly counters = new RequestLog();
  /** TLS connections accepted so far (a client that keeps its connection alive makes one for many requests). */
  tlsConnections = 0;
  readonly kubeconfigPath: string;
  token: string;
  private server: Server | undefined;
  /** Down because kube-apiserver would refuse to start with the issuer flags (not because stop() was called). */
  private refusedFlags = false;
  private portNumber = 0;
  private readonly dir: string;

  private constructor(
    private readonly tls: TlsMaterial,
    opts: EmulatorOptions,
  ) {
    this.token = opts.token ?? randomBytes(16).toString("hex");
    this.portNumber = opts.port ?? 0;
    this.dir = mkdtempSync(join(tmpdir(), "kube-api-emulator-"));
    this.kubeconfigPath = join(this.dir, "kubeconfig");
    this.addNodes({ controlPlane: opts.controlPlaneNodes ?? 0, workers: opts.workerNodes ?? 0 });
  }

  /**
   * The control plane restarted kube-apiserver with new issuer flags (an api-extra-args change): discovery
   * follows at once; the signing key stays (see ServiceAccountIssuer). Flags kube-apiserver refuses
   * (pkg/kubeapiserver/options/authentication.go BuiltInAuthenticationOptions.Validate: an issuer with a ':'
   * that Go cannot parse, an empty issuer, a jwks-uri that is not https) leave no API server running:
   * connections are refused until flags it accepts are set. The state and the port are kept. Await the result
   * when the flags go from refused to accepted (the server listens again); otherwise it is already settled.
   */
  setServiceAccountIssuer(issuer: string, jwksUri?: string): Promise<void> {
    this.cluster.serviceAccountIssuer.flags = { issuer, jwksUri };
    const refused = this.startupErrors.length > 0;
    if (refused && !this.refusedFlags) {
      this.refusedFlags = true;
      return this.stop();
    }
    if (!refused && this.refusedFlags) {
      this.refusedFlags = false;
      return this.listen();
    }
    return Promise.resolve();
  }

  /** What kube-apiserver would log before exiting with the current issuer flags; [] while it runs. */
  get startupErrors(): string[] {
    return this.cluster.serviceAccountIssuer.startupErrors();
  }

  static async start(opts: EmulatorOptions = {}): Promise<KubeApiEmulator> {
    const emu = new KubeApiEmulator(generateTls(), opts);
    await emu.listen();
    emu.writeKubeconfig(emu.kubeconfigPath);
    return emu;
  }

  get port(): number {
    return this.portNumber;
  }
  get url(): string {
    return `https://127.0.0.1:${this.portNumber}`;
  }
  get caPem(): string {
    return this.tls.caPem;
  }
  get requests(): readonly RequestRecord[] {
    return this.counters.entries;
  }

  private async listen(): Promise<void> {
    const front = createFront({
      cluster: this.cluster,
      token: () => this.token,
      faults: this.faults,
      log: this.counters,
      serverAddress: () => `127.0.0.1:${this.portNumber}`,
    });
    const server = createServer(
      { key: this.tls.keyPem, cert: this.tls.certPem },
      (req, res) => void front(req, res),
    );
    server.on("secureConnection", () => {
      this.tlsConnections += 1;
    });
    await new Promise<void>((resolve, reject) => {
      server.once("error", reject);
      server.listen(this.portNumber, "127.0.0.1", () => resolve());
    });
    this.portNumber = (server.address() as AddressInfo).port;
    this.server = server;
  }

  kubeconfigYaml(opts: KubeconfigOptions = {}): string {
    return yaml.dump({
      apiVersion: "v1",
      kind: "Config",
      clusters: [
        {
          name: "emulator",
          cluster: {
            server: this.url,
            "certificate-authority-data": Buffer.from(this.tls.caPem).toString("base64"),
          },
        },
      ],
      users: [{ name: "emulator", user: { token: opts.token ?? this.token } }],
      contexts: [
        {
          name: "emulator",
          context: {
            cluster: "emulator",
            user: "emulator",
            ...(opts.namespace ? { namespace: opts.namespace } : {}),
          },
        },
      ],
      "current-context": "emulator",
    });
  }

  /** Write a kubeconfig (server, CA data, token) usable by client-node and kubectl; returns the path. */
  writeKubeconfig(path: string, opts: KubeconfigOptions = {}): string {
    writeFileSync(path, this.kubeconfigYaml(opts), { mode: 0o600 });
    return path;
  }

  addNode(opts: NodeOptions): Obj {
    const node = this.cluster.addNode(opts);
    this.cluster.reconcile();
    return node;
  }

  /** Seed nodes named control-plane-<i> / worker-<i> (numbering continues across calls). */
  addNodes(counts: { controlPlane?: number; workers?: number }): string[] {
    const names: string[] = [];
    const existing = (prefix: string) =>
      this.cluster.objects("Node").filter((n) => String((n["metadata"] as Obj)["name"]).startsWith(prefix))
        .length;
    const cp0 = existing("control-plane-");
    for (let i = 0; i < (counts.controlPlane ?? 0); i++) names.push(`control-plane-${cp0 + i}`);
    const w0 = existing("worker-");
    const workers = Array.from({ length: counts.workers ?? 0 }, (_, i) => `worker-${w0 + i}`);
    for (const name of names) this.cluster.addNode({ name, controlPlane: true });
    for (const name of workers) this.cluster.addNode({ name });
    this.cluster.reconcile();
    return [...names, ...workers];
  }

  /** How pods on `nodeName` behave from now on (current pods restart their readiness count). */
  scriptPod(nodeName: string, behaviour: PodBehaviour): void {
    this.cluster.scriptPods(nodeName, behaviour);
  }

  setDefaultPodBehaviour(behaviour: PodBehaviour): void {
    this.cluster.kubelet.defaultBehaviour = behaviour;
    this.cluster.reconcile();
  }

  /** Copies of stored objects, optionally of one kind (`ConfigMap`) or plural (`configmaps`). */
  objects(kind?: string): Obj[] {
    return this.cluster.objects(kind);
  }

  get(kind: string, name: string, namespace?: string): Obj | undefined {
    return this.cluster.find(kind, name, namespace);
  }

  /** The cluster as it is now, for restore(). */
  snapshot(): ClusterSnapshot {
    return this.cluster.snapshot();
  }

  /** The cluster back to `snapshot` (a fresh world that forks from the same moment: its clients' caches
   * were taken then too), with no fault rules left; the server keeps listening and logging requests (the
   * snapshot's issuer flags come back, but not whether the server was up: use setServiceAccountIssuer). */
  restore(snapshot: ClusterSnapshot): void {
    this.faults.clear();
    this.cluster.restore(snapshot);
  }

  /** Stop listening and drop open connections: clients now get ECONNREFUSED. State is kept. */
  async stop(): Promise<void> {
    const server = this.server;
    if (!server) return;
    this.server = undefined;
    await new Promise<void>((resolve) => {
      server.close(() => resolve());
      server.closeAllConnections();
    });
  }

  /** Listen again on the same port with the same certificates and state (not while the issuer flags are
   * ones kube-apiserver refuses to start with). */
  async restart(): Promise<void> {
    await this.stop();
    if (!this.refusedFlags) await this.listen();
  }

  /** Stop and remove the temporary kubeconfig directory. */
  async close(): Promise<void> {
    await this.stop();
    rmSync(this.dir, { recursive: true, force: true });
  }
}

export function startKubeApiEmulator(opts: EmulatorOptions = {}): Promise<KubeApiEmulator> {
  return KubeApiEmulator.start(opts);
}
