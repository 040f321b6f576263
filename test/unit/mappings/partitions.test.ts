import assert from "node:assert/strict";
import { describe, it } from "node:test";
import fc from "fast-check";
import yaml from "js-yaml";
import { parseMappingOptions } from "../../../src/mappings/options.ts";
import {
  EXAMPLE_REGION,
  PARTITIONS,
  partitionImageProblem,
  partitionOfRegion,
  reservedPrefixProblem,
} from "../../../src/mappings/partitions.ts";
import { PLACEHOLDERS } from "../../../src/mappings/templates.ts";

describe("partitions", () => {
  it("lists every partition upstream accepts (pkg/endpoints/partitions.go PARTITIONS)", () => {
    assert.deepEqual(
      [...PARTITIONS],
      ["aws", "aws-cn", "aws-us-gov", "aws-iso", "aws-iso-b", "aws-iso-e", "aws-iso-f", "aws-eusc"],
    );
  });

  it("places regions in their partition, and each example region in its own", () => {
    for (const partition of PARTITIONS) assert.equal(partitionOfRegion(EXAMPLE_REGION[partition]), partition);
    assert.equal(partitionOfRegion("il-central-1"), "aws");
    assert.equal(partitionOfRegion("us-gov-east-1"), "aws-us-gov");
    assert.equal(partitionOfRegion("cn-northwest-1"), "aws-cn");
    assert.equal(partitionOfRegion("EU_WEST"), undefined);
  });

  it("refuses aws-eusc on images released before it (v0.7.7), and nothing else", () => {
    assert.equal(
      partitionImageProblem("aws-eusc", "rocks.canonical.com/cdk/aws-iam-authenticator:v0.7.4"),
      'partition: "aws-eusc" is unknown to aws-iam-authenticator before v0.7.7 and image is v0.7.4; expected an image at v0.7.7 or later, or another partition',
    );
    assert.equal(
      partitionImageProblem("aws-eusc", "registry.local:5000/aws-iam-authenticator:v0.7.7"),
      undefined,
    );
    assert.equal(partitionImageProblem("aws-eusc", "example.com/aws-iam-authenticator:0.10.0"), undefined);
    assert.equal(partitionImageProblem("aws-eusc", `example.com/a@sha256:${"a".repeat(64)}`), undefined);
    assert.equal(partitionImageProblem("aws-us-gov", "example.com/aws-iam-authenticator:v0.5.0"), undefined);
  });

  it("refuses reserved prefixes no configured backend enforces on the image (MountedFile v0.6.6, CRD v0.7.17)", () => {
    const at = (tag: string): string => `rocks.canonical.com/cdk/aws-iam-authenticator:${tag}`;
    assert.equal(reservedPrefixProblem(["system:"], ["CRD"], at("v0.7.17")), undefined);
    assert.equal(reservedPrefixProblem(["system:"], ["CRD", "MountedFile"], at("v0.6.6")), undefined);
    assert.equal(reservedPrefixProblem([], ["CRD"], at("v0.6.0")), undefined);
    assert.equal(
      reservedPrefixProblem(["system:"], ["CRD", "EKSConfigMap"], at("v0.7.4")),
      'reserved-username-prefixes: no backend in backend-mode "CRD,EKSConfigMap" enforces them on image v0.7.4 (MountedFile does from v0.6.6, CRD and EKSConfigMap from v0.7.17); expected MountedFile in backend-mode, an image tagged v0.7.17 or later, or the option left empty',
    );
    assert.match(reservedPrefixProblem(["aws:"], ["MountedFile"], at("v0.6.5")) ?? "", /on image v0\.6\.5 /);
    assert.match(
      reservedPrefixProblem(["aws:"], ["MountedFile"], `example.com/a@sha256:${"a".repeat(64)}`) ?? "",
      /pinned by digest alone \(read as v0\.6\.0\)/,
    );
  });

  it("names exactly the placeholders the server expands (pkg/server/server.go renderTemplate)", () => {
    assert.deepEqual([...PLACEHOLDERS].sort(), [
      "{{AccessKeyID}}",
      "{{AccountID}}",
      "{{EC2PrivateDNSName}}",
      "{{SessionNameRaw}}",
      "{{SessionName}}",
    ]);
  });
});

describe("valid mappings in any partition", () => {
  const name = fc.stringMatching(/^[\w+=,.@-]{1,64}$/);
  const account = fc.stringMatching(/^\d{12}$/);
  const group = fc.stringMatching(/^[a-z][a-z0-9:-]{0,20}$/);

  it("parse back to exactly the entries written, whatever the names", () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...PARTITIONS),
        fc.uniqueArray(fc.tuple(account, name), {
          minLength: 1,
          maxLength: 8,
          selector: ([a, n]) => `${a}/${n.toLowerCase()}`,
        }),
        fc.array(group, { maxLength: 3 }),
        (partition, principals, groups) => {
          const mapRoles = principals.map(([a, n]) => ({
            rolearn: `arn:${partition}:iam::${a}:role/${n}`,
            username: `u:{{SessionName}}`,
            groups,
          }));
          const mapUsers = principals.map(([a, n]) => ({
            userarn: `arn:${partition}:iam::${a}:user/team/${n}`,
            username: n,
            groups,
          }));
          const parsed = parseMappingOptions(
            {
              mapRoles: yaml.dump(mapRoles),
              mapUsers: yaml.dump(mapUsers),
              mapAccounts: yaml.dump(principals.map(([a]) => a).filter((a, i, all) => all.indexOf(a) === i)),
              backendModes: ["MountedFile"],
            },
            { partition, reservedPrefixes: [] },
          );
          assert.ok(parsed.ok, JSON.stringify(!parsed.ok && parsed.problems));
          assert.deepEqual(parsed.mappings.mapRoles, mapRoles);
          assert.deepEqual(parsed.mappings.mapUsers, mapUsers);
        },
      ),
      { numRuns: 60 },
    );
  });
});
