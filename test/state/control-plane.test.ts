/** The control-plane step through the real charm (runCharm in process): the legacy aws-iam relation
 * against the reactive control plane stand-in, the juju-info status line against the ops stand-in,
 * the webhook kubeconfig and host trust store on every machine, and a refresh from charm-aws-iam.
 * Pure parts of the step are tested first. */
import assert from "node:assert/strict";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { afterEach, beforeEach, describe, test } from "node:test";
import { load } from "js-yaml";
import { planClusterId } from "../../src/cluster-id/decide.ts";
import { commitLocal } from "../../src/commit/commit.ts";
import type { CharmConfig } from "../../src/config/charm-config.ts";
import { normaliseCaPem } from "../../src/control-plane/ca-pem.ts";
import { decideControlPlane } from "../../src/control-plane/decide.ts";
import { encodeReactive } from "../../src/control-plane/legacy-relation.ts";
import {
  apiServersGate,
  customAuthnEndpoint,
  OPS_AUTH_WEBHOOK_PATH,
  REACTIVE_LEFTOVER_FILES,
} from "../../src/control-plane/rules.ts";
import { DiskFiles, type MachineFiles } from "../../src/machine/files.ts";
import { PATHS } from "../../src/machine/paths.ts";
import { syncHostTrust, TrustStoreError } from "../../src/machine/trust-store.ts";
import { PEER_APP_KEYS } from "../../src/plan/peer-databag.ts";
import { active, finalStatus, waiting } from "../../src/plan/status.ts";
import type { OpsControlPlane } from "../emulator/charms/ops-control-plane.ts";
import { renderAuthWebhook } from "../emulator/charms/ops-control-plane.ts";
import type { ReactiveControlPlane } from "../emulator/charms/reactive-control-plane.ts";
import type { Deployment } from "../emulator/juju/deployment.ts";
import { type KubeApiEmulator, startKubeApiEmulator } from "../emulator/k8s/index.ts";
import { appStatusOf, peerAppBag, statusOf, UNITS } from "../support/certificates.ts";
import { parsedConfig } from "../support/config-defaults.ts";
import { CONTROL_PLANE, charmDeployment, type Generation } from "../support/deployments.ts";
import { hook, run, settled } from "../support/hook.ts";
import { emulatedUnit } from "../support/kube.ts";
import { csrProvider } from "../support/providers.ts";
import { makeTestCerts, type TestCerts } from "../unit/control-plane/certs-fixture.ts";
import { observed, relation } from "../unit/plan/observed.ts";

const URL_21362 = "https://127.0.0.1:21362/authenticate";
const HINT = `run: juju config kubernetes-control-plane authn-webhook-endpoint=${URL_21362}`;
const DS_PATH = "/apis/apps/v1/namespaces/kube-system/daemonsets/aws-iam-authenticator";
const CONFIG: CharmConfig = parsedConfig();
const counting = (n: number) => Buffer.from(Array.from({ length: n }, (_, i) => i % 62));

let certs: TestCerts | undefined;
const ca = () => (certs ??= makeTestCerts());

// --- pure parts ----------------------------------------------------------------------------------

