/** `npm start`: the charm's main job on the embedded default, an emulated model. Runs
 * the real built dispatch through a realistic sequence of hooks in two worlds — the
 * legacy control plane with easyrsa, the current one on AWS (short hostnames, nodes named
 * by FQDN as kubelet registers them with the external cloud provider) with vault (CSR
 * protocol) and IAM roles for pods (IRSA) switched on — each beside an emulated Kubernetes API with
 * three control-plane nodes, and prints a `juju status`-like table after each operator step. */
import { CsrProviderCharm } from "../test/emulator/charms/csr-provider.ts";
import { OpsControlPlane } from "../test/emulator/charms/ops-control-plane.ts";
import { renderStatus } from "../test/emulator/juju/status-table.ts";
import { startKubeApiEmulator } from "../test/emulator/k8s/index.ts";
import {
  type CharmDeployment,
  charmDeployment,
  type ExtraApp,
  type Generation,
} from "../test/support/deployments.ts";
import { csrProvider, easyrsa } from "../test/support/providers.ts";

interface World {
  readonly title: string;
  readonly generation: Generation;
  readonly provider: () => ExtraApp;
  readonly certificates: readonly [string, string];
  /** "aws": AWS instances with the external cloud provider (short hostnames, nodes named by FQDN). */
  readonly nodeNaming: "plain" | "aws";
  /** IRSA on with this public issuer URL (irsa-issuer-url); absent: off. */
  readonly irsaIssuer?: string;
  /** The provider sends no root above its CA (vault 1.15+): the operator gives aws-iam that root. */
  readonly giveRootCa?: boolean;
}

const worlds: World[] = [
  {
    title: "Charmed Kubernetes 1.28 (reactive control plane, aws-iam relation) with easyrsa",
    generation: "legacy",
    provider: easyrsa,
    certificates: ["aws-iam:certificates", "easyrsa:client"],
    nodeNaming: "plain",
  },
  {
    // The operator has run `juju config vault pki_allow_ip_sans=true pki_allow_any_name=true`.
    title:
      "Charmed Kubernetes 1.29+ on AWS (ops control plane, juju-info; nodes ip-10-0-0-1N.ec2.internal) " +
      "with vault (CSR protocol)",
    generation: "current",
    provider: () => csrProvider({ flavour: "vault", allowIpSans: true, allowAnyName: true }),
    certificates: ["aws-iam:certificates", "vault:vault-pki"],
    nodeNaming: "aws",
    irsaIssuer: "https://my-bucket.s3.eu-west-1.amazonaws.com/my-cluster",
    giveRootCa: true,
  },
];

async function step(deployment: CharmDeployment, title: string, run: () => Promise<unknown>): Promise<void> {
  console.log(`\n$ ${title}`);
  await run();
  await deployment.d.settle();
  console.log(renderStatus(deployment.d.state));
}

async function runWorld(world: World): Promise<{ status: string; message: string }> {
  console.log(`\n=== ${world.title} ===`);
  // On AWS the deployment registers each machine's node itself, named as kubelet names it there.
  const kube = await startKubeApiEmulator({ controlPlaneNodes: world.nodeNaming === "aws" ? 0 : 3 });
  try {
    const provider = world.provider();
    const deployment = charmDeployment({
      generation: world.generation,
      mode: "dispatch",
      kube,
      nodeNaming: world.nodeNaming,
      extraApps: [provider],
      onStep: (record) => {
        if (record.result) console.log(`  hook ${record.description} → exit ${record.result.exitCode}`);
      },
    });
    const { d, integration } = deployment;
    await step(deployment, `juju integrate ${integration.join(" ")}`, () => d.integrate(...integration));
    await step(deployment, `juju integrate ${world.certificates.join(" ")}`, () =>
      d.integrate(...world.certificates),
    );
    const root =
      world.giveRootCa && provider.standIn instanceof CsrProviderCharm ? provider.standIn.rootPem : undefined;
    if (root !== undefined) {
      // The status says CK's auth-webhook cannot verify the authenticator without the root above vault's
      // intermediate; the operator takes it from the CA vault got its intermediate from.
      await step(deployment, `juju config aws-iam root-ca-certificate="$(cat root-ca.pem)"`, () =>
        d.configure("aws-iam", { "root-ca-certificate": root }),
      );
    }
    const irsa = world.irsaIssuer;
    const options = {
      "token-webhook-cache-ttl": "1m0s",
      ...(irsa !== undefined && { "irsa-issuer-url": irsa }),
    };
    const assignments = Object.entries(options).map(([key, value]) => `${key}=${value}`);
    await step(deployment, `juju config aws-iam ${assignments.join(" ")}`, () =>
      d.configure("aws-iam", options),
    );
    // The command first, then the hook it runs and its results, as a terminal would show them.
    console.log("\n$ juju run aws-iam/0 get-control-plane-config");
    const action = await d.runAction("aws-iam/0", "get-control-plane-config");
    const results = action.action?.results ?? {};
    for (const [key, value] of Object.entries(results)) console.log(`${key}: ${String(value)}`);
    if (deployment.controlPlane instanceof OpsControlPlane) {
      const controlPlane = deployment.controlPlane;
      const line = String(results["authn-webhook-endpoint"]);
      const url = line.split("authn-webhook-endpoint=")[1] ?? "";
      await step(deployment, line, async () => {
        controlPlane.configure(url);
        await d.updateStatus("aws-iam");
      });
    }
    if (irsa !== undefined) {
      // The operator merges the printed api-extra-args into the control plane's: kube-apiserver restarts
      // with the new issuer, which the emulated API server now signs and serves discovery as.
      await step(
        deployment,
        `${String(results["api-extra-args"])}   # merged into the current value, as the warning says`,
        async () => {
          kube.setServiceAccountIssuer(irsa, `${irsa}/openid/v1/jwks`);
          await d.updateStatus("aws-iam");
        },
      );
      const params = { "account-id": "111122223333", namespace: "apps", "service-account": "s3-reader" };
      console.log(
        `\n$ juju run aws-iam/0 get-irsa-discovery ${Object.entries(params)
          .map(([k, v]) => `${k}=${v}`)
          .join(" ")}`,
      );
      const discovery = await d.runAction("aws-iam/0", "get-irsa-discovery", params);
      if (discovery.action?.failed !== undefined) console.log(`failed: ${discovery.action.failed}`);
      for (const [key, value] of Object.entries(discovery.action?.results ?? {}))
        console.log(`${key}: ${String(value)}`);
    }
    await step(deployment, "update-status on every unit", () => d.updateStatus("aws-iam"));
    const app = d.state.applications["aws-iam"]!.status;
    return { status: app.status, message: app.message };
  } finally {
    await kube.close();
  }
}

const SEVERITY: Record<string, number> = { error: 4, blocked: 3, maintenance: 2, waiting: 1, active: 0 };
const results: Array<{ generation: Generation; status: string; message: string }> = [];
for (const world of worlds) results.push({ generation: world.generation, ...(await runWorld(world)) });
const worst = results.reduce((a, b) => ((SEVERITY[b.status] ?? 5) > (SEVERITY[a.status] ?? 5) ? b : a));
const message = results.map(
  (r) => `${r.generation}: ${r.status === worst.status ? r.message : `${r.status} ${r.message}`}`,
);
console.log(`\nSIMULATION ${worst.status}: ${message.join(" | ")}`);
