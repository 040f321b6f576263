import assert from "node:assert/strict";
import { describe, it } from "node:test";
import yaml from "js-yaml";
import { type CharmConfig, parseCharmConfig } from "../../../src/config/charm-config.ts";
import { decideMappings } from "../../../src/mappings/decide.ts";
import { buildAuthenticatorObjects } from "../../../src/workload/manifests/index.ts";
import { SPEC } from "../../k8s/harness.ts";
import { CONFIG_DEFAULTS as defaults, parsedConfig } from "../../support/config-defaults.ts";

const config = parsedConfig;

/** The server's config.yaml as the workload would render it with the mappings feature's fields. */
function serverConfig(c: CharmConfig): { server: Record<string, unknown> } {
  const objects = buildAuthenticatorObjects({
    ...SPEC,
    image: c.image,
    backendModes: c.backendModes,
    ...decideMappings(c).spec,
  });
  const configMap = objects.find((o) => o.kind === "ConfigMap") as { data: Record<string, string> };
  return yaml.load(configMap.data["config.yaml"] ?? "") as { server: Record<string, unknown> };
}

const GOV_ROLE =
  "- {rolearn: 'arn:aws-us-gov:iam::111122223333:role/k8s-admins', username: 'admin:{{SessionName}}', groups: [system:masters]}";

describe("decideMappings", () => {
  it("defaults: partition aws, no mappings, nothing reserved, nothing to say", () => {
    const decision = decideMappings(config({}));
    assert.deepEqual(decision, {
      plan: {},
      spec: {
        partition: "aws",
        mappings: { mapRoles: [], mapUsers: [], mapAccounts: [] },
        reservedUsernamePrefixes: [],
      },
    });
  });

  it("hands the workload the GovCloud mappings, rendered into the server's config read back", () => {
    const c = config({
      partition: "aws-us-gov",
      "backend-mode": "MountedFile",
      "map-roles": GOV_ROLE,
      "map-accounts": "['444455556666']",
    });
    const server = serverConfig(c).server;
    assert.equal(server["partition"], "aws-us-gov");
    assert.deepEqual(server["mapRoles"], [
      {
        rolearn: "arn:aws-us-gov:iam::111122223333:role/k8s-admins",
        username: "admin:{{SessionName}}",
        groups: ["system:masters"],
      },
    ]);
    assert.deepEqual(server["mapAccounts"], ["444455556666"]);
  });

  it("one reserved-prefix rule: rendered and noted per backend by the image's version", () => {
    const older = config({ "backend-mode": "CRD,MountedFile", "reserved-username-prefixes": "system:" });
    assert.deepEqual(decideMappings(older).plan, {
      activeNotes: ["reserved-username-prefixes not enforced for CRD on this image (needs v0.7.17)"],
    });
    assert.deepEqual(serverConfig(older).server["reservedPrefixConfig"], [
      { backendmode: "MountedFile", usernamePrefixReserveList: ["system:"] },
    ]);

    const newer = config({
      image: "rocks.canonical.com/cdk/aws-iam-authenticator:v0.7.17",
      "backend-mode": "CRD,MountedFile",
      "reserved-username-prefixes": "system:",
    });
    assert.deepEqual(decideMappings(newer).plan, {});
    assert.deepEqual(
      (serverConfig(newer).server["reservedPrefixConfig"] as { backendmode: string }[]).map(
        (e) => e.backendmode,
      ),
      ["CRD", "MountedFile"],
    );
  });

  it("the config gate refuses prefixes that no configured backend enforces, so decide never sees them", () => {
    const parsed = parseCharmConfig({
      ...defaults,
      "backend-mode": "EKSConfigMap",
      "reserved-username-prefixes": "aws:",
    });
    assert.ok(!parsed.ok);
    assert.match(
      parsed.invalid[0] ?? "",
      /^reserved-username-prefixes: no backend in backend-mode "EKSConfigMap" enforces them on image v0\.7\.4/,
    );
  });
});
