// list-mappings: every mapping the configured backends serve, in backend order, marking which one answers
// for each ARN, the way the server decides.
//
// Upstream (kubernetes-sigs/aws-iam-authenticator @ 81b1daba, pkg/server/server.go doMapping): for each backend
// in backend-mode order, Map(identity); a hit wins. On a miss the SAME backend's IsAccountAllowed(account) is
// asked before the next backend: an allowed account answers with the canonical ARN as username and no groups.
// So an account listed by an earlier backend shadows explicit mappings of that account in later backends.
// CRD never allows accounts (pkg/mapper/crd/mapper.go IsAccountAllowed); the CRD backend finds objects by
// status.canonicalARN, which its controller writes (pkg/mapper/crd/controller/controller.go syncHandler).
import { jsYaml } from "../util/lazy-module.ts";
import type { BackendMode, RoleMapping, UserMapping } from "../workload/manifests/spec.ts";
import { arnKey, arnProblem, parseArn } from "./arn.ts";
import type { AwsAuthMappings } from "./aws-auth.ts";
import {
  CONFIG_LABELS,
  checkGroups,
  checkUsername,
  type MappingLabels,
  type MappingRules,
} from "./fields.ts";
import type { IamIdentityMapping } from "./identity-mapping.ts";
import type { ConfigMappings } from "./options.ts";

export type ListedKind = "role" | "user" | "sso" | "account";

export interface ListedMapping {
  readonly backend: BackendMode;
  /** Where the entry lives: "IAMIdentityMapping/<name>", "aws-auth mapRoles[2]", "map-roles[0]". */
  readonly source: string;
  readonly kind: ListedKind;
  /** The ARN, the account ID, or "AWSReservedSSO_<set>_* in <account>". */
  readonly principal: string;
  readonly username?: string;
  readonly groups?: readonly string[];
  /** True when this entry answers for its principal; false when another entry does (see `answeredBy`). */
  readonly wins: boolean;
  readonly answeredBy?: string;
  readonly problems?: readonly string[];
}

export interface ListInput {
  readonly backendModes: readonly BackendMode[];
  /** Every IAMIdentityMapping, when CRD is a backend. */
  readonly crd?: readonly IamIdentityMapping[];
  /** aws-auth as the server reads it, when EKSConfigMap is a backend (undefined: no such ConfigMap). */
  readonly awsAuth?: AwsAuthMappings;
  /** The charm's own options, served when MountedFile is a backend. */
  readonly config: ConfigMappings;
  readonly rules: MappingRules;
}

interface Candidate {
  readonly entry: Omit<ListedMapping, "wins" | "answeredBy">;
  /** Lower-cased canonical ARN, sso key, or account ID. */
  readonly key: string;
  readonly account: string;
}

/** A problem with an IAMIdentityMapping points to the charm's options for what fits better elsewhere. */
const CRD_LABELS: MappingLabels = CONFIG_LABELS;

function roleCandidate(
  backend: BackendMode,
  source: string,
  role: RoleMapping,
  problems: readonly string[],
): Candidate {
  const common = {
    backend,
    source,
    username: role.username,
    groups: role.groups ?? [],
    ...(problems.length > 0 && { problems }),
  };
  if (role.sso !== undefined) {
    return {
      entry: {
        ...common,
        kind: "sso",
        principal: `AWSReservedSSO_${role.sso.permissionSetName}_* in ${role.sso.accountID}`,
      },
      key: `sso:${role.sso.accountID}:${role.sso.permissionSetName.toLowerCase()}`,
      account: role.sso.accountID,
    };
  }
  const arn = role.rolearn ?? "";
  return {
    entry: { ...common, kind: "role", principal: arn },
    key: arnKey(arn),
    account: parseArn(arn)?.account ?? "",
  };
}

function userCandidate(
  backend: BackendMode,
  source: string,
  user: UserMapping,
  problems: readonly string[],
): Candidate {
  return {
    entry: {
      backend,
      source,
      kind: "user",
      principal: user.userarn,
      username: user.username,
      groups: user.groups ?? [],
      ...(problems.length > 0 && { problems }),
    },
    key: arnKey(user.userarn),
    account: parseArn(user.userarn)?.account ?? "",
  };
}

function accountCandidate(
  backend: BackendMode,
  source: string,
  account: string,
  problems: readonly string[],
): Candidate {
  return {
    entry: { backend, source, kind: "account", principal: account, ...(problems.length > 0 && { problems }) },
    key: account,
    account,
  };
}

/** The CRD's objects as the server indexes them; objects its controller has not indexed yet are noted. */
function crdCandidates(objects: readonly IamIdentityMapping[], rules: MappingRules): Candidate[] {
  return [...objects]
    .sort((a, b) => a.metadata.name.localeCompare(b.metadata.name))
    .map((object) => {
      const problems: string[] = [];
      const arn = object.spec.arn ?? "";
      const kind = parseArn(arn)?.kind;
      const problem = arnProblem(arn, rules.partition, "role-or-user", CRD_LABELS);
      if (problem !== undefined) problems.push(`spec.arn: ${problem}`);
      checkUsername("spec", object.spec.username, kind === "user", rules, CRD_LABELS, problems);
      checkGroups("spec", object.spec.groups, kind === "user", problems);
      if (!object.status?.canonicalARN) {
        problems.push(
          "status.canonicalARN: is empty, so the server cannot find it yet (its controller writes it)",
        );
      }
      const source = `IAMIdentityMapping/${object.metadata.name}`;
      const key = object.status?.canonicalARN
        ? object.status.canonicalARN.toLowerCase()
        : `unindexed:${source}`;
      return {
        entry: {
          backend: "CRD" as const,
          source,
          kind: kind === "user" ? ("user" as const) : ("role" as const),
          principal: arn,
          username: object.spec.username,
          groups: object.spec.groups ?? [],
          ...(problems.length > 0 && { problems }),
        },
        key,
        account: parseArn(arn)?.account ?? "",
      };
    });
}

