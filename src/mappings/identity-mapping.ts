// IAMIdentityMapping objects for the add-mapping and remove-mapping actions: named from the ARN, marked as
// the charm's, and never overwritten or deleted when someone else made them, unless the operator says so.
//
// Upstream (kubernetes-sigs/aws-iam-authenticator @ 81b1daba):
// - pkg/mapper/crd/apis/iamauthenticator/v1alpha1/types.go: cluster-scoped, spec {arn, username, groups}.
// - pkg/mapper/crd/controller/controller.go syncHandler writes status.canonicalARN =
//   Canonicalize(lower-cased spec.arn); pkg/mapper/crd/mapper.go Map looks objects up by that index, so
//   two objects for one ARN (in any case) both match and whichever the index returns first answers.
// - The CRD backend has no mapAccounts (IsAccountAllowed is always false) and no sso matcher.

import { nodeCrypto } from "../util/lazy-module.ts";
import { CRD_GROUP } from "../workload/manifests/crd.ts";
import {
  APP_NAME_LABEL_VALUE,
  LABEL_MANAGED_BY,
  LABEL_NAME,
  MANAGED_BY,
} from "../workload/manifests/labels.ts";
import type { Partition } from "../workload/manifests/spec.ts";
import { arnKey, arnProblem, isAccountId, parseArn } from "./arn.ts";
import { checkGroups, checkUsername, type MappingLabels } from "./fields.ts";

export const IAM_IDENTITY_MAPPING_API_VERSION = `${CRD_GROUP}/v1alpha1`;
/** Which Juju application created the object; the charm changes or deletes only its own without force. */
export const CREATED_BY_ANNOTATION = "aws-iam.charms.juju.is/created-by";

export interface IamIdentityMapping {
  readonly apiVersion?: string;
  readonly kind?: string;
  readonly metadata: {
    readonly name: string;
    readonly labels?: Readonly<Record<string, string>>;
    readonly annotations?: Readonly<Record<string, string>>;
    readonly resourceVersion?: string;
  };
  readonly spec: { readonly arn: string; readonly username: string; readonly groups?: readonly string[] };
  readonly status?: { readonly canonicalARN?: string; readonly userID?: string };
}

const ACTION_LABELS: MappingLabels = {
  roles: "arn (a role)",
  users: "arn (a user)",
  accounts: "map-accounts",
  reserved: "reserved-username-prefixes",
};
const MAX_NAME = 63;
const HASH_LENGTH = 8;

/**
 * The object's name: "<role|user>-<account>-<name as a DNS label>-<8 hex of sha256(lower-cased ARN)>", at
 * most 63 characters. Readable in `kubectl get`, the same for an ARN in any case (as upstream matches it),
 * and distinct for names that slug alike (Admin_1 and admin-1).
 */
export function identityMappingName(arn: string): string {
  const parsed = parseArn(arn);
  const hash = nodeCrypto().createHash("sha256").update(arnKey(arn)).digest("hex").slice(0, HASH_LENGTH);
  const kind = parsed?.kind === "role" || parsed?.kind === "user" ? parsed.kind : "principal";
  const account = parsed !== undefined && isAccountId(parsed.account) ? `${parsed.account}-` : "";
  const prefix = `${kind}-${account}`;
  const room = MAX_NAME - prefix.length - 1 - HASH_LENGTH;
  const slug = (parsed?.name ?? "")
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, "-")
    .slice(0, room)
    .replace(/^-+|-+$/g, "");
  return slug === "" ? `${prefix}${hash}` : `${prefix}${slug}-${hash}`;
}

export function buildIdentityMapping(
  appName: string,
  mapping: { arn: string; username: string; groups: readonly string[] },
): IamIdentityMapping {
  return {
    apiVersion: IAM_IDENTITY_MAPPING_API_VERSION,
    kind: "IAMIdentityMapping",
    metadata: {
      name: identityMappingName(mapping.arn),
      labels: { [LABEL_NAME]: APP_NAME_LABEL_VALUE, [LABEL_MANAGED_BY]: MANAGED_BY },
      annotations: { [CREATED_BY_ANNOTATION]: appName },
    },
    spec: { arn: mapping.arn, username: mapping.username, groups: [...mapping.groups] },
  };
}

function createdBy(object: IamIdentityMapping): string | undefined {
  return object.metadata.annotations?.[CREATED_BY_ANNOTATION];
}

function describeOwner(object: IamIdentityMapping): string {
  const owner = createdBy(object);
  return owner === undefined ? "not created by the charm" : `created by ${owner}`;
}

/** Objects whose spec.arn is the same ARN as upstream compares them (case-insensitively). */
export function mappingsForArn(objects: readonly IamIdentityMapping[], arn: string): IamIdentityMapping[] {
  const key = arnKey(arn);
  return objects.filter((object) => arnKey(object.spec.arn ?? "") === key);
}

