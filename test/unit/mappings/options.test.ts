import assert from "node:assert/strict";
import { describe, it } from "node:test";
import yaml from "js-yaml";
import { parseCharmConfig } from "../../../src/config/charm-config.ts";
import { parseMappingOptions, summariseProblems } from "../../../src/mappings/options.ts";
import { CONFIGMAP_DATA_LIMIT_BYTES, configMapSizeProblem } from "../../../src/mappings/size.ts";
import { buildConfigMap } from "../../../src/workload/manifests/config-map.ts";
import { buildAuthenticatorObjects } from "../../../src/workload/manifests/objects.ts";
import { resolveSpec } from "../../../src/workload/manifests/resolve-spec.ts";
import { InvalidSpecError } from "../../../src/workload/manifests/spec-error.ts";
import { CONFIG_DEFAULTS as defaults } from "../../support/config-defaults.ts";
import { BASE_SPEC } from "../workload/manifests/fixtures.ts";

const GOV_ROLES = `
- rolearn: arn:aws-us-gov:iam::111122223333:role/k8s-admins
  username: admin:{{SessionName}}
  groups: [system:masters]
- rolearn: arn:aws-us-gov:iam::111122223333:role/nodes
  username: system:node:{{EC2PrivateDNSName}}
  groups: [system:bootstrappers, system:nodes]
`;

describe("mapping options", () => {
  it("defaults: partition aws, nothing reserved, no mappings", () => {
    const result = parseCharmConfig(defaults);
    assert.ok(result.ok);
    assert.deepEqual(result.config.mappingSettings, {
      partition: "aws",
      reservedUsernamePrefixes: [],
      mappings: { mapRoles: [], mapUsers: [], mapAccounts: [] },
    });
  });

  it("parses GovCloud roles, users and accounts into typed mappings, account IDs exactly as written", () => {
    const result = parseCharmConfig({
      ...defaults,
      partition: "aws-us-gov",
      "backend-mode": "MountedFile,CRD",
      "map-roles": GOV_ROLES,
      "map-users": "- {userarn: 'arn:aws-us-gov:iam::111122223333:user/ops/alice', username: alice}",
      "map-accounts": "- 012345678901\n- '111122223333'",
      "reserved-username-prefixes": " aws: , amazon:",
    });
    assert.ok(result.ok, JSON.stringify(!result.ok && result.invalid));
    const settings = result.config.mappingSettings;
    assert.equal(settings.partition, "aws-us-gov");
    assert.deepEqual(settings.reservedUsernamePrefixes, ["aws:", "amazon:"]);
    assert.deepEqual(settings.mappings.mapRoles[1], {
      rolearn: "arn:aws-us-gov:iam::111122223333:role/nodes",
      username: "system:node:{{EC2PrivateDNSName}}",
      groups: ["system:bootstrappers", "system:nodes"],
    });
    assert.deepEqual(settings.mappings.mapUsers, [
      { userarn: "arn:aws-us-gov:iam::111122223333:user/ops/alice", username: "alice", groups: [] },
    ]);
    assert.deepEqual(settings.mappings.mapAccounts, ["012345678901", "111122223333"]);
  });

  it("renders the mappings into the server config, which reads back identically (accounts stay strings)", () => {
    const parsed = parseMappingOptions(
      { mapRoles: GOV_ROLES, mapUsers: "", mapAccounts: "[012345678901]", backendModes: ["MountedFile"] },
      { partition: "aws-us-gov", reservedPrefixes: [] },
    );
    assert.ok(parsed.ok);
    const spec = resolveSpec({
      ...BASE_SPEC,
      backendModes: ["MountedFile"],
      partition: "aws-us-gov",
      mappings: parsed.mappings,
    });
    const text = buildConfigMap(spec).data?.["config.yaml"] ?? "";
    const server = (yaml.load(text) as { server: Record<string, unknown> }).server;
    assert.equal(server["partition"], "aws-us-gov");
    assert.deepEqual(server["mapRoles"], parsed.mappings.mapRoles);
    assert.deepEqual(server["mapAccounts"], ["012345678901"]);
  });

  it("accepts an sso matcher in partition aws and an empty list written as []", () => {
    const parsed = parseMappingOptions(
      {
        mapRoles:
          '- {sso: {permissionSetName: Admin, accountID: "111122223333"}, username: "admin:{{SessionName}}"}',
        mapUsers: "[]",
        mapAccounts: "",
        backendModes: ["MountedFile"],
      },
      { partition: "aws", reservedPrefixes: ["system:"] },
    );
    assert.ok(parsed.ok);
    assert.deepEqual(parsed.mappings.mapRoles[0]?.sso, {
      permissionSetName: "Admin",
      accountID: "111122223333",
    });
  });

  it("caps the problems a status shows and says how many more there are", () => {
    const many = Array.from({ length: 12 }, (_, i) => `p${i}`);
    assert.deepEqual(summariseProblems(many), [
      "p0",
      "p1",
      "p2",
      "p3",
      "p4",
      "and 7 more (run the list-mappings action for all)",
    ]);
    assert.deepEqual(summariseProblems(many.slice(0, 5)), many.slice(0, 5));
  });
});

describe("ConfigMap size", () => {
  it("allows exactly 1 MiB of data and refuses one byte more, with the size and the CRD suggestion", () => {
    assert.equal(configMapSizeProblem({ "config.yaml": "x".repeat(CONFIGMAP_DATA_LIMIT_BYTES) }), undefined);
    assert.equal(
      configMapSizeProblem({ "config.yaml": "x".repeat(CONFIGMAP_DATA_LIMIT_BYTES + 1) }),
      "the server config with these mappings is 1048577 bytes, over the ConfigMap limit of 1048576 bytes (1 MiB); expected fewer map-roles/map-users/map-accounts entries: serve the rest as IAMIdentityMapping objects (backend-mode CRD, action add-mapping)",
    );
    // UTF-8 bytes, as the API server counts them, not UTF-16 code units.
    assert.ok(configMapSizeProblem({ "config.yaml": "é".repeat(CONFIGMAP_DATA_LIMIT_BYTES / 2 + 1) }));
  });

  it("refuses to build the workload when the rendered mappings do not fit", () => {
    const mapUsers = Array.from({ length: 12_000 }, (_, i) => ({
      userarn: `arn:aws:iam::111122223333:user/user-${i}`,
      username: `user-${i}-${"x".repeat(20)}`,
      groups: ["developers"],
    }));
    assert.throws(
      () =>
        buildAuthenticatorObjects({ ...BASE_SPEC, backendModes: ["MountedFile"], mappings: { mapUsers } }),
      (error: unknown) =>
        error instanceof InvalidSpecError &&
        /^the server config with these mappings is \d+ bytes, over the ConfigMap limit of 1048576 bytes/.test(
          error.problems[0] ?? "",
        ),
    );
  });
});
