import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { resolveSpec } from "../../../../src/workload/manifests/resolve-spec.ts";
import { buildTlsSecret } from "../../../../src/workload/manifests/secret.ts";
import { BASE_SPEC, CERT_PEM, KEY_PEM } from "./fixtures.ts";
import { validateAgainstOfficialSchema } from "./schema.ts";

describe("buildTlsSecret", () => {
  it("carries cert.pem and key.pem, base64-encoded, under the names the server reads", () => {
    const secret = buildTlsSecret(resolveSpec(BASE_SPEC));
    assert.deepStrictEqual(secret, {
      apiVersion: "v1",
      kind: "Secret",
      metadata: {
        name: "aws-iam-authenticator-tls",
        namespace: "kube-system",
        labels: {
          "app.kubernetes.io/name": "aws-iam-authenticator",
          "app.kubernetes.io/instance": "aws-iam",
          "app.kubernetes.io/managed-by": "charm-aws-iam",
        },
      },
      type: "Opaque",
      data: {
        "cert.pem": Buffer.from(CERT_PEM).toString("base64"),
        "key.pem": Buffer.from(KEY_PEM).toString("base64"),
      },
    });
    assert.equal(Buffer.from(secret.data?.["key.pem"] ?? "", "base64").toString("utf8"), KEY_PEM);
    validateAgainstOfficialSchema(secret);
  });
});
