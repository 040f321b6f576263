// Checks MountedFile mappings the way the server will: a bad entry there makes the server exit at start-up
// (upstream pkg/mapper/file/mapper.go), so the charm must refuse it first and say how to fix it.
// The rules live with the mappings feature (src/mappings/entries.ts); this names entries as the spec does.
import {
  checkAccountEntry,
  checkRoleEntry,
  checkUserEntry,
  duplicateProblems,
  type Indexed,
} from "../../mappings/entries.ts";
import type { MappingLabels } from "../../mappings/fields.ts";
import type { MountedFileMappings, Partition, RoleMapping, UserMapping } from "./spec.ts";

const SPEC_LABELS: MappingLabels = {
  roles: "mapRoles",
  users: "mapUsers",
  accounts: "mapAccounts",
  reserved: "reservedUsernamePrefixes",
};

/** userid is only read by DynamicFile; the MountedFile server ignores it, so the spec may carry it. */
function withoutUserId<T extends { userid?: string }>(entry: T): Omit<T, "userid"> {
  const { userid: _ignored, ...rest } = entry;
  return rest;
}

/** Problems with the MountedFile mappings, each naming the entry and field (e.g. "mapRoles[2].rolearn"). */
export function mappingProblems(
  mappings: MountedFileMappings,
  partition: Partition,
  reservedPrefixes: readonly string[] = [],
): string[] {
  const problems: string[] = [];
  const rules = { partition, reservedPrefixes };
  const roles: Indexed<RoleMapping>[] = [];
  const users: Indexed<UserMapping>[] = [];
  const accounts: Indexed<string>[] = [];
  (mappings.mapRoles ?? []).forEach((role, index) => {
    const value = checkRoleEntry(`mapRoles[${index}]`, withoutUserId(role), rules, SPEC_LABELS, problems);
    if (value !== undefined) roles.push({ index, value });
  });
  (mappings.mapUsers ?? []).forEach((user, index) => {
    const value = checkUserEntry(`mapUsers[${index}]`, withoutUserId(user), rules, SPEC_LABELS, problems);
    if (value !== undefined) users.push({ index, value });
  });
  (mappings.mapAccounts ?? []).forEach((account, index) => {
    const value = checkAccountEntry(`mapAccounts[${index}]`, account, problems);
    if (value !== undefined) accounts.push({ index, value });
  });
  return [...problems, ...duplicateProblems(roles, users, accounts, SPEC_LABELS)];
}

/** Whether any role mapping needs the server's SSORoleMatch feature gate. */
export function usesSsoMatching(mappings: MountedFileMappings): boolean {
  return (mappings.mapRoles ?? []).some((role) => role.sso !== undefined);
}
