// One mapping entry at a time, from parsed YAML to a typed mapping, each problem naming the entry and field.
//
// Upstream checks far less (kubernetes-sigs/aws-iam-authenticator @ 81b1daba):
// - pkg/config/mapper.go RoleMapping.Validate: exactly one of rolearn/sso; sso.accountID ^[0-9]{12}$;
//   sso.permissionSetName ^[\w+=,.@-]{1,32}$; sso.partition, when set, in endpoints.PARTITIONS.
//   UserMapping.Validate: userarn non-empty. Nothing checks username or groups.
// - pkg/mapper/file/mapper.go NewFileMapper: the MountedFile backend returns the first Validate or Canonicalize
//   error, and pkg/server/server.go New then exits (logrus.Fatalf "failed to build mapper chain"): one bad entry
//   in the rendered config stops the server on every node. That is why the charm refuses it first.
// - mapAccounts entries are never validated; IsAccountAllowed compares them as strings with STS's account ID.
// The charm adds what makes an entry certain to misbehave: wrong partition or kind, paths STS leaves out,
// placeholders the server does not expand, reserved prefixes, and duplicates the server resolves silently.
import { isRecord } from "../util/is-record.ts";
import type { RoleMapping, UserMapping } from "../workload/manifests/spec.ts";
import { arnKey, arnProblem, parseArn } from "./arn.ts";
import {
  accountIdProblem,
  checkGroups,
  checkUsername,
  type MappingLabels,
  type MappingRules,
  typeName,
  unknownFields,
} from "./fields.ts";

const PERMISSION_SET = /^[\w+=,.@-]{1,32}$/;
const ROLE_FIELDS = ["rolearn", "sso", "username", "groups"] as const;
const USER_FIELDS = ["userarn", "username", "groups"] as const;
const SSO_FIELDS = ["permissionSetName", "accountID"] as const;

function checkSso(
  where: string,
  value: unknown,
  rules: MappingRules,
  problems: string[],
): RoleMapping["sso"] | undefined {
  const shape = `{permissionSetName: <name>, accountID: "<12 digits>"}`;
  if (!isRecord(value)) {
    problems.push(`${where}.sso: is ${typeName(value)}; expected ${shape}`);
    return undefined;
  }
  const before = problems.length;
  for (const key of Object.keys(value)) {
    if ((SSO_FIELDS as readonly string[]).includes(key)) continue;
    problems.push(
      key === "partition"
        ? `${where}.sso.partition: is set; expected it left out (upstream's SSOArnLike builds a pattern that never matches once it is set, pkg/config/mapper.go)`
        : `${where}.sso.${key}: is not a field; expected only ${SSO_FIELDS.join(", ")}`,
    );
  }
  const set = value["permissionSetName"];
  if (typeof set !== "string" || !PERMISSION_SET.test(set)) {
    const what =
      typeof set === "string"
        ? JSON.stringify(set)
        : set === undefined
          ? "is missing"
          : `is ${typeName(set)}`;
    problems.push(
      `${where}.sso.permissionSetName: ${typeof set === "string" ? `${what} is not a permission set name` : what}; expected 1-32 of letters, digits and +=,.@_-`,
    );
  }
  const account = value["accountID"];
  const accountProblem =
    account === undefined
      ? 'is missing; expected a 12-digit account ID such as "111122223333"'
      : accountIdProblem(account);
  if (accountProblem !== undefined) problems.push(`${where}.sso.accountID: ${accountProblem}`);
  if (rules.partition !== "aws") {
    problems.push(
      `${where}.sso: never matches in partition "${rules.partition}" (upstream's SSOArnLike only builds arn:aws: patterns); expected rolearn: arn:${rules.partition}:iam::<12-digit account>:role/AWSReservedSSO_<set>_<suffix> instead`,
    );
  }
  if (problems.length > before) return undefined;
  return { permissionSetName: set as string, accountID: String(account) };
}

/** A validated mapRoles entry, or undefined after pushing every problem with it. */
export function checkRoleEntry(
  where: string,
  raw: unknown,
  rules: MappingRules,
  labels: MappingLabels,
  problems: string[],
): RoleMapping | undefined {
  if (!isRecord(raw)) {
    problems.push(`${where}: is ${typeName(raw)}; expected a mapping with rolearn, username and groups`);
    return undefined;
  }
  const before = problems.length;
  unknownFields(where, raw, ROLE_FIELDS, problems);
  const hasArn = raw["rolearn"] !== undefined;
  const hasSso = raw["sso"] !== undefined;
  let rolearn: string | undefined;
  let sso: RoleMapping["sso"];
  if (hasArn === hasSso) {
    problems.push(
      `${where}: has ${hasArn ? "both" : "neither"} rolearn ${hasArn ? "and" : "nor"} sso; expected exactly one of them`,
    );
  } else if (hasArn) {
    const value = raw["rolearn"];
    const problem =
      typeof value === "string"
        ? arnProblem(value, rules.partition, "role", labels)
        : `is ${typeName(value)}; expected arn:${rules.partition}:iam::<12-digit account>:role/<name>`;
    if (problem !== undefined) problems.push(`${where}.rolearn: ${problem}`);
    else rolearn = value as string;
  } else {
    sso = checkSso(where, raw["sso"], rules, problems);
  }
  const username = checkUsername(where, raw["username"], false, rules, labels, problems);
  const groups = checkGroups(where, raw["groups"], false, problems);
  if (problems.length > before || username === undefined || groups === undefined) return undefined;
  return { ...(rolearn !== undefined ? { rolearn } : { sso }), username, groups };
}