/** Every mapping of every configured backend, in backend order, each marked with whether it answers. */
export function listMappings(input: ListInput): ListedMapping[] {
  const listed: ListedMapping[] = [];
  const answered = new Map<string, string>();
  const accountsAllowed = new Map<string, string>();
  for (const backend of input.backendModes) {
    let explicit: Candidate[] = [];
    let accounts: Candidate[] = [];
    // Within a backend, later duplicates replace earlier ones (upstream keeps a map keyed by lower-cased
    // ARN); the CRD index instead returns every object for an ARN and the server takes whichever comes first.
    let lastWins = true;
    if (backend === "CRD") {
      explicit = crdCandidates(input.crd ?? [], input.rules);
      lastWins = false;
    } else if (backend === "EKSConfigMap" && input.awsAuth !== undefined) {
      explicit = [
        ...input.awsAuth.roles.map((r) =>
          roleCandidate(backend, `aws-auth mapRoles[${r.index}]`, r.value, r.problems),
        ),
        ...input.awsAuth.users.map((u) =>
          userCandidate(backend, `aws-auth mapUsers[${u.index}]`, u.value, u.problems),
        ),
      ];
      accounts = input.awsAuth.accounts.map((a) =>
        accountCandidate(backend, `aws-auth mapAccounts[${a.index}]`, a.value, a.problems),
      );
    } else if (backend === "MountedFile") {
      explicit = [
        ...input.config.mapRoles.map((r, i) => roleCandidate(backend, `map-roles[${i}]`, r, [])),
        ...input.config.mapUsers.map((u, i) => userCandidate(backend, `map-users[${i}]`, u, [])),
      ];
      accounts = input.config.mapAccounts.map((a, i) =>
        accountCandidate(backend, `map-accounts[${i}]`, a, []),
      );
    }
    const effective = new Map<string, string>();
    const ambiguous = new Set<string>();
    for (const candidate of explicit) {
      if (lastWins || !effective.has(candidate.key)) effective.set(candidate.key, candidate.entry.source);
      else ambiguous.add(candidate.key);
    }
    for (const candidate of explicit) {
      const earlier = answered.get(candidate.key) ?? accountsAllowed.get(candidate.account);
      const winner = effective.get(candidate.key);
      if (candidate.key.startsWith("unindexed:")) {
        listed.push({
          ...candidate.entry,
          wins: false,
          answeredBy: "nothing until status.canonicalARN is written",
        });
      } else if (earlier !== undefined) {
        listed.push({ ...candidate.entry, wins: false, answeredBy: earlier });
      } else if (ambiguous.has(candidate.key)) {
        listed.push({
          ...candidate.entry,
          wins: false,
          answeredBy:
            "any one of the IAMIdentityMappings for this ARN (the server takes whichever its index returns first)",
        });
      } else if (winner !== candidate.entry.source) {
        listed.push({ ...candidate.entry, wins: false, answeredBy: winner ?? "" });
      } else {
        listed.push({ ...candidate.entry, wins: true });
      }
    }
    for (const candidate of explicit)
      if (!answered.has(candidate.key)) answered.set(candidate.key, effective.get(candidate.key) ?? "");
    for (const candidate of accounts) {
      const earlier = accountsAllowed.get(candidate.key);
      if (earlier !== undefined) listed.push({ ...candidate.entry, wins: false, answeredBy: earlier });
      else {
        accountsAllowed.set(candidate.key, candidate.entry.source);
        listed.push({ ...candidate.entry, wins: true });
      }
    }
  }
  return listed;
}

/** Action results for list-mappings: a summary line and the entries as YAML (Juju results are strings). */
export function listMappingsResults(
  listed: readonly ListedMapping[],
  notServed: readonly string[],
): Record<string, string> {
  const count = (backend: BackendMode): number => listed.filter((entry) => entry.backend === backend).length;
  const backends = [...new Set(listed.map((entry) => entry.backend))];
  const shadowed = listed.filter((entry) => !entry.wins).length;
  const withProblems = listed.filter((entry) => (entry.problems?.length ?? 0) > 0).length;
  const parts = backends.map((backend) => `${count(backend)} from ${backend}`);
  const summary = `${listed.length} mappings${parts.length > 0 ? ` (${parts.join(", ")})` : ""}; ${shadowed} not answering; ${withProblems} with problems; ${notServed.length} entries the server does not serve`;
  const results: Record<string, string> = {
    summary,
    mappings: jsYaml().dump(listed, { lineWidth: -1, noRefs: true }),
  };
  if (notServed.length > 0) results["not-served"] = notServed.join("\n");
  return results;
}
