import assert from "node:assert/strict";
import { before, describe, it } from "node:test";
import fc from "fast-check";
import { dump, load } from "js-yaml";
import { webhookFiles } from "../../../src/control-plane/rules.ts";
import { renderWebhookKubeconfig } from "../../../src/control-plane/webhook-kubeconfig.ts";
import { makeTestCerts, type TestCerts } from "./certs-fixture.ts";
import { clientNodeLoad, kubectlView } from "./kubeconfig-readers.ts";

interface Kubeconfig {
  clusters: { name: string; cluster: { server: string; "certificate-authority-data": string } }[];
  users: { name: string }[];
  contexts: { name: string; context: { cluster: string; user: string } }[];
  "current-context": string;
}

describe("renderWebhookKubeconfig", () => {
  let certs: TestCerts;
  before(() => {
    certs = makeTestCerts();
  });

  it("has what the reactive control plane reads: clusters[0].cluster.server", () => {
    const doc = load(renderWebhookKubeconfig({ port: 21362, caPem: certs.caPem })) as Kubeconfig;
    assert.equal(doc.clusters[0]?.cluster.server, "https://127.0.0.1:21362/authenticate");
  });

  it("trusts the CA, base64-encoded", () => {
    const doc = load(renderWebhookKubeconfig({ port: 21362, caPem: certs.caPem })) as Kubeconfig;
    const ca = Buffer.from(doc.clusters[0]!.cluster["certificate-authority-data"], "base64").toString("utf8");
    assert.equal(ca, certs.caPem);
  });

  it("is byte for byte what js-yaml dumps for the same document (files written before stay unchanged)", () => {
    const bundles = [certs.caPem, `${certs.caPem}${certs.otherCaPem}`, certs.caPem.replaceAll("\n", "\r\n")];
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 65535 }), fc.constantFrom(...bundles), (port, caPem) => {
        const canonical = `${(caPem.match(/-----BEGIN CERTIFICATE-----\r?\n[\s\S]*?-----END CERTIFICATE-----/g) ?? []).map((b) => b.replaceAll("\r\n", "\n")).join("\n")}\n`;
        const doc = {
          apiVersion: "v1",
          kind: "Config",
          clusters: [
            {
              name: "aws-iam-authenticator",
              cluster: {
                server: `https://127.0.0.1:${port}/authenticate`,
                "certificate-authority-data": Buffer.from(canonical).toString("base64"),
              },
            },
          ],
          users: [{ name: "kube-apiserver", user: {} }],
          contexts: [
            { name: "webhook", context: { cluster: "aws-iam-authenticator", user: "kube-apiserver" } },
          ],
          "current-context": "webhook",
        };
        assert.equal(renderWebhookKubeconfig({ port, caPem }), dump(doc, { lineWidth: -1, noRefs: true }));
      }),
    );
  });

  it("webhookFiles refuses the leaf certificate, unless the machine already has exactly that file", () => {
    assert.throws(() => webhookFiles(21362, certs.leafPem), /not a CA/);
    const other = renderWebhookKubeconfig({ port: 21362, caPem: certs.caPem });
    assert.throws(() => webhookFiles(21362, certs.leafPem, other), /not a CA/);
    // What is on the machine was checked when written: the same text is not parsed again.
    const same = renderWebhookKubeconfig({ port: 21362, caPem: certs.leafPem });
    assert.equal(webhookFiles(21362, certs.leafPem, same).kubeconfig, same);
  });

  it("webhookFiles trusts the same canonical CA it embeds", () => {
    const files = webhookFiles(21362, certs.caPem.replaceAll("\n", "\r\n"));
    assert.equal(files.trustedCa, certs.caPem.endsWith("\n") ? certs.caPem : `${certs.caPem}\n`);
    const doc = load(files.kubeconfig) as Kubeconfig;
    assert.equal(
      Buffer.from(doc.clusters[0]!.cluster["certificate-authority-data"], "base64").toString(),
      files.trustedCa,
    );
  });

  it("changes when the CA or port changes and is stable otherwise", () => {
    const base = renderWebhookKubeconfig({ port: 21362, caPem: certs.caPem });
    assert.equal(renderWebhookKubeconfig({ port: 21362, caPem: certs.caPem }), base);
    assert.notEqual(renderWebhookKubeconfig({ port: 21363, caPem: certs.caPem }), base);
    assert.notEqual(renderWebhookKubeconfig({ port: 21362, caPem: certs.otherCaPem }), base);
  });

  it("refuses an invalid port", () => {
    assert.throws(() => renderWebhookKubeconfig({ port: 0, caPem: certs.caPem }), /port/);
  });

  it("is read by the real kubectl with the context resolving to cluster and user", () => {
    const view = kubectlView(renderWebhookKubeconfig({ port: 21362, caPem: certs.caPem })) as Kubeconfig;
    assert.equal(view["current-context"], "webhook");
    assert.deepEqual(view.contexts[0]?.context, { cluster: "aws-iam-authenticator", user: "kube-apiserver" });
    assert.equal(view.clusters[0]?.cluster.server, "https://127.0.0.1:21362/authenticate");
    assert.equal(
      Buffer.from(view.clusters[0]!.cluster["certificate-authority-data"], "base64").toString("utf8"),
      certs.caPem,
    );
    assert.equal(view.users[0]?.name, "kube-apiserver");
  });

  it("is read by @kubernetes/client-node", () => {
    const kc = clientNodeLoad(renderWebhookKubeconfig({ port: 8443, caPem: certs.caPem }));
    assert.equal(kc.getCurrentCluster()?.server, "https://127.0.0.1:8443/authenticate");
    assert.equal(Buffer.from(kc.getCurrentCluster()?.caData ?? "", "base64").toString("utf8"), certs.caPem);
    assert.equal(kc.getCurrentUser()?.name, "kube-apiserver");
  });
});