describe("control-plane step: pure parts", () => {
  test("CUSTOM_AUTHN_ENDPOINT is read from the ops control plane's rendered auth-webhook", () => {
    assert.equal(customAuthnEndpoint(renderAuthWebhook(URL_21362)), URL_21362);
    assert.equal(customAuthnEndpoint(renderAuthWebhook("")), "");
    assert.equal(customAuthnEndpoint("AWS_IAM_ENDPOINT = 'x'\n"), undefined);
    assert.equal(customAuthnEndpoint(undefined), undefined);
  });

  test("the API-server gate names the first control-plane unit that is not up, then silent units", () => {
    const report = (cp: string, state: string) => ({ "control-plane-unit": cp, "api-server": state });
    assert.equal(
      apiServersGate([
        { unit: "aws-iam/0", report: report("kubernetes-control-plane/10", "down") },
        { unit: "aws-iam/1", report: report("kubernetes-control-plane/2", "unknown") },
        { unit: "aws-iam/2", report: undefined },
      ])?.message,
      "waiting for the API server on kubernetes-control-plane/2",
    );
    assert.deepEqual(
      apiServersGate([
        { unit: "aws-iam/0", report: report("kubernetes-control-plane/0", "up") },
        { unit: "aws-iam/3", report: {} },
      ]),
      waiting("waiting for aws-iam/3 to report the API server of its control-plane unit"),
    );
    assert.equal(
      apiServersGate([{ unit: "aws-iam/0", report: report("kubernetes-control-plane/0", "up") }]),
      undefined,
    );
  });

  test("the juju config line is appended to an active status only while the control plane does not forward", () => {
    const note = "run: juju config k authn-webhook-endpoint=u";
    assert.deepEqual(finalStatus([active("ready on n")], [note]), active(`ready on n; ${note}`));
    assert.deepEqual(finalStatus([active("ready on n")], []), active("ready on n"));
    assert.deepEqual(finalStatus([waiting("w")], [note]), waiting("w"));
    // Forwarding is read from the ops control plane's rendered auth-webhook.
    const notes = (authWebhook: string) =>
      decideControlPlane(observed({ files: { [OPS_AUTH_WEBHOOK_PATH]: authWebhook } }), {
        config: CONFIG,
        controlPlane: { generation: "current", relation: relation("juju-info", 3) },
        caPem: ca().caPem,
        provider: "easyrsa",
        clusterId: "ck-1",
        apiExtraArgs: "",
      }).plan.activeNotes ?? [];
    assert.deepEqual(notes(renderAuthWebhook(URL_21362)), []);
    assert.deepEqual(notes(renderAuthWebhook("")), [HINT]);
  });

  test("planClusterId adopts a valid reactive cluster_id once, and generates when it is not valid", () => {
    const old = "Ab3dEf6hIj9kLm2nOp5qRs8t";
    const adopted = planClusterId(CONFIG, {}, true, counting, { cluster_id: old, key: "x" });
    assert.deepEqual(adopted, {
      clusterId: old,
      peerWrites: { [PEER_APP_KEYS.clusterId]: old },
      adopted: old,
    });
    const bad = planClusterId(CONFIG, {}, true, counting, { cluster_id: "not valid!" });
    assert.equal(bad.clusterId, "ABCDEFGHIJKLMNOPQRSTUVWX");
    assert.equal(bad.adopted, undefined);
    // Once shared, leader settings no longer matter; config still wins.
    const shared = { [PEER_APP_KEYS.clusterId]: "mine" };
    assert.deepEqual(planClusterId(CONFIG, shared, true, counting, { cluster_id: old }), {
      clusterId: "mine",
      peerWrites: {},
    });
    assert.equal(
      planClusterId({ ...CONFIG, clusterId: "cfg" }, {}, true, counting, { cluster_id: old }).clusterId,
      "cfg",
    );
  });
});

