// The kube-system/aws-auth ConfigMap (EKSConfigMap backend) belongs to the operator: the charm reads it for
// list-mappings, reports what the server serves from it and what looks wrong, and never writes it.
//
// Upstream (kubernetes-sigs/aws-iam-authenticator @ 81b1daba, pkg/mapper/configmap/configmap.go ParseMap):
// - data keys exactly "mapRoles", "mapUsers", "mapAccounts"; a value that is blank, ``, "" or '' is skipped
//   (isSkippable).
// - mapRoles/mapUsers: YAML → JSON → encoding/json into []RoleMapping/[]UserMapping. encoding/json matches
//   field names case-insensitively and ignores unknown fields; a value of the wrong type leaves that field
//   empty and the rest still decodes. Each entry then goes through Validate; invalid entries are dropped,
//   valid ones are served (even with an ARN that can never match), and the errors are only logged.
// - mapAccounts: yaml.v2 into []string.
// - The mapper watches the object (startLoadConfigMap); deleting it empties the mappings.

import { isRecord } from "../util/is-record.ts";
import type { RoleMapping, UserMapping } from "../workload/manifests/spec.ts";
import { isAccountId, isPartition } from "./arn.ts";
import {
  checkAccountEntry,
  checkRoleEntry,
  checkUserEntry,
  duplicateProblems,
  type Indexed,
} from "./entries.ts";
import { type MappingLabels, type MappingRules, typeName } from "./fields.ts";
import { loadYamlList } from "./yaml-list.ts";

export const AWS_AUTH_LABELS: MappingLabels = {
  roles: "aws-auth mapRoles",
  users: "aws-auth mapUsers",
  accounts: "aws-auth mapAccounts",
  reserved: "reserved-username-prefixes",
};

/** One entry as the server holds it, with where it came from and what the charm finds wrong with it. */
export interface AwsAuthEntry<T> {
  readonly index: number;
  readonly value: T;
  /** The charm's checks (the server may still serve the entry). */
  readonly problems: readonly string[];
}

export interface AwsAuthMappings {
  readonly roles: readonly AwsAuthEntry<RoleMapping>[];
  readonly users: readonly AwsAuthEntry<UserMapping>[];
  readonly accounts: readonly AwsAuthEntry<string>[];
  /** What the server drops or cannot read at all (whole keys, or entries failing upstream's Validate). */
  readonly notServed: readonly string[];
}

function isSkippable(value: string): boolean {
  const trimmed = value.trim();
  return trimmed === "" || trimmed === "``" || trimmed === '""' || trimmed === "''";
}

/** encoding/json's field matching: exact name first, else a case-insensitive one (the last such key). */
function field(entry: Record<string, unknown>, name: string): unknown {
  if (name in entry) return entry[name];
  let found: unknown;
  for (const [key, value] of Object.entries(entry))
    if (key.toLowerCase() === name.toLowerCase()) found = value;
  return found;
}

function asString(value: unknown): string {
  return typeof value === "string" ? value : "";
}

function asGroups(value: unknown): string[] {
  return Array.isArray(value) ? value.filter((group): group is string => typeof group === "string") : [];
}

/** The key's list as the server reads it; a key it cannot read serves none of its entries. */
function loadList(key: string, text: string, notServed: string[]): readonly unknown[] {
  if (isSkippable(text)) return [];
  const list = loadYamlList(text, key === "mapAccounts" ? "failsafe" : "core");
  if ("items" in list) return list.items;
  const what =
    "invalidYaml" in list ? `is not valid YAML (${list.invalidYaml})` : `is ${list.notAList}, not a list`;
  notServed.push(`aws-auth ${key}: ${what}; the server serves none of it`);
  return [];
}

/** Upstream's RoleMapping.Validate, as the message it logs, or undefined when the server keeps the entry. */
function upstreamRoleError(role: RoleMapping, ssoPartition: unknown): string | undefined {
  const hasArn = (role.rolearn ?? "") !== "";
  if (!hasArn && role.sso === undefined) return "one of rolearn or SSO must be supplied";
  if (hasArn && role.sso !== undefined) return "only one of rolearn or SSO can be supplied";
  if (role.sso !== undefined) {
    if (!isAccountId(role.sso.accountID))
      return `AccountID '${role.sso.accountID}' is not a valid AWS Account ID`;
    if (!/^[\w+=,.@-]{1,32}$/.test(role.sso.permissionSetName)) {
      return `PermissionSetName '${role.sso.permissionSetName}' is not a valid AWS SSO PermissionSet Name`;
    }
    if (typeof ssoPartition === "string" && ssoPartition !== "" && !isPartition(ssoPartition)) {
      return `partition '${ssoPartition}' is not a valid AWS partition`;
    }
  }
  return undefined;
}

