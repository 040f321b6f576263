import assert from "node:assert/strict";
import { describe, it } from "node:test";
import type { V1ClusterRole, V1Role, V1RoleBinding } from "@kubernetes/client-node";
import { buildRbacObjects, type RbacObject } from "../../../../src/workload/manifests/rbac.ts";
import { resolveSpec } from "../../../../src/workload/manifests/resolve-spec.ts";
import type { BackendMode } from "../../../../src/workload/manifests/spec.ts";
import { specWith } from "./fixtures.ts";
import { validateAgainstOfficialSchema } from "./schema.ts";

function rbacFor(backendModes: BackendMode[], namespace?: string): RbacObject[] {
  return buildRbacObjects(resolveSpec(specWith({ backendModes, ...(namespace && { namespace }) })));
}

function byKindAndName(objects: RbacObject[], kind: string, name: string): RbacObject {
  const found = objects.find((o) => o.kind === kind && o.metadata?.name === name);
  assert.ok(
    found,
    `${kind} ${name} missing from ${objects.map((o) => `${o.kind}/${o.metadata?.name}`).join(", ")}`,
  );
  return found;
}

const ALL_MODES: BackendMode[] = ["CRD", "EKSConfigMap", "MountedFile"];

describe("buildRbacObjects", () => {
  it("grants nothing when only MountedFile is on (the server never calls the API)", () => {
    assert.deepStrictEqual(rbacFor(["MountedFile"]), []);
  });

  it("CRD: reads mappings cluster-wide and only updates their status", () => {
    const role = byKindAndName(rbacFor(["CRD"]), "ClusterRole", "aws-iam-authenticator") as V1ClusterRole;
    assert.deepStrictEqual(role.rules, [
      {
        apiGroups: ["iamauthenticator.k8s.aws"],
        resources: ["iamidentitymappings"],
        verbs: ["get", "list", "watch"],
      },
      {
        apiGroups: ["iamauthenticator.k8s.aws"],
        resources: ["iamidentitymappings/status"],
        verbs: ["update"],
      },
    ]);
  });

  it("CRD: creates/patches events only in default, where client-go files events of cluster-scoped objects", () => {
    const role = byKindAndName(rbacFor(["CRD"]), "Role", "aws-iam-authenticator-events") as V1Role;
    assert.equal(role.metadata?.namespace, "default");
    assert.deepStrictEqual(role.rules, [
      { apiGroups: [""], resources: ["events"], verbs: ["create", "patch"] },
    ]);
  });

  it("EKSConfigMap: reads only kube-system/aws-auth, whatever namespace the server runs in", () => {
    const objects = rbacFor(["EKSConfigMap"], "auth");
    assert.deepStrictEqual(
      objects.map((o) => `${o.kind}/${o.metadata?.namespace}/${o.metadata?.name}`),
      [
        "Role/kube-system/aws-iam-authenticator-aws-auth",
        "RoleBinding/kube-system/aws-iam-authenticator-aws-auth",
      ],
    );
    const role = objects[0] as V1Role;
    assert.deepStrictEqual(role.rules, [
      {
        apiGroups: [""],
        resources: ["configmaps"],
        resourceNames: ["aws-auth"],
        verbs: ["get", "list", "watch"],
      },
    ]);
    const binding = objects[1] as V1RoleBinding;
    assert.deepStrictEqual(binding.subjects, [
      { kind: "ServiceAccount", name: "aws-iam-authenticator", namespace: "auth" },
    ]);
  });

  it("binds every role to the application's ServiceAccount, role before binding", () => {
    const objects = rbacFor(ALL_MODES);
    assert.deepStrictEqual(
      objects.map((o) => o.kind),
      ["ClusterRole", "ClusterRoleBinding", "Role", "RoleBinding", "Role", "RoleBinding"],
    );
    for (const binding of objects.filter((o) => o.kind?.endsWith("Binding")) as V1RoleBinding[]) {
      assert.deepStrictEqual(binding.subjects, [
        { kind: "ServiceAccount", name: "aws-iam-authenticator", namespace: "kube-system" },
      ]);
      const role = objects.find(
        (o) => o.kind === binding.roleRef.kind && o.metadata?.name === binding.roleRef.name,
      );
      assert.ok(role, `binding ${binding.metadata?.name} refers to a role we do not render`);
      assert.equal(role.metadata?.namespace, binding.metadata?.namespace);
    }
  });

  it("never uses a wildcard and never grants write access to anything but mapping status and events", () => {
    for (const obj of rbacFor(ALL_MODES)) {
      for (const rule of (obj as V1Role).rules ?? []) {
        for (const value of [...(rule.apiGroups ?? []), ...(rule.resources ?? []), ...rule.verbs]) {
          assert.ok(!value.includes("*"), `${obj.metadata?.name} has wildcard ${value}`);
        }
        const writes = rule.verbs.filter((v) => !["get", "list", "watch"].includes(v));
        if (writes.length > 0) {
          assert.ok(
            rule.resources?.every((r) => r === "iamidentitymappings/status" || r === "events"),
            `${obj.metadata?.name} writes ${rule.resources?.join(",")}`,
          );
        }
      }
    }
  });

  it("names cluster-scoped objects per application so two deployments never collide", () => {
    const a = buildRbacObjects(resolveSpec(specWith({ appName: "iam-a" })));
    const b = buildRbacObjects(resolveSpec(specWith({ appName: "iam-b" })));
    const names = (objs: RbacObject[]) =>
      new Set(objs.map((o) => `${o.kind}/${o.metadata?.namespace}/${o.metadata?.name}`));
    const overlap = [...names(a)].filter((n) => names(b).has(n));
    assert.deepStrictEqual(overlap, []);
  });

  it("validates every object against the official RBAC schemas", () => {
    for (const obj of rbacFor(ALL_MODES)) validateAgainstOfficialSchema(obj);
  });
});