describe("host trust store and webhook kubeconfig on one machine", () => {
  let root: string;
  let files: MachineFiles;
  let ran: string[][];
  const run = async (command: string, args: readonly string[]) => {
    ran.push([command, ...args]);
  };
  beforeEach(() => {
    root = mkdtempSync(join(tmpdir(), "aws-iam-trust-"));
    files = new DiskFiles(root);
    ran = [];
  });
  afterEach(() => rmSync(root, { recursive: true, force: true }));

  test("update-ca-certificates runs once per change of the CA file, and when ours is removed", async () => {
    const caPem = normaliseCaPem(ca().caPem, "ca");
    assert.equal(await syncHostTrust(files, caPem, run), "installed");
    assert.equal(await syncHostTrust(files, caPem, run), "unchanged");
    assert.equal((statSync(files.path(PATHS.hostTrustedCa)).mode & 0o777).toString(8), "644");
    assert.equal(await syncHostTrust(files, normaliseCaPem(ca().otherCaPem, "ca"), run), "installed");
    assert.equal(await syncHostTrust(files, undefined, run), "removed");
    assert.equal(await syncHostTrust(files, undefined, run), "unchanged");
    assert.deepEqual(ran, [
      ["update-ca-certificates"],
      ["update-ca-certificates"],
      ["update-ca-certificates"],
    ]);
    assert.equal(existsSync(files.path(PATHS.hostTrustedCa)), false);
  });

  test("when update-ca-certificates fails the CA file is taken back out, so the next hook tries again", async () => {
    const failing = async () => {
      throw new Error("exit 1");
    };
    await assert.rejects(syncHostTrust(files, normaliseCaPem(ca().caPem, "ca"), failing), TrustStoreError);
    assert.equal(existsSync(files.path(PATHS.hostTrustedCa)), false);
    assert.equal(await syncHostTrust(files, normaliseCaPem(ca().caPem, "ca"), run), "installed");
  });

  test("under a test root the default runner never touches the real trust store", async () => {
    // Would throw (not root, or a rebuilt /etc/ssl/certs on the test machine) if the real command ran.
    assert.equal(await syncHostTrust(files, normaliseCaPem(ca().caPem, "ca")), "installed");
  });

  test("install-ca-to-host=false takes our CA out; a leaf as CA blocks and leaves the files alone", async () => {
    const unit = emulatedUnit("n0", true);
    try {
      const leftover = unit.files.path(REACTIVE_LEFTOVER_FILES[0]);
      mkdirSync(dirname(leftover), { recursive: true });
      writeFileSync(leftover, "kind: Secret\n");
      // The control-plane feature decides from what the hook read; commitLocal writes (as in a hook).
      const hook = async (caPem: string, installCaToHost: boolean) => {
        const seen = observed({
          files: Object.fromEntries(
            [...REACTIVE_LEFTOVER_FILES, PATHS.webhookKubeconfig].map((path) => [
              path,
              existsSync(unit.files.path(path)) ? readFileSync(unit.files.path(path), "utf8") : undefined,
            ]),
          ),
        });
        const decision = decideControlPlane(seen, {
          config: { ...CONFIG, installCaToHost },
          controlPlane: { generation: "current", relation: relation("juju-info", 3) },
          caPem,
          provider: "easyrsa",
          clusterId: "ck-1",
          apiExtraArgs: "",
        });
        await commitLocal(decision.plan, seen, unit.deps, {
          pruneKinds: [],
          kube: async () => {
            throw new Error("no cluster in this step");
          },
        });
        return decision;
      };
      const first = await hook(ca().caPem, true);
      assert.equal(first.stop, undefined);
      assert.equal(typeof first.plan.hostTrust, "string", "our CA goes into the host trust store");
      assert.equal(existsSync(unit.files.path(PATHS.hostTrustedCa)), true);
      assert.equal(existsSync(leftover), false, "the reactive charm's rendered Secret is gone");
      const kubeconfig = readFileSync(unit.files.path(PATHS.webhookKubeconfig), "utf8");
      assert.equal((statSync(unit.files.path(PATHS.webhookKubeconfig)).mode & 0o777).toString(8), "600");
      const without = await hook(ca().caPem, false);
      assert.equal(without.stop, undefined);
      assert.equal(without.plan.hostTrust, null, "install-ca-to-host=false takes our CA out");
      assert.equal(existsSync(unit.files.path(PATHS.hostTrustedCa)), false);
      const leaf = await hook(ca().leafPem, true);
      assert.match(
        leaf.stop?.message ?? "",
        /^cannot trust the certificate provider's CA: webhook CA: certificate 1 .* is not a CA/,
      );
      assert.equal(readFileSync(unit.files.path(PATHS.webhookKubeconfig), "utf8"), kubeconfig);
    } finally {
      unit.dispose();
    }
  });
});

// --- through the charm ---------------------------------------------------------------------------

interface Run {
  readonly d: Deployment;
  readonly controlPlane: ReactiveControlPlane | OpsControlPlane;
  readonly kube: KubeApiEmulator | undefined;
  readonly legacyRelation: number;
}

const runs: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const close of runs.splice(0)) await close();
});

async function deploy(
  generation: Generation,
  options: { kube?: boolean; before?: (d: Deployment) => void; apiServerDown?: string } = {},
): Promise<Run> {
  const kube = options.kube
    ? await startKubeApiEmulator({ controlPlaneNodes: 3, workerNodes: 1 })
    : undefined;
  if (kube) runs.push(() => kube.close());
  const deployment = charmDeployment({
    generation,
    extraApps: [csrProvider({ flavour: "self-signed" })],
    ...(kube ? { kube, rolloutWaitMs: 3000 } : {}),
  });
  const { d, controlPlane } = deployment;
  if (options.apiServerDown)
    (controlPlane as ReactiveControlPlane).apiServerUp.set(options.apiServerDown, false);
  options.before?.(d);
  const legacyRelation = await d.integrate(...deployment.integration);
  await d.settle();
  await d.integrate("aws-iam:certificates", "self-signed-certificates:certificates");
  await d.settle();
  return { d, controlPlane, kube, legacyRelation };
}

const machineFile = (d: Deployment, unit: string, path: string) =>
  join(d.state.units[unit]!.machineRoot, path);
const principalOf = (d: Deployment, unit: string) => d.state.units[unit]!.principal!;
const nodeOf = (d: Deployment, unit: string) => `control-plane-${principalOf(d, unit).split("/")[1]}`;

function webhookKubeconfig(d: Deployment, unit: string) {
  const text = readFileSync(machineFile(d, unit, PATHS.webhookKubeconfig), "utf8");
  const doc = load(text) as {
    clusters: Array<{ cluster: { server: string; "certificate-authority-data": string } }>;
  };
  const cluster = doc.clusters[0]!.cluster;
  return {
    server: cluster.server,
    ca: Buffer.from(cluster["certificate-authority-data"], "base64").toString("utf8"),
  };
}

