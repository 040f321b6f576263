import assert from "node:assert/strict";
import { describe, it } from "node:test";
import yaml from "js-yaml";
import { parseAwsAuth } from "../../../src/mappings/aws-auth.ts";
import { buildIdentityMapping, type IamIdentityMapping } from "../../../src/mappings/identity-mapping.ts";
import { listMappings, listMappingsResults } from "../../../src/mappings/list.ts";
import { EMPTY_MAPPINGS } from "../../../src/mappings/options.ts";

const rules = { partition: "aws" as const, reservedPrefixes: [] };
const ADMINS = "arn:aws:iam::111122223333:role/k8s-admins";
const ALICE = "arn:aws:iam::111122223333:user/alice";

function indexed(object: IamIdentityMapping): IamIdentityMapping {
  return { ...object, status: { canonicalARN: object.spec.arn.toLowerCase() } };
}

describe("aws-auth as the server reads it", () => {
  it("matches field names case-insensitively, keeps account IDs as written and skips blank keys", () => {
    const parsed = parseAwsAuth(
      {
        mapRoles: `- roleARN: ${ADMINS}\n  UserName: admin\n  Groups: [system:masters]\n  extra: ignored`,
        mapUsers: "''",
        mapAccounts: "- 012345678901",
      },
      rules,
    );
    assert.deepEqual(parsed.roles, [
      { index: 0, value: { rolearn: ADMINS, username: "admin", groups: ["system:masters"] }, problems: [] },
    ]);
    assert.deepEqual(parsed.users, []);
    assert.deepEqual(parsed.accounts, [{ index: 0, value: "012345678901", problems: [] }]);
    assert.deepEqual(parsed.notServed, []);
  });

  it("says what the server drops and what it serves but the charm finds wrong", () => {
    const parsed = parseAwsAuth(
      {
        mapRoles: `- {username: nobody}\n- {rolearn: "${ADMINS.replace("role/", "role/teams/")}", username: admin}`,
        mapUsers: "- {username: alice}",
        mapAccounts: "{not: a list}",
      },
      rules,
    );
    assert.deepEqual(parsed.notServed, [
      "aws-auth mapRoles[0]: the server drops it (one of rolearn or SSO must be supplied)",
      "aws-auth mapUsers[0]: the server drops it (value for userarn must be supplied)",
      "aws-auth mapAccounts: is a mapping, not a list; the server serves none of it",
    ]);
    assert.equal(parsed.roles.length, 1);
    assert.deepEqual(parsed.roles[0]?.problems, [
      'aws-auth mapRoles[1].rolearn: "arn:aws:iam::111122223333:role/teams/k8s-admins" has path "/teams/", which STS leaves out of assumed roles, so it never matches; expected arn:aws:iam::111122223333:role/k8s-admins',
    ]);
  });

  it("reports YAML errors in a key as serving none of it", () => {
    assert.deepEqual(parseAwsAuth({ mapRoles: "- [" }, rules).notServed, [
      "aws-auth mapRoles: is not valid YAML (line 2, column 1: unexpected end of the stream within a flow collection); the server serves none of it",
    ]);
  });
});

