// One field of a mapping entry (username, groups, an account ID), checked the same way wherever entries come
// from: the charm's options, aws-auth, the mapping actions. src/mappings/entries.ts checks whole entries.
import type { Partition } from "../workload/manifests/spec.ts";
import { isAccountId } from "./arn.ts";
import { reservedPrefixOf, templateProblem } from "./templates.ts";

/** How the three lists are called where the entries come from (charm options, or aws-auth data keys). */
export interface MappingLabels {
  readonly roles: string;
  readonly users: string;
  readonly accounts: string;
  /** Names the option that reserves prefixes, for messages. */
  readonly reserved: string;
}

export const CONFIG_LABELS: MappingLabels = {
  roles: "map-roles",
  users: "map-users",
  accounts: "map-accounts",
  reserved: "reserved-username-prefixes",
};

export interface MappingRules {
  readonly partition: Partition;
  readonly reservedPrefixes: readonly string[];
}

export function typeName(value: unknown): string {
  if (value === null || value === undefined) return "empty";
  if (Array.isArray(value)) return "a list";
  if (typeof value === "object") return "a mapping";
  if (typeof value === "string") return "a string";
  if (typeof value === "number") return "a number";
  if (typeof value === "boolean") return "a boolean";
  return `a ${typeof value}`;
}

export function unknownFields(
  where: string,
  entry: Record<string, unknown>,
  allowed: readonly string[],
  problems: string[],
): void {
  for (const key of Object.keys(entry)) {
    if (allowed.includes(key)) continue;
    if (key === "userid") {
      problems.push(
        `${where}.userid: is only read by the DynamicFile backend, which this charm does not run; expected it left out`,
      );
      continue;
    }
    const sameLetters = allowed.find((name) => name.toLowerCase() === key.toLowerCase());
    problems.push(
      sameLetters
        ? `${where}.${key}: is not a field; expected ${sameLetters} (spelt exactly so)`
        : `${where}.${key}: is not a field; expected only ${allowed.join(", ")}`,
    );
  }
}

/** A 12-digit account ID from YAML: strings as written; numbers only when their digits survived parsing. */
export function accountIdProblem(value: unknown): string | undefined {
  if (typeof value === "string") {
    return isAccountId(value)
      ? undefined
      : `${JSON.stringify(value)} is not 12 digits; expected a 12-digit account ID such as "111122223333"`;
  }
  if (typeof value === "number") {
    return isAccountId(String(value))
      ? undefined
      : `${value} is a number that is not 12 digits; expected a quoted 12-digit account ID (YAML drops leading zeros from unquoted numbers)`;
  }
  return `is ${typeName(value)}; expected a 12-digit account ID such as "111122223333"`;
}

/** "where.field", or just "field" when the problem is about an action's own parameter. */
export function fieldPath(where: string, field: string): string {
  return where === "" ? field : `${where}.${field}`;
}

export function checkUsername(
  where: string,
  value: unknown,
  forUser: boolean,
  rules: MappingRules,
  labels: MappingLabels,
  problems: string[],
): string | undefined {
  const example = forUser ? "alice" : "admin:{{SessionName}}";
  if (typeof value !== "string" || value === "") {
    const what = value === undefined ? "is missing" : value === "" ? "is empty" : `is ${typeName(value)}`;
    problems.push(
      `${fieldPath(where, "username")}: ${what}; expected a Kubernetes username such as ${example}`,
    );
    return undefined;
  }
  if (value.trim() !== value) {
    problems.push(
      `${fieldPath(where, "username")}: ${JSON.stringify(value)} has leading or trailing spaces; expected ${JSON.stringify(value.trim())}`,
    );
    return undefined;
  }
  const template = templateProblem(value, forUser);
  if (template !== undefined) {
    problems.push(`${fieldPath(where, "username")}: ${template}`);
    return undefined;
  }
  const reserved = reservedPrefixOf(value, rules.reservedPrefixes);
  if (reserved !== undefined) {
    problems.push(
      `${fieldPath(where, "username")}: ${JSON.stringify(value)} starts with ${JSON.stringify(reserved)}, which ${labels.reserved} reserves; expected a username without that prefix`,
    );
    return undefined;
  }
  return value;
}

export function checkGroups(
  where: string,
  value: unknown,
  forUser: boolean,
  problems: string[],
): string[] | undefined {
  if (value === undefined || value === null) return [];
  if (!Array.isArray(value)) {
    problems.push(
      `${fieldPath(where, "groups")}: is ${typeName(value)}; expected a list such as [system:masters]`,
    );
    return undefined;
  }
  const groups: string[] = [];
  let ok = true;
  value.forEach((group: unknown, i) => {
    const at = `${fieldPath(where, "groups")}[${i}]`;
    if (typeof group !== "string" || group.trim() === "") {
      problems.push(
        `${at}: is ${group === "" ? "empty" : typeName(group)}; expected a group name such as system:masters`,
      );
      ok = false;
      return;
    }
    const template = templateProblem(group, forUser);
    if (template !== undefined) {
      problems.push(`${at}: ${template}`);
      ok = false;
      return;
    }
    groups.push(group);
  });
  return ok ? groups : undefined;
}
