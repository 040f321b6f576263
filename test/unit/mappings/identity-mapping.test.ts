import assert from "node:assert/strict";
import { describe, it } from "node:test";
import {
  buildIdentityMapping,
  CREATED_BY_ANNOTATION,
  type IamIdentityMapping,
  identityMappingName,
  parseGroupsParam,
  planAddMapping,
  planRemoveMapping,
} from "../../../src/mappings/identity-mapping.ts";

const ROLE = "arn:aws:iam::111122223333:role/K8s_Admins";
const DNS_SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;

const base = {
  appName: "aws-iam",
  partition: "aws" as const,
  reservedPrefixes: [],
  force: false,
  existing: [],
};

function foreign(name: string, arn: string, owner?: string): IamIdentityMapping {
  return {
    metadata: { name, ...(owner !== undefined && { annotations: { [CREATED_BY_ANNOTATION]: owner } }) },
    spec: { arn, username: "someone", groups: [] },
  };
}

describe("IAMIdentityMapping names", () => {
  it("are readable, DNS-1123, at most 63 characters and the same for an ARN in any case", () => {
    const name = identityMappingName(ROLE);
    assert.match(name, /^role-111122223333-k8s-admins-[0-9a-f]{8}$/);
    assert.equal(
      identityMappingName(ROLE.toUpperCase().replace("ARN:AWS:IAM", "arn:aws:iam").replace("ROLE/", "role/")),
      name,
    );
    const long = identityMappingName(`arn:aws:iam::111122223333:user/division/${"a".repeat(64)}`);
    assert.ok(long.length <= 63, long);
    assert.match(long, DNS_SUBDOMAIN);
    assert.match(
      identityMappingName("arn:aws:iam::111122223333:user/+=,"),
      /^user-111122223333-[0-9a-f]{8}$/,
    );
  });

  it("differ for names that slug alike", () => {
    assert.notEqual(
      identityMappingName("arn:aws:iam::111122223333:role/Admin_1"),
      identityMappingName("arn:aws:iam::111122223333:role/admin-1"),
    );
  });
});

describe("add-mapping", () => {
  it("creates the object, labelled and annotated as this application's", () => {
    const plan = planAddMapping({
      ...base,
      arn: ROLE,
      username: "admin:{{SessionName}}",
      groups: ["system:masters"],
    });
    assert.equal(plan.kind, "apply");
    assert.ok(plan.kind === "apply");
    assert.deepEqual(plan.object.spec, {
      arn: ROLE,
      username: "admin:{{SessionName}}",
      groups: ["system:masters"],
    });
    assert.equal(plan.object.metadata.annotations?.[CREATED_BY_ANNOTATION], "aws-iam");
    assert.equal(plan.object.metadata.labels?.["app.kubernetes.io/managed-by"], "charm-aws-iam");
    assert.equal(plan.takesOver, false);
  });

  it("changes nothing when its own object already says the same", () => {
    const object = buildIdentityMapping("aws-iam", { arn: ROLE, username: "admin", groups: ["dev"] });
    const plan = planAddMapping({
      ...base,
      arn: ROLE,
      username: "admin",
      groups: ["dev"],
      existing: [object],
    });
    assert.deepEqual(plan, { kind: "unchanged", name: object.metadata.name });
  });

  it("refuses an object of that name it did not create unless forced", () => {
    const name = identityMappingName(ROLE);
    const existing = [foreign(name, ROLE, "other-app")];
    const refused = planAddMapping({ ...base, arn: ROLE, username: "admin", groups: [], existing });
    assert.deepEqual(refused, {
      kind: "fail",
      message: `IAMIdentityMapping/${name} exists and was created by other-app, not by aws-iam; expected force=true to take it over`,
    });
    const forced = planAddMapping({
      ...base,
      arn: ROLE,
      username: "admin",
      groups: [],
      existing,
      force: true,
    });
    assert.ok(forced.kind === "apply" && forced.takesOver);
  });

  it("refuses when another object already maps the ARN (the server would pick either)", () => {
    const existing = [foreign("k8s-admins", ROLE.toLowerCase())];
    const plan = planAddMapping({ ...base, arn: ROLE, username: "admin", groups: [], existing, force: true });
    assert.deepEqual(plan, {
      kind: "fail",
      message: `IAMIdentityMapping/k8s-admins (not created by the charm) already maps ${ROLE} (ARNs match case-insensitively) and the server would answer with either; expected remove-mapping arn=${ROLE} (force=true for objects the charm did not create) first`,
    });
  });

  it("validates like a config entry, naming the parameter", () => {
    const plan = planAddMapping({
      ...base,
      partition: "aws-us-gov",
      reservedPrefixes: ["system:"],
      arn: "arn:aws:iam::111122223333:role/teams/admins",
      username: "system:admin",
      groups: ["ok", "{{Nope}}"],
    });
    assert.deepEqual(plan, {
      kind: "fail",
      message: [
        'arn: "arn:aws:iam::111122223333:role/teams/admins" is in partition "aws" but partition is "aws-us-gov"; expected arn:aws-us-gov:iam::<12-digit account>:role/<name> or arn:aws-us-gov:iam::<12-digit account>:user/<name> (or partition=aws if the cluster\'s accounts live there)',
        'username: "system:admin" starts with "system:", which reserved-username-prefixes reserves; expected a username without that prefix',
        'groups[1]: "{{Nope}}" uses {{Nope}}, which the server does not expand; expected only {{AccountID}}, {{SessionName}}, {{SessionNameRaw}}, {{AccessKeyID}}, {{EC2PrivateDNSName}}',
      ].join("; "),
    });
  });

  it("reads groups as a comma-separated parameter", () => {
    assert.deepEqual(parseGroupsParam(" system:masters, dev ,,"), ["system:masters", "dev"]);
    assert.deepEqual(parseGroupsParam(undefined), []);
  });
});

describe("remove-mapping", () => {
  const own = buildIdentityMapping("aws-iam", { arn: ROLE, username: "admin", groups: [] });

  it("deletes this application's objects for the ARN, in any case", () => {
    assert.deepEqual(
      planRemoveMapping({ appName: "aws-iam", arn: ROLE.toLowerCase(), force: false, existing: [own] }),
      {
        kind: "delete",
        names: [own.metadata.name],
      },
    );
  });

  it("refuses objects it did not create unless forced, and says when nothing maps the ARN", () => {
    const existing = [own, foreign("by-hand", ROLE)];
    assert.deepEqual(planRemoveMapping({ appName: "aws-iam", arn: ROLE, force: false, existing }), {
      kind: "fail",
      message: `IAMIdentityMapping/by-hand (not created by the charm) maps ${ROLE} but aws-iam did not create it; expected force=true to delete it anyway`,
    });
    assert.deepEqual(planRemoveMapping({ appName: "aws-iam", arn: ROLE, force: true, existing }), {
      kind: "delete",
      names: ["by-hand", own.metadata.name].sort(),
    });
    assert.deepEqual(planRemoveMapping({ appName: "aws-iam", arn: ROLE, force: false, existing: [] }), {
      kind: "fail",
      message: `no IAMIdentityMapping maps ${ROLE}`,
    });
  });
});
