import assert from "node:assert/strict";
import { describe, it } from "node:test";
import yaml from "js-yaml";
import { buildConfigMap, buildServerConfig } from "../../../../src/workload/manifests/config-map.ts";
import { resolveSpec } from "../../../../src/workload/manifests/resolve-spec.ts";
import { BASE_SPEC, specWith } from "./fixtures.ts";
import { validateAgainstOfficialSchema } from "./schema.ts";

const ROLE = "arn:aws:iam::111122223333:role/k8s-admins";
const USER = "arn:aws:iam::111122223333:user/alice";

function renderedConfig(spec = BASE_SPEC): unknown {
  const text = buildConfigMap(resolveSpec(spec)).data?.["config.yaml"];
  assert.equal(typeof text, "string");
  return yaml.load(text ?? "");
}

describe("buildConfigMap", () => {
  it("renders config.yaml with the keys the server reads, loopback-bound and kubeconfig pre-generated", () => {
    assert.deepStrictEqual(renderedConfig(), {
      clusterID: "ck-3f2a9c",
      server: {
        address: "127.0.0.1",
        port: 21362,
        partition: "aws",
        stateDir: "/var/aws-iam-authenticator",
        kubeconfigPregenerated: true,
        backendMode: ["CRD", "MountedFile"],
        mapRoles: [],
        mapUsers: [],
        mapAccounts: [],
      },
    });
  });

  it("renders MountedFile mappings with upstream's field names; account IDs stay strings", () => {
    const spec = specWith({
      port: 30443,
      partition: "aws",
      mappings: {
        mapRoles: [
          { rolearn: ROLE, username: "admin:{{SessionName}}", groups: ["system:masters"] },
          { sso: { permissionSetName: "Dev", accountID: "111122223333" }, username: "dev", userid: "AROAX" },
        ],
        mapUsers: [{ userarn: USER, username: "alice" }],
        mapAccounts: ["000011112222"],
      },
    });
    const server = (renderedConfig(spec) as { server: Record<string, unknown> }).server;
    assert.equal(server["port"], 30443);
    assert.deepStrictEqual(server["mapRoles"], [
      { rolearn: ROLE, username: "admin:{{SessionName}}", groups: ["system:masters"] },
      {
        sso: { permissionSetName: "Dev", accountID: "111122223333" },
        username: "dev",
        groups: [],
        userid: "AROAX",
      },
    ]);
    assert.deepStrictEqual(server["mapUsers"], [{ userarn: USER, username: "alice", groups: [] }]);
    assert.deepStrictEqual(server["mapAccounts"], ["000011112222"]);
  });

  it("leaves mapping keys out when MountedFile is off", () => {
    const config = buildServerConfig(resolveSpec(specWith({ backendModes: ["EKSConfigMap", "CRD"] })));
    assert.deepStrictEqual(Object.keys(config.server).sort(), [
      "address",
      "backendMode",
      "kubeconfigPregenerated",
      "partition",
      "port",
      "stateDir",
    ]);
    assert.deepStrictEqual(config.server.backendMode, ["EKSConfigMap", "CRD"]);
  });

  it("reserves username prefixes for every enabled backend", () => {
    const config = buildServerConfig(resolveSpec(specWith({ reservedUsernamePrefixes: ["system:"] })));
    assert.deepStrictEqual(config.server.reservedPrefixConfig, [
      { backendmode: "CRD", usernamePrefixReserveList: ["system:"] },
      { backendmode: "MountedFile", usernamePrefixReserveList: ["system:"] },
    ]);
  });

  it("before v0.7.17 reserves prefixes only for MountedFile, the one backend whose mapper reads them", () => {
    const spec = specWith({
      image: "rocks.canonical.com/cdk/aws-iam-authenticator:v0.7.4",
      reservedUsernamePrefixes: ["system:"],
    });
    assert.deepStrictEqual(buildServerConfig(resolveSpec(spec)).server.reservedPrefixConfig, [
      { backendmode: "MountedFile", usernamePrefixReserveList: ["system:"] },
    ]);
    assert.throws(
      () => resolveSpec({ ...spec, backendModes: ["CRD"] }),
      /reservedUsernamePrefixes are enforced only by the MountedFile backend/,
    );
  });

  it("is labelled as ours and validates against the official ConfigMap schema", () => {
    const cm = buildConfigMap(resolveSpec(BASE_SPEC));
    assert.equal(cm.metadata?.name, "aws-iam-authenticator");
    assert.equal(cm.metadata?.labels?.["app.kubernetes.io/managed-by"], "charm-aws-iam");
    assert.deepStrictEqual(Object.keys(cm.data ?? {}), ["config.yaml"]);
    validateAgainstOfficialSchema(cm);
  });
});
