// IAM principal ARNs as the authenticator reads them, and what the charm accepts in a mapping.
//
// Upstream facts (kubernetes-sigs/aws-iam-authenticator @ 81b1daba, v0.7.18):
// - pkg/arn/arn.go Canonicalize: aws-sdk-go-v2 arn.Parse (prefix "arn:", six ':'-separated sections, the
//   resource may contain ':'), the partition must be in endpoints.PARTITIONS, then iam role/user/root and
//   sts assumed-role/federated-user are accepted; an assumed-role session becomes arn:P:iam::A:role/<name>
//   WITHOUT the role's path, so a mapping written with a path never matches (upstream issues #98, #153, #268).
// - Canonicalize checks neither the region nor the account, and the file mapper does not check that a
//   mapRoles entry is a role (pkg/mapper/file/mapper.go NewFileMapper): those are the charm's stricter rules,
//   because such entries are accepted upstream but can never match a real STS identity.
// - IAM users keep their path: STS GetCallerIdentity reports arn:P:iam::A:user/<path>/<name> and
//   Canonicalize returns it unchanged.
// IAM name rules (1-64 of letters, digits and +=,.@_-): AWS IAM API reference, CreateRole/CreateUser.
import { PARTITIONS, type Partition } from "../workload/manifests/spec.ts";

export type PrincipalKind = "role" | "user" | "root" | "assumed-role" | "federated-user" | "other";

export interface ParsedArn {
  readonly partition: string;
  readonly service: string;
  readonly region: string;
  readonly account: string;
  readonly resource: string;
  readonly kind: PrincipalKind;
  /** IAM path without the leading and trailing '/' ("" when none); roles and users only. */
  readonly path: string;
  /** Role or user name (last path segment); for assumed-role, the role's name. */
  readonly name: string;
}

const ACCOUNT_ID = /^\d{12}$/;
const IAM_NAME = /^[\w+=,.@-]{1,64}$/;
/** The path IAM gives IAM Identity Center (SSO) permission-set roles. */
export const SSO_ROLE_PATH = "aws-reserved/sso.amazonaws.com";

export function isAccountId(value: string): boolean {
  return ACCOUNT_ID.test(value);
}

export function isPartition(value: string): value is Partition {
  return (PARTITIONS as readonly string[]).includes(value);
}

/** Splits an ARN like aws-sdk-go-v2's arn.Parse; undefined when it is not an ARN at all. */
export function parseArn(text: string): ParsedArn | undefined {
  if (!text.startsWith("arn:")) return undefined;
  const sections = text.split(":");
  if (sections.length < 6) return undefined;
  const [, partition = "", service = "", region = "", account = ""] = sections;
  const resource = sections.slice(5).join(":");
  const parts = resource.split("/");
  const type = parts[0] ?? "";
  let kind: PrincipalKind = "other";
  let path = "";
  let name = "";
  if (service === "iam" && resource === "root") kind = "root";
  else if (service === "iam" && (type === "role" || type === "user") && parts.length >= 2) {
    kind = type;
    path = parts.slice(1, -1).join("/");
    name = parts.at(-1) ?? "";
  } else if (service === "sts" && type === "assumed-role" && parts.length >= 3) {
    kind = "assumed-role";
    name = parts.slice(1, -1).join("/");
  } else if (service === "sts" && type === "federated-user" && parts.length >= 2) {
    kind = "federated-user";
    name = parts.slice(1).join("/");
  }
  return { partition, service, region, account, resource, kind, path, name };
}

export type WantedKind = "role" | "user" | "role-or-user";

function expectedShape(partition: Partition, wanted: WantedKind): string {
  const base = `arn:${partition}:iam::<12-digit account>`;
  if (wanted === "role") return `${base}:role/<name>`;
  if (wanted === "user") return `${base}:user/<name>`;
  return `${base}:role/<name> or ${base}:user/<name>`;
}

