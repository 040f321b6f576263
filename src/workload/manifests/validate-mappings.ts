// Checks MountedFile mappings the way the server will: a bad entry there makes the server exit at start-up
// (upstream pkg/mapper/file/mapper.go), so the charm must refuse it first and say how to fix it.
import type { MountedFileMappings, Partition, RoleMapping, UserMapping } from "./spec.ts";

const ACCOUNT_ID = /^\d{12}$/;
const ROLE_ARN = /^arn:([a-z0-9-]+):iam::(\d{12}):role\/(.+)$/;
const USER_ARN = /^arn:([a-z0-9-]+):iam::(\d{12}):user\/.+$/;
const PERMISSION_SET = /^[\w+=,.@-]{1,32}$/;

function checkGroups(where: string, groups: readonly string[] | undefined, problems: string[]): void {
  for (const group of groups ?? []) {
    if (typeof group !== "string" || group.trim() === "")
      problems.push(`${where}: groups must be non-empty strings`);
  }
}

function checkRole(where: string, role: RoleMapping, partition: Partition, problems: string[]): void {
  if ((role.rolearn === undefined) === (role.sso === undefined)) {
    problems.push(`${where}: set exactly one of "rolearn" or "sso"`);
  }
  if (role.rolearn !== undefined) {
    const match = ROLE_ARN.exec(role.rolearn);
    if (!match) {
      problems.push(
        `${where}: rolearn "${role.rolearn}" is not an IAM role ARN (arn:<partition>:iam::<account>:role/<name>)`,
      );
    } else if (match[1] !== partition) {
      problems.push(
        `${where}: rolearn "${role.rolearn}" is in partition "${match[1]}" but the server runs in "${partition}"`,
      );
    } else if (match[3]?.includes("/")) {
      // STS reports assumed roles without their path, so a mapping with a path can never match.
      const name = match[3].split("/").at(-1);
      problems.push(
        `${where}: rolearn "${role.rolearn}" has a path; write it as arn:${partition}:iam::${match[2]}:role/${name}`,
      );
    }
  }
  if (role.sso !== undefined) {
    if (partition !== "aws") {
      problems.push(
        `${where}: sso matching only works in partition "aws"; map the role ARN without its path instead`,
      );
    }
    if (!ACCOUNT_ID.test(role.sso.accountID)) problems.push(`${where}: sso.accountID must be 12 digits`);
    if (!PERMISSION_SET.test(role.sso.permissionSetName)) {
      problems.push(`${where}: sso.permissionSetName must be 1-32 of letters, digits and +=,.@_-`);
    }
  }
  if (typeof role.username !== "string" || role.username.trim() === "") {
    problems.push(`${where}: username is required`);
  }
  checkGroups(where, role.groups, problems);
}

function checkUser(where: string, user: UserMapping, partition: Partition, problems: string[]): void {
  const match = USER_ARN.exec(user.userarn ?? "");
  if (!match) {
    problems.push(
      `${where}: userarn "${user.userarn}" is not an IAM user ARN (arn:<partition>:iam::<account>:user/<name>)`,
    );
  } else if (match[1] !== partition) {
    problems.push(
      `${where}: userarn "${user.userarn}" is in partition "${match[1]}" but the server runs in "${partition}"`,
    );
  }
  if (typeof user.username !== "string" || user.username.trim() === "") {
    problems.push(`${where}: username is required`);
  }
  checkGroups(where, user.groups, problems);
}

/** Problems with the MountedFile mappings, each naming the entry (e.g. "mapRoles[2]"). */
export function mappingProblems(mappings: MountedFileMappings, partition: Partition): string[] {
  const problems: string[] = [];
  (mappings.mapRoles ?? []).forEach((role, i) => {
    checkRole(`mapRoles[${i}]`, role, partition, problems);
  });
  (mappings.mapUsers ?? []).forEach((user, i) => {
    checkUser(`mapUsers[${i}]`, user, partition, problems);
  });
  (mappings.mapAccounts ?? []).forEach((account, i) => {
    if (typeof account !== "string" || !ACCOUNT_ID.test(account)) {
      problems.push(`mapAccounts[${i}]: "${account}" must be a 12-digit account ID written as a string`);
    }
  });
  return problems;
}

/** Whether any role mapping needs the server's SSORoleMatch feature gate. */
export function usesSsoMatching(mappings: MountedFileMappings): boolean {
  return (mappings.mapRoles ?? []).some((role) => role.sso !== undefined);
}