/** "a, b ,c" → ["a", "b", "c"]: the action's groups parameter. */
export function parseGroupsParam(text: string | undefined): string[] {
  return (text ?? "")
    .split(",")
    .map((group) => group.trim())
    .filter((group) => group !== "");
}

export interface AddMappingInput {
  readonly appName: string;
  readonly partition: Partition;
  readonly reservedPrefixes: readonly string[];
  readonly arn: unknown;
  readonly username: unknown;
  readonly groups: readonly string[];
  readonly force: boolean;
  /** Every IAMIdentityMapping in the cluster (the CRD is cluster-scoped and shared). */
  readonly existing: readonly IamIdentityMapping[];
}

export type AddMappingPlan =
  | { readonly kind: "fail"; readonly message: string }
  | { readonly kind: "unchanged"; readonly name: string }
  | { readonly kind: "apply"; readonly object: IamIdentityMapping; readonly takesOver: boolean };

/** What add-mapping does: validate as config entries are, then create, update, leave alone or refuse. */
export function planAddMapping(input: AddMappingInput): AddMappingPlan {
  const problems: string[] = [];
  const rules = { partition: input.partition, reservedPrefixes: input.reservedPrefixes };
  const arn = input.arn;
  if (typeof arn !== "string" || arn === "") {
    problems.push(
      `arn: is missing; expected arn:${input.partition}:iam::<12-digit account>:role/<name> or :user/<name>`,
    );
  } else {
    const problem = arnProblem(arn, input.partition, "role-or-user", ACTION_LABELS);
    if (problem !== undefined) problems.push(`arn: ${problem}`);
  }
  const forUser = typeof arn === "string" && parseArn(arn)?.kind === "user";
  const username = checkUsername("", input.username, forUser, rules, ACTION_LABELS, problems);
  const groups = checkGroups("", [...input.groups], forUser, problems);
  if (problems.length > 0 || username === undefined || groups === undefined) {
    return { kind: "fail", message: problems.join("; ") };
  }
  const desired = buildIdentityMapping(input.appName, { arn: arn as string, username, groups });
  const name = desired.metadata.name;
  const others = mappingsForArn(input.existing, arn as string).filter(
    (object) => object.metadata.name !== name,
  );
  if (others.length > 0) {
    const list = others.map(
      (object) => `IAMIdentityMapping/${object.metadata.name} (${describeOwner(object)})`,
    );
    return {
      kind: "fail",
      message: `${list.join(", ")} already map${others.length === 1 ? "s" : ""} ${arn} (ARNs match case-insensitively) and the server would answer with either; expected remove-mapping arn=${arn} (force=true for objects the charm did not create) first`,
    };
  }
  const current = input.existing.find((object) => object.metadata.name === name);
  if (current === undefined) return { kind: "apply", object: desired, takesOver: false };
  const owned = createdBy(current) === input.appName;
  if (!owned && !input.force) {
    return {
      kind: "fail",
      message: `IAMIdentityMapping/${name} exists and was ${describeOwner(current)}, not by ${input.appName}; expected force=true to take it over`,
    };
  }
  const same =
    owned &&
    current.spec.arn === desired.spec.arn &&
    current.spec.username === desired.spec.username &&
    JSON.stringify(current.spec.groups ?? []) === JSON.stringify(desired.spec.groups);
  if (same) return { kind: "unchanged", name };
  return { kind: "apply", object: desired, takesOver: !owned };
}

export interface RemoveMappingInput {
  readonly appName: string;
  readonly arn: unknown;
  readonly force: boolean;
  readonly existing: readonly IamIdentityMapping[];
}

export type RemoveMappingPlan =
  | { readonly kind: "fail"; readonly message: string }
  | { readonly kind: "delete"; readonly names: readonly string[] };

/** What remove-mapping deletes: every object mapping the ARN, refusing others' objects without force. */
export function planRemoveMapping(input: RemoveMappingInput): RemoveMappingPlan {
  const arn = input.arn;
  if (typeof arn !== "string" || parseArn(arn) === undefined) {
    return {
      kind: "fail",
      message: `arn: ${JSON.stringify(arn ?? "")} is not an ARN; expected the ARN a mapping maps`,
    };
  }
  const matching = mappingsForArn(input.existing, arn);
  if (matching.length === 0) return { kind: "fail", message: `no IAMIdentityMapping maps ${arn}` };
  const foreign = matching.filter((object) => createdBy(object) !== input.appName);
  if (foreign.length > 0 && !input.force) {
    const list = foreign.map(
      (object) => `IAMIdentityMapping/${object.metadata.name} (${describeOwner(object)})`,
    );
    return {
      kind: "fail",
      message: `${list.join(", ")} map${foreign.length === 1 ? "s" : ""} ${arn} but ${input.appName} did not create ${foreign.length === 1 ? "it" : "them"}; expected force=true to delete ${foreign.length === 1 ? "it" : "them"} anyway`,
    };
  }
  return { kind: "delete", names: matching.map((object) => object.metadata.name).sort() };
}
