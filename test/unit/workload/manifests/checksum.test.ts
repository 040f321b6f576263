import assert from "node:assert/strict";
import { describe, it } from "node:test";
import type { V1DaemonSet } from "@kubernetes/client-node";
import { canonicalJson, configChecksum } from "../../../../src/workload/manifests/checksum.ts";
import { buildAuthenticatorObjects } from "../../../../src/workload/manifests/objects.ts";
import type { AuthenticatorSpec } from "../../../../src/workload/manifests/spec.ts";
import { BASE_SPEC, CERT_PEM, specWith } from "./fixtures.ts";

function podChecksum(spec: AuthenticatorSpec): string {
  const ds = buildAuthenticatorObjects(spec).find((o) => o.kind === "DaemonSet") as V1DaemonSet;
  const value = ds.spec?.template.metadata?.annotations?.["checksum/config"];
  assert.ok(value, "checksum annotation missing");
  return value;
}

describe("checksum", () => {
  it("canonicalJson ignores key order and undefined values", () => {
    assert.equal(canonicalJson({ b: 1, a: { d: [1, "x"], c: undefined } }), '{"a":{"d":[1,"x"]},"b":1}');
    assert.equal(canonicalJson({ a: 1, b: 2 }), canonicalJson({ b: 2, a: 1 }));
  });

  it("is a sha256 hex digest over ConfigMap and Secret data", () => {
    const sum = configChecksum({ data: { "config.yaml": "x" } }, { data: { "cert.pem": "y" } });
    assert.match(sum, /^[0-9a-f]{64}$/);
    assert.notEqual(sum, configChecksum({ data: { "config.yaml": "x" } }, { data: { "cert.pem": "z" } }));
  });

  it("identical input renders identical objects", () => {
    assert.deepStrictEqual(buildAuthenticatorObjects(BASE_SPEC), buildAuthenticatorObjects({ ...BASE_SPEC }));
    assert.equal(podChecksum(BASE_SPEC), podChecksum(structuredClone(BASE_SPEC)));
  });

  it("changes when the certificate or key changes", () => {
    const base = podChecksum(BASE_SPEC);
    const renewed = `${CERT_PEM}-----BEGIN CERTIFICATE-----\nMIIBchain\n-----END CERTIFICATE-----\n`;
    assert.notEqual(podChecksum(specWith({ tls: { ...BASE_SPEC.tls, certPem: renewed } })), base);
    assert.notEqual(
      podChecksum(specWith({ tls: { ...BASE_SPEC.tls, keyPem: `${BASE_SPEC.tls.keyPem}\n` } })),
      base,
    );
  });

  it("changes when the server config changes", () => {
    const base = podChecksum(BASE_SPEC);
    assert.notEqual(podChecksum(specWith({ clusterId: "another-cluster" })), base);
    assert.notEqual(podChecksum(specWith({ mappings: { mapAccounts: ["111122223333"] } })), base);
  });

  it("does not change for settings that already change the pod template (image)", () => {
    assert.equal(podChecksum(specWith({ image: "other/image:v0.7.1" })), podChecksum(BASE_SPEC));
  });
});
