import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { resolveSpec } from "../../../../src/workload/manifests/resolve-spec.ts";
import type { AuthenticatorSpec, BackendMode } from "../../../../src/workload/manifests/spec.ts";
import { InvalidSpecError } from "../../../../src/workload/manifests/spec-error.ts";
import { BASE_SPEC, specWith } from "./fixtures.ts";

/** The problems resolveSpec reports for `spec`; fails the test if it does not throw InvalidSpecError. */
function problemsOf(spec: AuthenticatorSpec): readonly string[] {
  try {
    resolveSpec(spec);
  } catch (error) {
    assert.ok(error instanceof InvalidSpecError, `expected InvalidSpecError, got ${String(error)}`);
    return error.problems;
  }
  assert.fail("expected resolveSpec to throw");
}

function assertProblem(spec: AuthenticatorSpec, pattern: RegExp): void {
  const problems = problemsOf(spec);
  assert.ok(
    problems.some((p) => pattern.test(p)),
    `no problem matches ${pattern}: ${JSON.stringify(problems)}`,
  );
}

describe("resolveSpec", () => {
  it("given a minimal spec, applies every default", () => {
    const resolved = resolveSpec(BASE_SPEC);
    assert.deepStrictEqual(resolved, {
      appName: "aws-iam",
      namespace: "kube-system",
      image: BASE_SPEC.image,
      port: 21362,
      clusterId: "ck-3f2a9c",
      backendModes: ["CRD", "MountedFile"],
      partition: "aws",
      mappings: { mapRoles: [], mapUsers: [], mapAccounts: [] },
      reservedUsernamePrefixes: [],
      tls: BASE_SPEC.tls,
      resources: { requests: { cpu: "25m", memory: "64Mi" }, limits: { memory: "256Mi" } },
      priorityClassName: "system-cluster-critical",
      nodeSelector: { "node-role.kubernetes.io/control-plane": "" },
    });
  });

  it("merges resource overrides field by field", () => {
    const resolved = resolveSpec(specWith({ resources: { limits: { memory: "512Mi", cpu: "500m" } } }));
    assert.deepStrictEqual(resolved.resources, {
      requests: { cpu: "25m", memory: "64Mi" },
      limits: { memory: "512Mi", cpu: "500m" },
    });
  });

  it("rejects duplicate backend modes by name", () => {
    assertProblem(specWith({ backendModes: ["CRD", "MountedFile", "CRD"] }), /CRD more than once/);
  });

  it("rejects an empty backend list", () => {
    assertProblem(specWith({ backendModes: [] }), /at least one of CRD, MountedFile, EKSConfigMap/);
  });

  it("points deprecated aliases to their replacement", () => {
    assertProblem(
      specWith({ backendModes: ["ConfigMap" as BackendMode] }),
      /deprecated alias; use "EKSConfigMap"/,
    );
  });

  it("rejects backends the charm does not support", () => {
    assertProblem(
      specWith({ backendModes: ["DynamicFile" as BackendMode] }),
      /"DynamicFile" is not supported/,
    );
  });

  it("rejects the server's fixed health port and privileged ports", () => {
    assertProblem(specWith({ port: 21363 }), /21363 is taken/);
    assertProblem(specWith({ port: 443 }), /from 1024 to 65535/);
    assertProblem(specWith({ port: 2136.5 }), /must be an integer/);
  });

  it("rejects app names that are not Juju names or too long for labels", () => {
    assertProblem(specWith({ appName: "AWS_IAM" }), /Juju application name/);
    assertProblem(specWith({ appName: `a${"b".repeat(49)}` }), /at most 49/);
  });

  it("rejects a blank cluster ID, image, and bad namespace", () => {
    assertProblem(specWith({ clusterId: "" }), /clusterId/);
    assertProblem(specWith({ clusterId: "a b" }), /clusterId/);
    assertProblem(specWith({ image: " " }), /image/);
    assertProblem(specWith({ namespace: "Kube_System" }), /namespace/);
  });

  it("rejects TLS material that is not PEM", () => {
    assertProblem(specWith({ tls: { certPem: "nope", keyPem: BASE_SPEC.tls.keyPem } }), /tls.certPem/);
    assertProblem(specWith({ tls: { certPem: BASE_SPEC.tls.certPem, keyPem: "nope" } }), /tls.keyPem/);
  });

  it("rejects memory limits that OOM-kill the server", () => {
    assertProblem(specWith({ resources: { limits: { memory: "20Mi" } } }), /below 64Mi/);
    assertProblem(specWith({ resources: { limits: { memory: "lots" } } }), /not a memory quantity/);
    assertProblem(specWith({ resources: { requests: { cpu: "fast" } } }), /not a CPU quantity/);
    assertProblem(
      specWith({ resources: { requests: { memory: "1Gi" }, limits: { memory: "256Mi" } } }),
      /exceeds resources.limits.memory/,
    );
  });

  it("rejects mappings when MountedFile is not a backend", () => {
    assertProblem(
      specWith({ backendModes: ["CRD"], mappings: { mapAccounts: ["111122223333"] } }),
      /only served by the MountedFile backend/,
    );
  });

  it("rejects role ARNs with a path, and says how to write them", () => {
    const spec = specWith({
      mappings: { mapRoles: [{ rolearn: "arn:aws:iam::111122223333:role/teams/admins", username: "admin" }] },
    });
    assertProblem(spec, /mapRoles\[0\].rolearn: .*expected arn:aws:iam::111122223333:role\/admins/);
  });

  it("rejects ARNs from another partition than the server's", () => {
    const spec = specWith({
      partition: "aws-us-gov",
      mappings: { mapUsers: [{ userarn: "arn:aws:iam::111122223333:user/alice", username: "alice" }] },
    });
    assertProblem(spec, /mapUsers\[0\].userarn: .*is in partition "aws" but partition is "aws-us-gov"/);
  });

  it("rejects role mappings with both or neither of rolearn and sso", () => {
    const sso = { permissionSetName: "Admin", accountID: "111122223333" };
    assertProblem(
      specWith({
        mappings: { mapRoles: [{ rolearn: "arn:aws:iam::111122223333:role/a", sso, username: "u" }] },
      }),
      /mapRoles\[0\]: has both rolearn and sso; expected exactly one of them/,
    );
    assertProblem(
      specWith({ mappings: { mapRoles: [{ username: "u" }] } }),
      /mapRoles\[0\]: has neither rolearn nor sso; expected exactly one of them/,
    );
  });

  it("rejects sso matching outside partition aws (upstream never matches there)", () => {
    const spec = specWith({
      partition: "aws-cn",
      mappings: {
        mapRoles: [{ sso: { permissionSetName: "Admin", accountID: "111122223333" }, username: "u" }],
      },
    });
    assertProblem(spec, /mapRoles\[0\].sso: never matches in partition "aws-cn"/);
  });

  it("rejects account IDs that are not 12 digits and mappings without a username", () => {
    assertProblem(specWith({ mappings: { mapAccounts: ["12345"] } }), /mapAccounts\[0\]/);
    assertProblem(
      specWith({ mappings: { mapUsers: [{ userarn: "arn:aws:iam::111122223333:user/a", username: "" }] } }),
      /mapUsers\[0\].username: is empty/,
    );
  });

  it("reports every problem at once", () => {
    const problems = problemsOf(specWith({ port: 80, clusterId: "", backendModes: ["CRD", "CRD"] }));
    assert.equal(problems.length, 3, JSON.stringify(problems));
  });

  it("names the problems in the error message", () => {
    assert.throws(() => resolveSpec(specWith({ port: 21363 })), {
      name: "InvalidSpecError",
      message: /invalid authenticator settings: port 21363 is taken/,
    });
  });
});
