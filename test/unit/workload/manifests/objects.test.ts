import assert from "node:assert/strict";
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, it } from "node:test";
import { ownedLabelSelector } from "../../../../src/workload/manifests/labels.ts";
import { buildAuthenticatorObjects } from "../../../../src/workload/manifests/objects.ts";
import { OWNED_KINDS } from "../../../../src/workload/manifests/owned-kinds.ts";
import { InvalidSpecError } from "../../../../src/workload/manifests/spec-error.ts";
import { BASE_SPEC, specWith } from "./fixtures.ts";
import { validateAgainstOfficialSchema } from "./schema.ts";

const ALL = specWith({ backendModes: ["CRD", "EKSConfigMap", "MountedFile"] });

describe("buildAuthenticatorObjects", () => {
  it("emits objects in apply order: CRD, ServiceAccount, RBAC, ConfigMap, Secret, DaemonSet", () => {
    assert.deepStrictEqual(
      buildAuthenticatorObjects(ALL).map((o) => o.kind),
      [
        "CustomResourceDefinition",
        "ServiceAccount",
        "ClusterRole",
        "ClusterRoleBinding",
        "Role",
        "RoleBinding",
        "Role",
        "RoleBinding",
        "ConfigMap",
        "Secret",
        "DaemonSet",
      ],
    );
  });

  it("keeps the CRD even when the CRD backend is off, so switching backends never deletes mappings", () => {
    const kinds = buildAuthenticatorObjects(specWith({ backendModes: ["MountedFile"] })).map((o) => o.kind);
    assert.deepStrictEqual(kinds, [
      "CustomResourceDefinition",
      "ServiceAccount",
      "ConfigMap",
      "Secret",
      "DaemonSet",
    ]);
  });

  it("validates every object against the official Kubernetes schemas", () => {
    for (const obj of buildAuthenticatorObjects(ALL)) {
      assert.doesNotThrow(() => validateAgainstOfficialSchema(obj), `${obj.kind} ${obj.metadata?.name}`);
    }
  });

  it("labels every per-application object so ownedLabelSelector finds exactly them", () => {
    const selector = Object.fromEntries(
      ownedLabelSelector("aws-iam")
        .split(",")
        .map((kv) => kv.split("=")),
    );
    assert.deepStrictEqual(selector, {
      "app.kubernetes.io/name": "aws-iam-authenticator",
      "app.kubernetes.io/instance": "aws-iam",
      "app.kubernetes.io/managed-by": "charm-aws-iam",
    });
    for (const obj of buildAuthenticatorObjects(ALL).filter((o) => o.kind !== "CustomResourceDefinition")) {
      for (const [key, value] of Object.entries(selector)) {
        assert.equal(obj.metadata?.labels?.[key], value, `${obj.kind} ${obj.metadata?.name} lacks ${key}`);
      }
    }
  });

  it("lists every emitted kind in OWNED_KINDS, and only the CRD is exempt from pruning", () => {
    const owned = new Set(OWNED_KINDS.map((k) => `${k.apiVersion}/${k.kind}`));
    for (const obj of buildAuthenticatorObjects(ALL))
      assert.ok(owned.has(`${obj.apiVersion}/${obj.kind}`), obj.kind);
    assert.deepStrictEqual(
      OWNED_KINDS.filter((k) => !k.prune).map((k) => k.kind),
      ["CustomResourceDefinition"],
    );
    for (const kind of OWNED_KINDS) {
      const group = kind.apiVersion.includes("/") ? `/apis/${kind.apiVersion}/` : `/api/${kind.apiVersion}/`;
      assert.ok(kind.listPath.startsWith(group), `${kind.kind} path ${kind.listPath}`);
      assert.ok(!kind.listPath.includes("namespaces"), "all-namespaces path");
    }
  });

  it("namespaces namespaced objects and leaves cluster-scoped ones without a namespace", () => {
    const namespaced = new Map(OWNED_KINDS.map((k) => [k.kind, k.namespaced]));
    for (const obj of buildAuthenticatorObjects(
      specWith({ namespace: "auth", backendModes: ["CRD", "MountedFile"] }),
    )) {
      assert.equal(obj.metadata?.namespace !== undefined, namespaced.get(obj.kind ?? ""), `${obj.kind}`);
    }
  });

  it("throws InvalidSpecError before building anything", () => {
    assert.throws(
      () => buildAuthenticatorObjects(specWith({ backendModes: ["CRD", "CRD"] })),
      InvalidSpecError,
    );
  });

  it("two applications share no object except the CRD", () => {
    const key = (o: { kind?: string; metadata?: { namespace?: string; name?: string } }) =>
      `${o.kind}/${o.metadata?.namespace}/${o.metadata?.name}`;
    const a = new Set(
      buildAuthenticatorObjects(specWith({ appName: "iam-a", backendModes: ["CRD", "EKSConfigMap"] })).map(
        key,
      ),
    );
    const b = buildAuthenticatorObjects(
      specWith({ appName: "iam-b", port: 21400, backendModes: ["CRD", "EKSConfigMap"] }),
    );
    assert.deepStrictEqual(
      b.map(key).filter((k) => a.has(k)),
      ["CustomResourceDefinition/undefined/iamidentitymappings.iamauthenticator.k8s.aws"],
    );
  });

  it("product code imports only types from @kubernetes/client-node (the bundle never loads the client)", () => {
    const dir = join(import.meta.dirname, "../../../../src/workload/manifests");
    for (const file of readdirSync(dir).filter((f) => f.endsWith(".ts"))) {
      const source = readFileSync(join(dir, file), "utf8");
      for (const match of source.matchAll(/^import\s+(type\s+)?[^;]*from\s+"@kubernetes\/client-node";/gm)) {
        assert.ok(match[1], `${file} imports client-node at runtime: ${match[0]}`);
      }
    }
  });

  it("leaves the input spec untouched", () => {
    const spec = structuredClone(BASE_SPEC);
    buildAuthenticatorObjects(spec);
    assert.deepStrictEqual(spec, BASE_SPEC);
  });
});
