import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { buildIamIdentityMappingCrd, CRD_NAME } from "../../../../src/workload/manifests/crd.ts";
import { LABEL_INSTANCE } from "../../../../src/workload/manifests/labels.ts";
import { validateAgainstOfficialSchema } from "./schema.ts";

describe("buildIamIdentityMappingCrd", () => {
  it("matches upstream's IAMIdentityMapping v1alpha1 with status fields and subresource", () => {
    assert.deepStrictEqual(buildIamIdentityMappingCrd(), {
      apiVersion: "apiextensions.k8s.io/v1",
      kind: "CustomResourceDefinition",
      metadata: {
        name: "iamidentitymappings.iamauthenticator.k8s.aws",
        labels: {
          "app.kubernetes.io/name": "aws-iam-authenticator",
          "app.kubernetes.io/managed-by": "charm-aws-iam",
        },
      },
      spec: {
        group: "iamauthenticator.k8s.aws",
        scope: "Cluster",
        names: {
          plural: "iamidentitymappings",
          singular: "iamidentitymapping",
          kind: "IAMIdentityMapping",
          categories: ["all"],
        },
        versions: [
          {
            name: "v1alpha1",
            served: true,
            storage: true,
            subresources: { status: {} },
            schema: {
              openAPIV3Schema: {
                type: "object",
                properties: {
                  spec: {
                    type: "object",
                    required: ["arn", "username"],
                    properties: {
                      arn: { type: "string" },
                      username: { type: "string" },
                      groups: { type: "array", items: { type: "string" } },
                    },
                  },
                  status: {
                    type: "object",
                    properties: { canonicalARN: { type: "string" }, userID: { type: "string" } },
                  },
                },
              },
            },
          },
        ],
      },
    });
  });

  it("has the name Kubernetes requires (<plural>.<group>)", () => {
    const crd = buildIamIdentityMappingCrd();
    assert.equal(crd.metadata?.name, `${crd.spec?.names.plural}.${crd.spec?.group}`);
    assert.equal(CRD_NAME, crd.metadata?.name);
  });

  it("carries no instance label: it is shared by every deployment and must not be pruned by one", () => {
    assert.equal(buildIamIdentityMappingCrd().metadata?.labels?.[LABEL_INSTANCE], undefined);
  });

  it("validates against the official CustomResourceDefinition schema", () => {
    assert.doesNotThrow(() => validateAgainstOfficialSchema(buildIamIdentityMappingCrd()));
  });

  it("the schema check really rejects a broken CRD", () => {
    const broken = { ...buildIamIdentityMappingCrd(), spec: { group: "x" } };
    assert.throws(() => validateAgainstOfficialSchema(broken as never));
  });
});