const KIND_NAMES: Readonly<Record<PrincipalKind, string>> = {
  role: "an IAM role ARN",
  user: "an IAM user ARN",
  root: "an account root ARN",
  "assumed-role": "an STS assumed-role session ARN",
  "federated-user": "an STS federated-user ARN",
  other: "not an IAM principal ARN",
};

/**
 * What is wrong with `value` as the ARN of a mapped principal, as "<quoted value> <problem>; expected <shape>",
 * or undefined when it is fine. `elsewhere` names the option or field where the other kind belongs.
 */
export function arnProblem(
  value: string,
  partition: Partition,
  wanted: WantedKind,
  elsewhere: { readonly roles: string; readonly users: string; readonly accounts: string },
): string | undefined {
  const quoted = JSON.stringify(value);
  const shape = expectedShape(partition, wanted);
  const arn = parseArn(value);
  if (arn === undefined) return `${quoted} is not an ARN; expected ${shape}`;
  if (!isPartition(arn.partition)) {
    return `${quoted} has unknown partition ${JSON.stringify(arn.partition)}; expected ${shape}`;
  }
  if (arn.partition !== partition) {
    return `${quoted} is in partition "${arn.partition}" but partition is "${partition}"; expected ${shape} (or partition=${arn.partition} if the cluster's accounts live there)`;
  }
  const wants = (kind: PrincipalKind): boolean =>
    wanted === "role-or-user" ? kind === "role" || kind === "user" : kind === wanted;
  if (!wants(arn.kind)) {
    const what = KIND_NAMES[arn.kind];
    if (arn.kind === "assumed-role" && isAccountId(arn.account)) {
      const roleArn = `arn:${partition}:iam::${arn.account}:role/${arn.name}`;
      const where = wanted === "user" ? ` under ${elsewhere.roles}` : "";
      return `${quoted} is ${what}; expected the role's own ARN ${roleArn}${where}`;
    }
    if (arn.kind === "root") {
      return `${quoted} is ${what}; expected ${shape} (${elsewhere.accounts} admits every principal of an account)`;
    }
    if (arn.kind === "role")
      return `${quoted} is ${what}; expected ${shape} (map roles under ${elsewhere.roles})`;
    if (arn.kind === "user")
      return `${quoted} is ${what}; expected ${shape} (map users under ${elsewhere.users})`;
    return `${quoted} is ${what}; expected ${shape}`;
  }
  if (arn.region !== "")
    return `${quoted} has region "${arn.region}" but IAM ARNs have none; expected ${shape}`;
  if (!isAccountId(arn.account)) {
    return `${quoted} has account ${JSON.stringify(arn.account)}, not 12 digits; expected ${shape}`;
  }
  if (!IAM_NAME.test(arn.name)) {
    return `${quoted} has ${arn.kind} name ${JSON.stringify(arn.name)}; expected ${shape} with a name of 1-64 letters, digits and +=,.@_-`;
  }
  if (arn.kind === "role" && arn.path !== "") {
    const pathless = `arn:${partition}:iam::${arn.account}:role/${arn.name}`;
    if (arn.path === SSO_ROLE_PATH) {
      const sso = /^AWSReservedSSO_([\w+=,.@-]{1,32})_[0-9a-f]+$/.exec(arn.name);
      const matcher =
        sso && partition === "aws" && wanted === "role"
          ? `, or match every role of the permission set with sso: {permissionSetName: ${sso[1]}, accountID: "${arn.account}"}`
          : "";
      return `${quoted} is an IAM Identity Center (SSO) role with path "/${arn.path}/", which STS leaves out, so it never matches; expected ${pathless}${matcher}`;
    }
    return `${quoted} has path "/${arn.path}/", which STS leaves out of assumed roles, so it never matches; expected ${pathless}`;
  }
  return undefined;
}

/** The key upstream compares ARNs by: canonical ARNs are matched case-insensitively (strings.EqualFold). */
export function arnKey(arn: string): string {
  return arn.toLowerCase();
}
