/** End-to-end: the real built dispatch (one process per hook, hook tools as executables on PATH)
 * through both tls-certificates protocols to a validated certificate on all three units. */
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { containsPrivateKey, pemBlocks } from "../../src/certificates/pem.ts";
import {
  appStatusOf,
  heldBy,
  peerAppBag,
  publishedTexts,
  statusOf,
  UNITS,
  withProvider,
} from "../support/certificates.ts";
import type { ExtraApp } from "../support/deployments.ts";
import { csrProvider, easyrsa } from "../support/providers.ts";
import { opensslVerify } from "../unit/tls/tls-test-kit.ts";

describe("the built dispatch with a certificates provider", () => {
  const cases: Array<[string, () => ExtraApp, string, "legacy" | "current", "legacy" | "csr"]> = [
    ["easyrsa (legacy protocol)", easyrsa, "easyrsa:client", "legacy", "legacy"],
    [
      "self-signed-certificates (CSR protocol)",
      () => csrProvider({ flavour: "self-signed" }),
      "self-signed-certificates:certificates",
      "current",
      "csr",
    ],
  ];
  for (const [name, provider, endpoint, generation, protocol] of cases) {
    test(`${name}: every unit holds a certificate openssl verifies`, async () => {
      const { d } = await withProvider(provider(), endpoint, { generation, mode: "dispatch" });
      const failed = d.log.filter((s) => s.result !== undefined && s.result.exitCode !== 0);
      assert.deepEqual(
        failed.map((s) => `${s.description}: ${s.result!.stderr}`),
        [],
      );
      const fingerprint = peerAppBag(d)["tls-fingerprint"];
      // With a valid certificate the reconcile moves on to the workload; this model has no Kubernetes.
      const ready =
        "waiting: no Kubernetes credentials at /root/.kube/config yet (the control plane writes them)";
      for (const unit of UNITS) {
        const { content, recorded } = heldBy(d, unit);
        assert.equal(recorded, fingerprint, unit);
        assert.equal(content["protocol"], protocol);
        const verified = await opensslVerify(
          content["ca-certificate"]!,
          content["certificate"]!,
          pemBlocks(content["chain"] ?? ""),
        );
        assert.match(verified, /: OK$/, unit);
        assert.equal(statusOf(d, unit), ready, unit);
      }
      assert.equal(appStatusOf(d), ready);
      assert.deepEqual(publishedTexts(d).filter(containsPrivateKey), []);
    });
  }
});