describe("list-mappings", () => {
  it("lists backends in order and marks the first mapping of an ARN as the one that answers", () => {
    const crd = [
      indexed(buildIdentityMapping("aws-iam", { arn: ADMINS, username: "crd-admin", groups: [] })),
    ];
    const awsAuth = parseAwsAuth({ mapRoles: `- {rolearn: ${ADMINS}, username: cm-admin}` }, rules);
    const config = { ...EMPTY_MAPPINGS, mapUsers: [{ userarn: ALICE, username: "alice", groups: [] }] };
    const listed = listMappings({
      backendModes: ["CRD", "EKSConfigMap", "MountedFile"],
      crd,
      awsAuth,
      config,
      rules,
    });
    assert.deepEqual(
      listed.map((entry) => [entry.backend, entry.source, entry.username, entry.wins, entry.answeredBy]),
      [
        ["CRD", `IAMIdentityMapping/${crd[0]!.metadata.name}`, "crd-admin", true, undefined],
        [
          "EKSConfigMap",
          "aws-auth mapRoles[0]",
          "cm-admin",
          false,
          `IAMIdentityMapping/${crd[0]!.metadata.name}`,
        ],
        ["MountedFile", "map-users[0]", "alice", true, undefined],
      ],
    );
  });

  it("lets an earlier backend's account shadow later explicit mappings of that account, not its own", () => {
    const awsAuth = parseAwsAuth(
      { mapAccounts: '- "111122223333"', mapUsers: `- {userarn: ${ALICE}, username: cm-alice}` },
      rules,
    );
    const config = {
      mapRoles: [{ rolearn: ADMINS, username: "admin", groups: [] }],
      mapUsers: [],
      mapAccounts: ["111122223333", "444455556666"],
    };
    const listed = listMappings({ backendModes: ["EKSConfigMap", "MountedFile"], awsAuth, config, rules });
    assert.deepEqual(
      listed.map((entry) => [entry.source, entry.wins, entry.answeredBy]),
      [
        ["aws-auth mapUsers[0]", true, undefined],
        ["aws-auth mapAccounts[0]", true, undefined],
        ["map-roles[0]", false, "aws-auth mapAccounts[0]"],
        ["map-accounts[0]", false, "aws-auth mapAccounts[0]"],
        ["map-accounts[1]", true, undefined],
      ],
    );
  });

  it("keeps the last duplicate in aws-auth, calls every duplicate CRD object ambiguous, and unindexed ones unanswering", () => {
    const awsAuth = parseAwsAuth(
      {
        mapRoles: `- {rolearn: ${ADMINS}, username: first}\n- {rolearn: ${ADMINS.toUpperCase().replace(/^ARN:AWS:IAM/, "arn:aws:iam")}, username: second}`,
      },
      rules,
    );
    const twins = [
      indexed({ metadata: { name: "a" }, spec: { arn: ALICE, username: "a" } }),
      indexed({ metadata: { name: "b" }, spec: { arn: ALICE, username: "b" } }),
      { metadata: { name: "c" }, spec: { arn: "arn:aws:iam::111122223333:user/carol", username: "c" } },
    ];
    const listed = listMappings({
      backendModes: ["EKSConfigMap", "CRD"],
      awsAuth,
      crd: twins,
      config: EMPTY_MAPPINGS,
      rules,
    });
    assert.deepEqual(
      listed.map((entry) => [entry.source, entry.wins]),
      [
        ["aws-auth mapRoles[0]", false],
        ["aws-auth mapRoles[1]", true],
        ["IAMIdentityMapping/a", false],
        ["IAMIdentityMapping/b", false],
        ["IAMIdentityMapping/c", false],
      ],
    );
    assert.equal(listed[0]?.answeredBy, "aws-auth mapRoles[1]");
    assert.match(listed[2]?.answeredBy ?? "", /^any one of the IAMIdentityMappings for this ARN/);
    assert.match(listed[4]?.problems?.[0] ?? "", /^status.canonicalARN: is empty/);
  });

  it("renders results as a summary and YAML entries", () => {
    const config = { ...EMPTY_MAPPINGS, mapAccounts: ["111122223333"] };
    const results = listMappingsResults(listMappings({ backendModes: ["MountedFile"], config, rules }), [
      "x",
    ]);
    assert.equal(
      results["summary"],
      "1 mappings (1 from MountedFile); 0 not answering; 0 with problems; 1 entries the server does not serve",
    );
    assert.deepEqual(yaml.load(results["mappings"] ?? ""), [
      {
        backend: "MountedFile",
        source: "map-accounts[0]",
        kind: "account",
        principal: "111122223333",
        wins: true,
      },
    ]);
    assert.equal(results["not-served"], "x");
  });
});
