import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { resolveSpec } from "../../../../src/workload/manifests/resolve-spec.ts";
import { buildServiceAccount, needsApiAccess } from "../../../../src/workload/manifests/service-account.ts";
import { specWith } from "./fixtures.ts";
import { validateAgainstOfficialSchema } from "./schema.ts";

describe("buildServiceAccount", () => {
  it("names and labels the account after the Juju application, with token automount off", () => {
    const sa = buildServiceAccount(resolveSpec(specWith({ appName: "iam-b", namespace: "auth" })));
    assert.deepStrictEqual(sa, {
      apiVersion: "v1",
      kind: "ServiceAccount",
      metadata: {
        name: "iam-b-authenticator",
        namespace: "auth",
        labels: {
          "app.kubernetes.io/name": "aws-iam-authenticator",
          "app.kubernetes.io/instance": "iam-b",
          "app.kubernetes.io/managed-by": "charm-aws-iam",
        },
      },
      automountServiceAccountToken: false,
    });
    validateAgainstOfficialSchema(sa);
  });

  it("needs API access only for the CRD and EKSConfigMap backends", () => {
    assert.equal(needsApiAccess(resolveSpec(specWith({ backendModes: ["MountedFile"] }))), false);
    assert.equal(needsApiAccess(resolveSpec(specWith({ backendModes: ["CRD"] }))), true);
    assert.equal(
      needsApiAccess(resolveSpec(specWith({ backendModes: ["MountedFile", "EKSConfigMap"] }))),
      true,
    );
  });
});