describe("given the legacy (reactive) control plane", () => {
  test("every unit publishes cluster_id, webhook_status and the file the control plane reads, decoded key by key as charms.reactive would", async () => {
    const { d, controlPlane, legacyRelation } = await deploy("legacy", { kube: true });
    const cp = controlPlane as ReactiveControlPlane;
    const clusterId = peerAppBag(d)[PEER_APP_KEYS.clusterId]!;
    assert.match(clusterId, /^[A-Za-z0-9]{24}$/);
    const caPem = peerAppBag(d)["tls-ca"]!;
    for (const unit of UNITS) {
      assert.equal(statusOf(d, unit), `active: authenticator ready on ${nodeOf(d, unit)}`, unit);
      const bag = d.relation(legacyRelation).unitData[unit]!;
      assert.equal(bag["cluster_id"], encodeReactive(clusterId));
      assert.equal(bag["webhook_status"], "true");
      assert.equal(bag["api_extra_args"], undefined, "nothing to ask for: the key is absent");
      const seen = cp.seen.get(principalOf(d, unit))!;
      // What the reactive control plane's `received[...]` hands its handlers, for every key we wrote.
      assert.deepEqual(seen.received["cluster_id"], {
        value: clusterId,
        raw: `"${clusterId}"`,
        notJson: false,
      });
      assert.deepEqual(seen.received["webhook_status"], { value: true, raw: "true", notJson: false });
      assert.deepEqual([seen.ready, seen.webhookServer, seen.webhookError], [true, URL_21362, undefined]);
      assert.deepEqual(webhookKubeconfig(d, unit), { server: URL_21362, ca: normaliseCaPem(caPem, "ca") });
      assert.equal((statSync(machineFile(d, unit, PATHS.webhookKubeconfig)).mode & 0o777).toString(8), "600");
      assert.equal(
        readFileSync(machineFile(d, unit, PATHS.hostTrustedCa), "utf8"),
        normaliseCaPem(caPem, "ca"),
      );
    }
    assert.equal(appStatusOf(d), "active: 3/3 control-plane nodes ready");

    // A cache TTL to ask for travels as api_extra_args, JSON-encoded.
    await d.configure("aws-iam", { "token-webhook-cache-ttl": "2m0s" });
    const seen = cp.seen.get("kubernetes-control-plane/0")!;
    assert.deepEqual(seen.received["api_extra_args"], {
      value: "authentication-token-webhook-cache-ttl=2m0s",
      raw: '"authentication-token-webhook-cache-ttl=2m0s"',
      notJson: false,
    });
  });

  test("the leader deploys only once every control-plane unit's API server is up", async () => {
    const { d, controlPlane, kube, legacyRelation } = await deploy("legacy", {
      kube: true,
      apiServerDown: "kubernetes-control-plane/1",
    });
    const cp = controlPlane as ReactiveControlPlane;
    const downUnit = UNITS.find((u) => principalOf(d, u) === "kubernetes-control-plane/1")!;
    const leader = d.state.applications["aws-iam"]!.leader!;
    assert.notEqual(downUnit, leader, "the emulator elects aws-iam/0, on kubernetes-control-plane/0");
    assert.equal(statusOf(d, leader), "waiting: waiting for the API server on kubernetes-control-plane/1");
    assert.equal(appStatusOf(d), "waiting: waiting for the API server on kubernetes-control-plane/1");
    assert.equal(statusOf(d, downUnit), "waiting: waiting for the API server on kubernetes-control-plane/1");
    assert.equal(
      kube!.counters.entries.filter((e) => e.path.startsWith(DS_PATH) && e.method !== "GET").length,
      0,
      "nothing applied",
    );
    for (const unit of UNITS)
      assert.equal(d.relation(legacyRelation).unitData[unit]!["webhook_status"], "false");

    cp.apiServerUp.set("kubernetes-control-plane/1", true);
    await d.pokeStandIn(CONTROL_PLANE, legacyRelation);
    for (const unit of UNITS) {
      assert.equal(statusOf(d, unit), `active: authenticator ready on ${nodeOf(d, unit)}`);
      assert.equal(d.relation(legacyRelation).unitData[unit]!["webhook_status"], "true");
    }
  });

  test("an idle hook adds one peer relation-get per unit (the leader also lists and reads the others), and writes nothing", async () => {
    // One hook at a time on a settled state (test/support/hook.ts): no deployment per question.
    const state = await settled("control-plane: legacy, no Kubernetes", async () => ({
      d: (await deploy("legacy")).d,
    }));
    const peerReads = async (unit: string) => {
      const once = await run(hook(unit, "update-status"), state);
      const again = await run(hook(unit, "update-status"), once.state);
      assert.equal(again.exitCode, 0, again.stderr);
      assert.deepEqual(
        again.calls
          .filter((c) => /-set$|^leader-get$|^secret-(add|set|remove)/.test(c.tool))
          .map((c) => c.tool),
        [],
      );
      return {
        after: again.state,
        reads: again.calls
          .filter((c) => c.args.some((a) => a.startsWith("aws-iam-peers:")))
          .map((c) =>
            `${c.tool} ${c.args.filter((a) => !a.startsWith("-") && !a.startsWith("aws-iam-peers:")).join(" ")}`.trim(),
          ),
      };
    };
    assert.deepEqual((await peerReads("aws-iam/0")).reads, [
      "relation-list",
      "relation-get aws-iam/1",
      "relation-get aws-iam/2",
      "relation-get aws-iam/0",
      "relation-get aws-iam",
    ]);
    const follower = await peerReads("aws-iam/1");
    assert.deepEqual(follower.reads, ["relation-get aws-iam/1", "relation-get aws-iam"]);
    const secretReads = (await run(hook("aws-iam/1", "update-status"), follower.after)).calls.filter(
      (c) => c.tool === "secret-get",
    );
    assert.deepEqual(secretReads, [], "a non-leader finds the CA in the peer bag");
  });
});

