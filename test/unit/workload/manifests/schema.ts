// Validates rendered objects against the official Kubernetes OpenAPI schemas (kubernetes-models' generated
// validators), picked by apiVersion/kind so an object of an unexpected kind fails loudly.
import type { KubernetesObject } from "@kubernetes/client-node";
import { MutatingWebhookConfiguration } from "kubernetes-models/admissionregistration.k8s.io/v1/MutatingWebhookConfiguration";
import { CustomResourceDefinition } from "kubernetes-models/apiextensions.k8s.io/v1/CustomResourceDefinition";
import { DaemonSet } from "kubernetes-models/apps/v1/DaemonSet";
import { ClusterRole } from "kubernetes-models/rbac.authorization.k8s.io/v1/ClusterRole";
import { ClusterRoleBinding } from "kubernetes-models/rbac.authorization.k8s.io/v1/ClusterRoleBinding";
import { Role } from "kubernetes-models/rbac.authorization.k8s.io/v1/Role";
import { RoleBinding } from "kubernetes-models/rbac.authorization.k8s.io/v1/RoleBinding";
import { ConfigMap } from "kubernetes-models/v1/ConfigMap";
import { Secret } from "kubernetes-models/v1/Secret";
import { ServiceAccount } from "kubernetes-models/v1/ServiceAccount";

interface Validatable {
  validate(): void;
}

// The model constructors want their own (structurally identical) input types; the rendered objects are
// client-node types, so they go through `never` here rather than `any`.
const MODELS: Readonly<Record<string, (obj: KubernetesObject) => Validatable>> = {
  "admissionregistration.k8s.io/v1/MutatingWebhookConfiguration": (o) =>
    new MutatingWebhookConfiguration(o as never),
  "apiextensions.k8s.io/v1/CustomResourceDefinition": (o) => new CustomResourceDefinition(o as never),
  "apps/v1/DaemonSet": (o) => new DaemonSet(o as never),
  "rbac.authorization.k8s.io/v1/ClusterRole": (o) => new ClusterRole(o as never),
  "rbac.authorization.k8s.io/v1/ClusterRoleBinding": (o) => new ClusterRoleBinding(o as never),
  "rbac.authorization.k8s.io/v1/Role": (o) => new Role(o as never),
  "rbac.authorization.k8s.io/v1/RoleBinding": (o) => new RoleBinding(o as never),
  "v1/ConfigMap": (o) => new ConfigMap(o as never),
  "v1/Secret": (o) => new Secret(o as never),
  "v1/ServiceAccount": (o) => new ServiceAccount(o as never),
};

/** Throws (with the schema's message) when `obj` violates its official schema or is of an unknown kind. */
export function validateAgainstOfficialSchema(obj: KubernetesObject): void {
  const key = `${obj.apiVersion}/${obj.kind}`;
  const model = MODELS[key];
  if (!model) throw new Error(`no official schema wired for ${key}`);
  model(obj).validate();
}
