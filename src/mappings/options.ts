// The mapping options of the charm (map-roles, map-users, map-accounts, reserved-username-prefixes), parsed
// from their YAML text to the typed mappings the server config is rendered from, or every problem, exactly.
import type {
  BackendMode,
  MountedFileMappings,
  Partition,
  RoleMapping,
  UserMapping,
} from "../workload/manifests/spec.ts";
import {
  checkAccountEntry,
  checkRoleEntry,
  checkUserEntry,
  duplicateProblems,
  type Indexed,
} from "./entries.ts";
import { CONFIG_LABELS, type MappingRules } from "./fields.ts";
import { loadYamlList } from "./yaml-list.ts";

export type ConfigMappings = Required<MountedFileMappings>;

/** What the mapping options configure, as the reconcile hands it to the server config. */
export interface MappingSettings {
  readonly partition: Partition;
  readonly reservedUsernamePrefixes: readonly string[];
  readonly mappings: ConfigMappings;
}

export const EMPTY_MAPPINGS: ConfigMappings = { mapRoles: [], mapUsers: [], mapAccounts: [] };

export type MappingOptionsResult =
  | { readonly ok: true; readonly mappings: ConfigMappings }
  | { readonly ok: false; readonly problems: readonly string[] };

const EXPECTED_LIST: Readonly<Record<string, string>> = {
  "map-roles": "a YAML list of {rolearn, username, groups} mappings",
  "map-users": "a YAML list of {userarn, username, groups} mappings",
  "map-accounts": "a YAML list of 12-digit account IDs",
};

/** The option's YAML as a list, or undefined with the problem recorded (map-accounts keeps every ID as text). */
function loadList(option: string, text: string, problems: string[]): readonly unknown[] | undefined {
  const list = loadYamlList(text, option === "map-accounts" ? "failsafe" : "core");
  if ("items" in list) return list.items;
  const what = "invalidYaml" in list ? `is not valid YAML (${list.invalidYaml})` : `is ${list.notAList}`;
  problems.push(`${option}: ${what}; expected ${EXPECTED_LIST[option]}`);
  return undefined;
}

export interface MappingOptionsInput {
  readonly mapRoles: string;
  readonly mapUsers: string;
  readonly mapAccounts: string;
  readonly backendModes: readonly BackendMode[];
}

/** Every problem with the three mapping options, or the typed mappings; nothing partial. */
export function parseMappingOptions(input: MappingOptionsInput, rules: MappingRules): MappingOptionsResult {
  const problems: string[] = [];
  const labels = CONFIG_LABELS;
  const roles: Indexed<RoleMapping>[] = [];
  const users: Indexed<UserMapping>[] = [];
  const accounts: Indexed<string>[] = [];
  const rawRoles = loadList("map-roles", input.mapRoles, problems) ?? [];
  const rawUsers = loadList("map-users", input.mapUsers, problems) ?? [];
  const rawAccounts = loadList("map-accounts", input.mapAccounts, problems) ?? [];
  rawRoles.forEach((raw, index) => {
    const value = checkRoleEntry(`map-roles[${index}]`, raw, rules, labels, problems);
    if (value !== undefined) roles.push({ index, value });
  });
  rawUsers.forEach((raw, index) => {
    const value = checkUserEntry(`map-users[${index}]`, raw, rules, labels, problems);
    if (value !== undefined) users.push({ index, value });
  });
  rawAccounts.forEach((raw, index) => {
    const value = checkAccountEntry(`map-accounts[${index}]`, raw, problems);
    if (value !== undefined) accounts.push({ index, value });
  });
  problems.push(...duplicateProblems(roles, users, accounts, labels));

  const set = [
    ["map-roles", input.mapRoles],
    ["map-users", input.mapUsers],
    ["map-accounts", input.mapAccounts],
  ].filter(([, text]) => (text ?? "").trim() !== "" && !/^\[\s*\]$/.test((text ?? "").trim()));
  if (set.length > 0 && !input.backendModes.includes("MountedFile")) {
    problems.push(
      `${set.map(([option]) => option).join(", ")}: only the MountedFile backend serves them, and backend-mode is "${input.backendModes.join(",")}"; expected MountedFile in backend-mode (for example "${[...input.backendModes, "MountedFile"].join(",")}") or the option${set.length > 1 ? "s" : ""} left empty`,
    );
  }
  if (problems.length > 0) return { ok: false, problems };
  return {
    ok: true,
    mappings: {
      mapRoles: roles.map((role) => role.value),
      mapUsers: users.map((user) => user.value),
      mapAccounts: accounts.map((account) => account.value),
    },
  };
}

/** reserved-username-prefixes: comma-separated, spaces around commas ignored; "" reserves nothing (upstream's default). */
export function parseReservedPrefixes(text: string): string[] {
  return text
    .split(",")
    .map((prefix) => prefix.trim())
    .filter((prefix) => prefix !== "");
}

/** At most `max` problems, then how many more, so a blocked status stays readable with 10,000 bad entries. */
export function summariseProblems(problems: readonly string[], max = 5): string[] {
  if (problems.length <= max) return [...problems];
  return [
    ...problems.slice(0, max),
    `and ${problems.length - max} more (run the list-mappings action for all)`,
  ];
}
