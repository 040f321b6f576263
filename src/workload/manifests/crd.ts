// IAMIdentityMapping CRD exactly as upstream declares it (deploy/iamidentitymapping.yaml), status included:
// the server indexes mappings by status.canonicalARN, which structural pruning would drop without a schema.
import type { V1CustomResourceDefinition } from "@kubernetes/client-node";
import { sharedLabels } from "./labels.ts";

export const CRD_GROUP = "iamauthenticator.k8s.aws";
export const CRD_PLURAL = "iamidentitymappings";
export const CRD_NAME = `${CRD_PLURAL}.${CRD_GROUP}`;

/** Cluster-scoped and shared by every deployment; labelled without an instance so no app prunes it alone. */
export function buildIamIdentityMappingCrd(): V1CustomResourceDefinition {
  return {
    apiVersion: "apiextensions.k8s.io/v1",
    kind: "CustomResourceDefinition",
    metadata: { name: CRD_NAME, labels: sharedLabels() },
    spec: {
      group: CRD_GROUP,
      scope: "Cluster",
      names: {
        plural: CRD_PLURAL,
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
                  properties: {
                    canonicalARN: { type: "string" },
                    userID: { type: "string" },
                  },
                },
              },
            },
          },
        },
      ],
    },
  };
}