/** Reads aws-auth's data the way the server does, and checks each served entry with the charm's rules. */
export function parseAwsAuth(data: Readonly<Record<string, string>>, rules: MappingRules): AwsAuthMappings {
  const notServed: string[] = [];
  const roles: AwsAuthEntry<RoleMapping>[] = [];
  const users: AwsAuthEntry<UserMapping>[] = [];
  const accounts: AwsAuthEntry<string>[] = [];

  loadList("mapRoles", data["mapRoles"] ?? "", notServed).forEach((entry, index) => {
    const where = `${AWS_AUTH_LABELS.roles}[${index}]`;
    if (!isRecord(entry)) {
      notServed.push(`${where}: is ${typeName(entry)}; the server cannot decode it`);
      return;
    }
    const sso = field(entry, "sso");
    const ssoRecord = isRecord(sso) ? sso : undefined;
    const value: RoleMapping = {
      ...(asString(field(entry, "rolearn")) !== "" && { rolearn: asString(field(entry, "rolearn")) }),
      ...(ssoRecord !== undefined && {
        sso: {
          permissionSetName: asString(field(ssoRecord, "permissionSetName")),
          accountID: asString(field(ssoRecord, "accountID")),
        },
      }),
      username: asString(field(entry, "username")),
      groups: asGroups(field(entry, "groups")),
    };
    const upstream = upstreamRoleError(value, ssoRecord && field(ssoRecord, "partition"));
    if (upstream !== undefined) {
      notServed.push(`${where}: the server drops it (${upstream})`);
      return;
    }
    const problems: string[] = [];
    const canonical: Record<string, unknown> = {
      username: field(entry, "username"),
      groups: field(entry, "groups"),
    };
    if (value.rolearn !== undefined) canonical["rolearn"] = field(entry, "rolearn");
    if (ssoRecord !== undefined) canonical["sso"] = ssoRecord;
    checkRoleEntry(where, canonical, rules, AWS_AUTH_LABELS, problems);
    roles.push({ index, value, problems });
  });

  loadList("mapUsers", data["mapUsers"] ?? "", notServed).forEach((entry, index) => {
    const where = `${AWS_AUTH_LABELS.users}[${index}]`;
    if (!isRecord(entry)) {
      notServed.push(`${where}: is ${typeName(entry)}; the server cannot decode it`);
      return;
    }
    const value: UserMapping = {
      userarn: asString(field(entry, "userarn")),
      username: asString(field(entry, "username")),
      groups: asGroups(field(entry, "groups")),
    };
    if (value.userarn === "") {
      notServed.push(`${where}: the server drops it (value for userarn must be supplied)`);
      return;
    }
    const problems: string[] = [];
    checkUserEntry(
      where,
      {
        userarn: field(entry, "userarn"),
        username: field(entry, "username"),
        groups: field(entry, "groups"),
      },
      rules,
      AWS_AUTH_LABELS,
      problems,
    );
    users.push({ index, value, problems });
  });

  loadList("mapAccounts", data["mapAccounts"] ?? "", notServed).forEach((raw, index) => {
    const where = `${AWS_AUTH_LABELS.accounts}[${index}]`;
    if (typeof raw !== "string") {
      notServed.push(`${where}: is ${typeName(raw)}; the server cannot decode the list`);
      return;
    }
    const problems: string[] = [];
    checkAccountEntry(where, raw, problems);
    accounts.push({ index, value: raw, problems });
  });

  // Duplicates: the charm's rules, reported on the later entry (the server keeps one of them).
  const duplicates = duplicateProblems(
    roles.map(({ index, value }): Indexed<RoleMapping> => ({ index, value })),
    users.map(({ index, value }): Indexed<UserMapping> => ({ index, value })),
    accounts.map(({ index, value }): Indexed<string> => ({ index, value })),
    AWS_AUTH_LABELS,
  );
  const withDuplicates = <T>(list: AwsAuthEntry<T>[], label: string): AwsAuthEntry<T>[] =>
    list.map((entry) => {
      const prefix = `${label}[${entry.index}]`;
      const extra = duplicates.filter(
        (problem) => problem.startsWith(`${prefix}:`) || problem.startsWith(`${prefix}.`),
      );
      return extra.length === 0 ? entry : { ...entry, problems: [...entry.problems, ...extra] };
    });
  return {
    roles: withDuplicates(roles, AWS_AUTH_LABELS.roles),
    users: withDuplicates(users, AWS_AUTH_LABELS.users),
    accounts: withDuplicates(accounts, AWS_AUTH_LABELS.accounts),
    notServed,
  };
}