describe("given the current (ops) control plane", () => {
  test("an active unit gives the exact juju config line until the control plane forwards to it", async () => {
    const { d, controlPlane } = await deploy("current", { kube: true });
    const ops = controlPlane as OpsControlPlane;
    for (const unit of UNITS) {
      assert.equal(statusOf(d, unit), `active: authenticator ready on ${nodeOf(d, unit)}; ${HINT}`);
    }
    assert.equal(appStatusOf(d), `active: 3/3 control-plane nodes ready; ${HINT}`);

    ops.configure(URL_21362);
    await d.updateStatus("aws-iam");
    for (const unit of UNITS)
      assert.equal(statusOf(d, unit), `active: authenticator ready on ${nodeOf(d, unit)}`);
    assert.equal(appStatusOf(d), "active: 3/3 control-plane nodes ready");

    // A changed port is a new URL: the control plane no longer forwards to where we listen.
    await d.configure("aws-iam", { port: 21400 });
    assert.equal(webhookKubeconfig(d, "aws-iam/2").server, "https://127.0.0.1:21400/authenticate");
    assert.match(
      statusOf(d, "aws-iam/2"),
      /; run: juju config kubernetes-control-plane authn-webhook-endpoint=https:\/\/127\.0\.0\.1:21400\/authenticate$/,
    );
  });
});

describe("juju refresh from the reactive charm-aws-iam", () => {
  const OLD_ID = "Zr4mQ8pL2xV7nB1cW5tY9kJ3";
  test("the leader adopts its cluster ID, drops its key from leader settings, and every unit removes its files", async () => {
    const { d, legacyRelation } = await deploy("legacy", {
      before: (model) => {
        Object.assign(model.state.applications["aws-iam"]!.leaderSettings, {
          cluster_id: OLD_ID,
          cert: "-----BEGIN CERTIFICATE-----\nold\n-----END CERTIFICATE-----\n",
          key: "-----BEGIN RSA PRIVATE KEY-----\nold\n-----END RSA PRIVATE KEY-----\n",
          service_ip: "10.152.183.9",
        });
        for (const unit of model.state.applications[CONTROL_PLANE]!.units) {
          for (const path of REACTIVE_LEFTOVER_FILES) {
            const file = join(model.state.units[unit]!.machineRoot, path);
            mkdirSync(dirname(file), { recursive: true });
            writeFileSync(file, "apiVersion: v1\n");
          }
        }
      },
    });
    assert.equal(peerAppBag(d)[PEER_APP_KEYS.clusterId], OLD_ID);
    for (const unit of UNITS) {
      assert.equal(d.relation(legacyRelation).unitData[unit]!["cluster_id"], `"${OLD_ID}"`);
      for (const path of REACTIVE_LEFTOVER_FILES)
        assert.equal(existsSync(machineFile(d, unit, path)), false, path);
    }
    assert.deepEqual(d.state.applications["aws-iam"]!.leaderSettings, {
      cluster_id: OLD_ID,
      service_ip: "10.152.183.9",
    });
    const leaderGets = d.log.flatMap((s) => s.result?.calls.filter((c) => c.tool === "leader-get") ?? []);
    assert.equal(leaderGets.length, 1, "leader-get once, when the leader fixed the ID");
  });
});