/** A validated mapUsers entry, or undefined after pushing every problem with it. */
export function checkUserEntry(
  where: string,
  raw: unknown,
  rules: MappingRules,
  labels: MappingLabels,
  problems: string[],
): UserMapping | undefined {
  if (!isRecord(raw)) {
    problems.push(`${where}: is ${typeName(raw)}; expected a mapping with userarn, username and groups`);
    return undefined;
  }
  const before = problems.length;
  unknownFields(where, raw, USER_FIELDS, problems);
  const value = raw["userarn"];
  const problem =
    typeof value === "string"
      ? arnProblem(value, rules.partition, "user", labels)
      : `${value === undefined ? "is missing" : `is ${typeName(value)}`}; expected arn:${rules.partition}:iam::<12-digit account>:user/<name>`;
  if (problem !== undefined) problems.push(`${where}.userarn: ${problem}`);
  const username = checkUsername(where, raw["username"], true, rules, labels, problems);
  const groups = checkGroups(where, raw["groups"], true, problems);
  if (problems.length > before || username === undefined || groups === undefined) return undefined;
  return { userarn: value as string, username, groups };
}

/** A validated mapAccounts entry (always a string), or undefined after pushing its problem. */
export function checkAccountEntry(where: string, raw: unknown, problems: string[]): string | undefined {
  const problem = accountIdProblem(raw);
  if (problem !== undefined) {
    problems.push(`${where}: ${problem}`);
    return undefined;
  }
  return String(raw);
}

export interface Indexed<T> {
  readonly index: number;
  readonly value: T;
}

function ssoRolePrefix(sso: NonNullable<RoleMapping["sso"]>): string {
  return `awsreservedsso_${sso.permissionSetName.toLowerCase()}_`;
}

/**
 * Entries the server would resolve silently or at random. Upstream keys roles and users by lower-cased ARN
 * (RoleMapping.Key; NewFileMapper lower-cases user ARNs), so a repeated ARN keeps only its last entry
 * (upstream issue #102); an sso matcher and a rolearn for one of its roles are both kept, and FileMapper.Map
 * scans a Go map, so which one answers changes from login to login.
 */
export function duplicateProblems(
  roles: readonly Indexed<RoleMapping>[],
  users: readonly Indexed<UserMapping>[],
  accounts: readonly Indexed<string>[],
  labels: MappingLabels,
): string[] {
  const problems: string[] = [];
  const firstRole = new Map<string, number>();
  const firstSso = new Map<string, number>();
  for (const { index, value } of roles) {
    if (value.rolearn !== undefined) {
      const first = firstRole.get(arnKey(value.rolearn));
      if (first !== undefined) {
        problems.push(
          `${labels.roles}[${index}].rolearn: ${JSON.stringify(value.rolearn)} is already mapped by ${labels.roles}[${first}] (ARNs match case-insensitively); expected each role mapped once`,
        );
      } else firstRole.set(arnKey(value.rolearn), index);
    } else if (value.sso !== undefined) {
      const key = `${value.sso.accountID}/${value.sso.permissionSetName.toLowerCase()}`;
      const first = firstSso.get(key);
      if (first !== undefined) {
        problems.push(
          `${labels.roles}[${index}].sso: permission set ${JSON.stringify(value.sso.permissionSetName)} of account "${value.sso.accountID}" is already mapped by ${labels.roles}[${first}]; expected each permission set mapped once`,
        );
      } else firstSso.set(key, index);
    }
  }
  const ssoEntries = roles.filter((role) => role.value.sso !== undefined);
  if (ssoEntries.length > 0) {
    for (const { index, value } of roles) {
      if (value.rolearn === undefined) continue;
      const arn = parseArn(value.rolearn);
      const name = arn?.name.toLowerCase() ?? "";
      for (const sso of ssoEntries) {
        const matcher = sso.value.sso!;
        if (arn?.account !== matcher.accountID || !name.startsWith(ssoRolePrefix(matcher))) continue;
        const [earlier, later] = sso.index < index ? [sso.index, index] : [index, sso.index];
        const laterField = later === index ? "rolearn" : "sso";
        const earlierField = later === index ? "sso" : "rolearn";
        problems.push(
          `${labels.roles}[${later}].${laterField}: maps role ${JSON.stringify(value.rolearn)} that ${labels.roles}[${earlier}].${earlierField} maps too, and the server picks either at random; expected one mapping per role`,
        );
      }
    }
  }
  const firstUser = new Map<string, number>();
  for (const { index, value } of users) {
    const first = firstUser.get(arnKey(value.userarn));
    if (first !== undefined) {
      problems.push(
        `${labels.users}[${index}].userarn: ${JSON.stringify(value.userarn)} is already mapped by ${labels.users}[${first}] (ARNs match case-insensitively); expected each user mapped once`,
      );
    } else firstUser.set(arnKey(value.userarn), index);
  }
  const firstAccount = new Map<string, number>();
  for (const { index, value } of accounts) {
    const first = firstAccount.get(value);
    if (first !== undefined) {
      problems.push(
        `${labels.accounts}[${index}]: "${value}" is already listed at ${labels.accounts}[${first}]; expected each account once`,
      );
    } else firstAccount.set(value, index);
  }
  return problems;
}
