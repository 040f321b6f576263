/**
 * Invalid mapping configurations, each with the exact problems the charm must report. Run through
 * parseCharmConfig (corpus.test.ts), every case through a whole hook on a settled unit with a cluster
 * (test/state/mappings.test.ts: blocked, zero Kubernetes writes, the ConfigMap unchanged) and three through
 * the real dispatch (test/dispatch/mappings.test.ts).
 * Options not given take config.yaml's defaults.
 */
export interface InvalidMappingCase {
  readonly name: string;
  readonly config: Readonly<Record<string, string>>;
  readonly problems: readonly string[];
}

const ROLE = "arn:aws:iam::111122223333:role/k8s-admins";
const USER = "arn:aws:iam::111122223333:user/alice";
const MF = { "backend-mode": "CRD,MountedFile" };

const role = (fields: string): Record<string, string> => ({ ...MF, "map-roles": fields });
const user = (fields: string): Record<string, string> => ({ ...MF, "map-users": fields });
const accounts = (list: string): Record<string, string> => ({ ...MF, "map-accounts": list });

export const INVALID_MAPPINGS: readonly InvalidMappingCase[] = [
  // --- YAML shape
  {
    name: "roles not YAML",
    config: role("- rolearn: [x"),
    problems: [
      "map-roles: is not valid YAML (line 2, column 1: unexpected end of the stream within a flow collection); expected a YAML list of {rolearn, username, groups} mappings",
    ],
  },
  {
    name: "roles a mapping",
    config: role(`rolearn: ${ROLE}\nusername: a`),
    problems: ["map-roles: is a mapping; expected a YAML list of {rolearn, username, groups} mappings"],
  },
  {
    name: "roles a scalar",
    config: role("admins"),
    problems: ["map-roles: is a string; expected a YAML list of {rolearn, username, groups} mappings"],
  },
  {
    name: "users not YAML",
    config: user("- {userarn: x"),
    problems: [
      "map-users: is not valid YAML (line 2, column 1: unexpected end of the stream within a flow collection); expected a YAML list of {userarn, username, groups} mappings",
    ],
  },
  {
    name: "accounts a mapping",
    config: accounts("a: 1"),
    problems: ["map-accounts: is a mapping; expected a YAML list of 12-digit account IDs"],
  },
  {
    name: "accounts not YAML",
    config: accounts('["111122223333"'),
    problems: [
      "map-accounts: is not valid YAML (line 2, column 1: unexpected end of the stream within a flow collection); expected a YAML list of 12-digit account IDs",
    ],
  },
  {
    name: "role entry a string",
    config: role(`- ${ROLE}`),
    problems: ["map-roles[0]: is a string; expected a mapping with rolearn, username and groups"],
  },
  {
    name: "user entry a list",
    config: user(`- [${USER}]`),
    problems: ["map-users[0]: is a list; expected a mapping with userarn, username and groups"],
  },
  {
    name: "account entry a list",
    config: accounts("- [111122223333]"),
    problems: ['map-accounts[0]: is a list; expected a 12-digit account ID such as "111122223333"'],
  },
  // --- fields
  {
    name: "role unknown field",
    config: role(`- {rolearn: ${ROLE}, username: a, group: [x]}`),
    problems: ["map-roles[0].group: is not a field; expected only rolearn, sso, username, groups"],
  },
  {
    name: "role field case",
    config: role(`- {roleARN: ${ROLE}, username: a}`),
    problems: [
      "map-roles[0].roleARN: is not a field; expected rolearn (spelt exactly so)",
      "map-roles[0]: has neither rolearn nor sso; expected exactly one of them",
    ],
  },
  {
    name: "user field case",
    config: user(`- {userARN: ${USER}, username: a}`),
    problems: [
      "map-users[0].userARN: is not a field; expected userarn (spelt exactly so)",
      "map-users[0].userarn: is missing; expected arn:aws:iam::<12-digit account>:user/<name>",
    ],
  },
  {
    name: "role userid",
    config: role(`- {rolearn: ${ROLE}, username: a, userid: AROAEXAMPLE}`),
    problems: [
      "map-roles[0].userid: is only read by the DynamicFile backend, which this charm does not run; expected it left out",
    ],
  },
  {
    name: "role neither arn nor sso",
    config: role("- {username: a}"),
    problems: ["map-roles[0]: has neither rolearn nor sso; expected exactly one of them"],
  },
  {
    name: "role both arn and sso",
    config: role(`- {rolearn: ${ROLE}, sso: {permissionSetName: A, accountID: "111122223333"}, username: a}`),
    problems: ["map-roles[0]: has both rolearn and sso; expected exactly one of them"],
  },
  {
    name: "rolearn a number",
    config: role("- {rolearn: 42, username: a}"),
    problems: ["map-roles[0].rolearn: is a number; expected arn:aws:iam::<12-digit account>:role/<name>"],
  },
  {
    name: "userarn missing",
    config: user("- {username: a}"),
    problems: ["map-users[0].userarn: is missing; expected arn:aws:iam::<12-digit account>:user/<name>"],
  },
  {
    name: "userarn a list",
    config: user("- {userarn: [a], username: a}"),
    problems: ["map-users[0].userarn: is a list; expected arn:aws:iam::<12-digit account>:user/<name>"],
  },
  // --- ARNs
  {
    name: "rolearn not an ARN",
    config: role("- {rolearn: k8s-admins, username: a}"),
    problems: [
      'map-roles[0].rolearn: "k8s-admins" is not an ARN; expected arn:aws:iam::<12-digit account>:role/<name>',
    ],
  },
  {
    name: "rolearn short account",
    config: role('- {rolearn: "arn:aws:iam::12:role/x", username: a}'),
    problems: [
      'map-roles[0].rolearn: "arn:aws:iam::12:role/x" has account "12", not 12 digits; expected arn:aws:iam::<12-digit account>:role/<name>',
    ],
  },
  {
    name: "rolearn account letters",
    config: role("- {rolearn: 'arn:aws:iam::11112222333a:role/x', username: a}"),
    problems: [
      'map-roles[0].rolearn: "arn:aws:iam::11112222333a:role/x" has account "11112222333a", not 12 digits; expected arn:aws:iam::<12-digit account>:role/<name>',
    ],
  },
  {
    name: "rolearn unknown partition",
    config: role("- {rolearn: 'arn:aws-mars:iam::111122223333:role/x', username: a}"),
    problems: [
      'map-roles[0].rolearn: "arn:aws-mars:iam::111122223333:role/x" has unknown partition "aws-mars"; expected arn:aws:iam::<12-digit account>:role/<name>',
    ],
  },
  {
    name: "rolearn other partition",
    config: role("- {rolearn: 'arn:aws-us-gov:iam::111122223333:role/x', username: a}"),
    problems: [
      'map-roles[0].rolearn: "arn:aws-us-gov:iam::111122223333:role/x" is in partition "aws-us-gov" but partition is "aws"; expected arn:aws:iam::<12-digit account>:role/<name> (or partition=aws-us-gov if the cluster\'s accounts live there)',
    ],
  },
  {
    name: "rolearn with region",
    config: role("- {rolearn: 'arn:aws:iam:us-east-1:111122223333:role/x', username: a}"),
    problems: [
      'map-roles[0].rolearn: "arn:aws:iam:us-east-1:111122223333:role/x" has region "us-east-1" but IAM ARNs have none; expected arn:aws:iam::<12-digit account>:role/<name>',
    ],
  },
  {
    name: "rolearn is a user",
    config: role(`- {rolearn: '${USER}', username: a}`),
    problems: [
      'map-roles[0].rolearn: "arn:aws:iam::111122223333:user/alice" is an IAM user ARN; expected arn:aws:iam::<12-digit account>:role/<name> (map users under map-users)',
    ],
  },
  {
    name: "rolearn is root",
    config: role("- {rolearn: 'arn:aws:iam::111122223333:root', username: a}"),
    problems: [
      'map-roles[0].rolearn: "arn:aws:iam::111122223333:root" is an account root ARN; expected arn:aws:iam::<12-digit account>:role/<name> (map-accounts admits every principal of an account)',
    ],
  },
  {
    name: "rolearn is a session",
    config: role("- {rolearn: 'arn:aws:sts::111122223333:assumed-role/k8s-admins/alice', username: a}"),
    problems: [
      'map-roles[0].rolearn: "arn:aws:sts::111122223333:assumed-role/k8s-admins/alice" is an STS assumed-role session ARN; expected the role\'s own ARN arn:aws:iam::111122223333:role/k8s-admins',
    ],
  },
  {
    name: "rolearn of another service",
    config: role("- {rolearn: 'arn:aws:s3:::bucket', username: a}"),
    problems: [
      'map-roles[0].rolearn: "arn:aws:s3:::bucket" is not an IAM principal ARN; expected arn:aws:iam::<12-digit account>:role/<name>',
    ],
  },
  {
    name: "rolearn iam group",
    config: role("- {rolearn: 'arn:aws:iam::111122223333:group/devs', username: a}"),
    problems: [
      'map-roles[0].rolearn: "arn:aws:iam::111122223333:group/devs" is not an IAM principal ARN; expected arn:aws:iam::<12-digit account>:role/<name>',
    ],
  },
  {
    name: "rolearn with path",
    config: role("- {rolearn: 'arn:aws:iam::111122223333:role/teams/k8s-admins', username: a}"),
    problems: [
      'map-roles[0].rolearn: "arn:aws:iam::111122223333:role/teams/k8s-admins" has path "/teams/", which STS leaves out of assumed roles, so it never matches; expected arn:aws:iam::111122223333:role/k8s-admins',
    ],
  },
  {
    name: "rolearn SSO path",
    config: role(
      "- {rolearn: 'arn:aws:iam::111122223333:role/aws-reserved/sso.amazonaws.com/AWSReservedSSO_Admin_0123456789abcdef', username: a}",
    ),
    problems: [
      'map-roles[0].rolearn: "arn:aws:iam::111122223333:role/aws-reserved/sso.amazonaws.com/AWSReservedSSO_Admin_0123456789abcdef" is an IAM Identity Center (SSO) role with path "/aws-reserved/sso.amazonaws.com/", which STS leaves out, so it never matches; expected arn:aws:iam::111122223333:role/AWSReservedSSO_Admin_0123456789abcdef, or match every role of the permission set with sso: {permissionSetName: Admin, accountID: "111122223333"}',
    ],
  },
  {
    name: "rolearn SSO path in GovCloud",
    config: {
      ...role(
        "- {rolearn: 'arn:aws-us-gov:iam::111122223333:role/aws-reserved/sso.amazonaws.com/AWSReservedSSO_Admin_0123456789abcdef', username: a}",
      ),
      partition: "aws-us-gov",
    },
    problems: [
      'map-roles[0].rolearn: "arn:aws-us-gov:iam::111122223333:role/aws-reserved/sso.amazonaws.com/AWSReservedSSO_Admin_0123456789abcdef" is an IAM Identity Center (SSO) role with path "/aws-reserved/sso.amazonaws.com/", which STS leaves out, so it never matches; expected arn:aws-us-gov:iam::111122223333:role/AWSReservedSSO_Admin_0123456789abcdef',
    ],
  },
  {
    name: "rolearn bad name",
    config: role("- {rolearn: 'arn:aws:iam::111122223333:role/k8s admins', username: a}"),
    problems: [
      'map-roles[0].rolearn: "arn:aws:iam::111122223333:role/k8s admins" has role name "k8s admins"; expected arn:aws:iam::<12-digit account>:role/<name> with a name of 1-64 letters, digits and +=,.@_-',
    ],
  },
  {
    name: "rolearn empty name",
    config: role("- {rolearn: 'arn:aws:iam::111122223333:role/', username: a}"),
    problems: [
      'map-roles[0].rolearn: "arn:aws:iam::111122223333:role/" has role name ""; expected arn:aws:iam::<12-digit account>:role/<name> with a name of 1-64 letters, digits and +=,.@_-',
    ],
  },
  {
    name: "userarn is a role",
    config: user(`- {userarn: '${ROLE}', username: a}`),
    problems: [
      'map-users[0].userarn: "arn:aws:iam::111122223333:role/k8s-admins" is an IAM role ARN; expected arn:aws:iam::<12-digit account>:user/<name> (map roles under map-roles)',
    ],
  },
  {
    name: "userarn is a session",
    config: user("- {userarn: 'arn:aws:sts::111122223333:assumed-role/k8s-admins/alice', username: a}"),
    problems: [
      'map-users[0].userarn: "arn:aws:sts::111122223333:assumed-role/k8s-admins/alice" is an STS assumed-role session ARN; expected the role\'s own ARN arn:aws:iam::111122223333:role/k8s-admins under map-roles',
    ],
  },
  {
    name: "userarn federated",
    config: user("- {userarn: 'arn:aws:sts::111122223333:federated-user/bob', username: a}"),
    problems: [
      'map-users[0].userarn: "arn:aws:sts::111122223333:federated-user/bob" is an STS federated-user ARN; expected arn:aws:iam::<12-digit account>:user/<name>',
    ],
  },
  {
    name: "userarn China ARN in aws",
    config: user("- {userarn: 'arn:aws-cn:iam::111122223333:user/alice', username: a}"),
    problems: [
      'map-users[0].userarn: "arn:aws-cn:iam::111122223333:user/alice" is in partition "aws-cn" but partition is "aws"; expected arn:aws:iam::<12-digit account>:user/<name> (or partition=aws-cn if the cluster\'s accounts live there)',
    ],
  },
  {
    name: "userarn aws ARN in China",
    config: { ...user(`- {userarn: '${USER}', username: a}`), partition: "aws-cn" },
    problems: [
      'map-users[0].userarn: "arn:aws:iam::111122223333:user/alice" is in partition "aws" but partition is "aws-cn"; expected arn:aws-cn:iam::<12-digit account>:user/<name> (or partition=aws if the cluster\'s accounts live there)',
    ],
  },
  // --- sso
  {
    name: "sso a string",
    config: role("- {sso: Admin, username: a}"),
    problems: [
      'map-roles[0].sso: is a string; expected {permissionSetName: <name>, accountID: "<12 digits>"}',
    ],
  },
  {
    name: "sso partition set",
    config: role(
      '- {sso: {permissionSetName: Admin, accountID: "111122223333", partition: aws}, username: a}',
    ),
    problems: [
      "map-roles[0].sso.partition: is set; expected it left out (upstream's SSOArnLike builds a pattern that never matches once it is set, pkg/config/mapper.go)",
    ],
  },
  {
    name: "sso bad permission set",
    config: role('- {sso: {permissionSetName: "Ad min", accountID: "111122223333"}, username: a}'),
    problems: [
      'map-roles[0].sso.permissionSetName: "Ad min" is not a permission set name; expected 1-32 of letters, digits and +=,.@_-',
    ],
  },
  {
    name: "sso permission set too long",
    config: role(`- {sso: {permissionSetName: ${"P".repeat(33)}, accountID: "111122223333"}, username: a}`),
    problems: [
      'map-roles[0].sso.permissionSetName: "PPPPPPPPPPPPPPPPPPPPPPPPPPPPPPPPP" is not a permission set name; expected 1-32 of letters, digits and +=,.@_-',
    ],
  },
  {
    name: "sso account short",
    config: role('- {sso: {permissionSetName: Admin, accountID: "1111"}, username: a}'),
    problems: [
      'map-roles[0].sso.accountID: "1111" is not 12 digits; expected a 12-digit account ID such as "111122223333"',
    ],
  },
  {
    name: "sso account missing",
    config: role("- {sso: {permissionSetName: Admin}, username: a}"),
    problems: [
      'map-roles[0].sso.accountID: is missing; expected a 12-digit account ID such as "111122223333"',
    ],
  },
  {
    name: "sso outside aws",
    config: {
      ...role('- {sso: {permissionSetName: Admin, accountID: "111122223333"}, username: a}'),
      partition: "aws-us-gov",
    },
    problems: [
      'map-roles[0].sso: never matches in partition "aws-us-gov" (upstream\'s SSOArnLike only builds arn:aws: patterns); expected rolearn: arn:aws-us-gov:iam::<12-digit account>:role/AWSReservedSSO_<set>_<suffix> instead',
    ],
  },
  {
    name: "sso unknown field",
    config: role('- {sso: {permissionSetName: Admin, accountID: "111122223333", account: x}, username: a}'),
    problems: ["map-roles[0].sso.account: is not a field; expected only permissionSetName, accountID"],
  },
  // --- username and groups
  {
    name: "username missing",
    config: role(`- {rolearn: ${ROLE}}`),
    problems: [
      "map-roles[0].username: is missing; expected a Kubernetes username such as admin:{{SessionName}}",
    ],
  },
  {
    name: "username empty",
    config: role(`- {rolearn: ${ROLE}, username: ""}`),
    problems: [
      "map-roles[0].username: is empty; expected a Kubernetes username such as admin:{{SessionName}}",
    ],
  },
  {
    name: "username a number",
    config: user(`- {userarn: ${USER}, username: 7}`),
    problems: ["map-users[0].username: is a number; expected a Kubernetes username such as alice"],
  },
  {
    name: "username spaces",
    config: role(`- {rolearn: ${ROLE}, username: " admin"}`),
    problems: ['map-roles[0].username: " admin" has leading or trailing spaces; expected "admin"'],
  },
  {
    name: "username unknown placeholder",
    config: role(`- {rolearn: ${ROLE}, username: "admin:{{Session}}"}`),
    problems: [
      'map-roles[0].username: "admin:{{Session}}" uses {{Session}}, which the server does not expand; expected only {{AccountID}}, {{SessionName}}, {{SessionNameRaw}}, {{AccessKeyID}}, {{EC2PrivateDNSName}}',
    ],
  },
  {
    name: "username placeholder case",
    config: role(`- {rolearn: ${ROLE}, username: "admin:{{sessionname}}"}`),
    problems: [
      'map-roles[0].username: "admin:{{sessionname}}" uses {{sessionname}}, which the server does not expand (placeholders are case-sensitive: {{SessionName}}); expected only {{AccountID}}, {{SessionName}}, {{SessionNameRaw}}, {{AccessKeyID}}, {{EC2PrivateDNSName}}',
    ],
  },
  {
    name: "username unmatched braces",
    config: role(`- {rolearn: ${ROLE}, username: "admin:{{SessionName"}`),
    problems: [
      'map-roles[0].username: "admin:{{SessionName" has an unmatched "{{" or "}}"; expected placeholders written whole, such as {{SessionName}}',
    ],
  },
  {
    name: "user username with session",
    config: user(`- {userarn: ${USER}, username: "alice:{{SessionName}}"}`),
    problems: [
      'map-users[0].username: "alice:{{SessionName}}" uses {{SessionName}}, but an IAM user has no session, so it never renders; expected a fixed name, {{AccountID}} or {{AccessKeyID}}',
    ],
  },
  {
    name: "user username with EC2 name",
    config: user(`- {userarn: ${USER}, username: "{{EC2PrivateDNSName}}"}`),
    problems: [
      'map-users[0].username: "{{EC2PrivateDNSName}}" uses {{EC2PrivateDNSName}}, but an IAM user has no session, so it never renders; expected a fixed name, {{AccountID}} or {{AccessKeyID}}',
    ],
  },
  {
    name: "reserved prefix",
    config: {
      ...role(`- {rolearn: ${ROLE}, username: "system:admin"}`),
      "reserved-username-prefixes": "system:,aws:",
    },
    problems: [
      'map-roles[0].username: "system:admin" starts with "system:", which reserved-username-prefixes reserves; expected a username without that prefix',
    ],
  },
  {
    name: "reserved prefix on a user",
    config: {
      ...user(`- {userarn: ${USER}, username: "aws:alice"}`),
      "reserved-username-prefixes": "system:, aws:",
    },
    problems: [
      'map-users[0].username: "aws:alice" starts with "aws:", which reserved-username-prefixes reserves; expected a username without that prefix',
    ],
  },
  {
    name: "reserved prefixes no configured backend enforces",
    config: { "backend-mode": "CRD", "reserved-username-prefixes": "system:" },
    problems: [
      'reserved-username-prefixes: no backend in backend-mode "CRD" enforces them on image v0.7.4 (MountedFile does from v0.6.6, CRD and EKSConfigMap from v0.7.17); expected MountedFile in backend-mode, an image tagged v0.7.17 or later, or the option left empty',
    ],
  },
  {
    name: "groups a string",
    config: role(`- {rolearn: ${ROLE}, username: a, groups: system:masters}`),
    problems: ["map-roles[0].groups: is a string; expected a list such as [system:masters]"],
  },
  {
    name: "group a number",
    config: role(`- {rolearn: ${ROLE}, username: a, groups: [dev, 3]}`),
    problems: ["map-roles[0].groups[1]: is a number; expected a group name such as system:masters"],
  },
  {
    name: "group empty",
    config: role(`- {rolearn: ${ROLE}, username: a, groups: [""]}`),
    problems: ["map-roles[0].groups[0]: is empty; expected a group name such as system:masters"],
  },
  {
    name: "group unknown placeholder",
    config: role(`- {rolearn: ${ROLE}, username: a, groups: ["team:{{Team}}"]}`),
    problems: [
      'map-roles[0].groups[0]: "team:{{Team}}" uses {{Team}}, which the server does not expand; expected only {{AccountID}}, {{SessionName}}, {{SessionNameRaw}}, {{AccessKeyID}}, {{EC2PrivateDNSName}}',
    ],
  },
  {
    name: "user group with session",
    config: user(`- {userarn: ${USER}, username: a, groups: ["s:{{SessionNameRaw}}"]}`),
    problems: [
      'map-users[0].groups[0]: "s:{{SessionNameRaw}}" uses {{SessionNameRaw}}, but an IAM user has no session, so it never renders; expected a fixed name, {{AccountID}} or {{AccessKeyID}}',
    ],
  },
  // --- accounts
  {
    name: "account short",
    config: accounts('- "12345"'),
    problems: [
      'map-accounts[0]: "12345" is not 12 digits; expected a 12-digit account ID such as "111122223333"',
    ],
  },
  {
    name: "account letters",
    config: accounts("- 11112222333x"),
    problems: [
      'map-accounts[0]: "11112222333x" is not 12 digits; expected a 12-digit account ID such as "111122223333"',
    ],
  },
  {
    name: "account empty",
    config: accounts("- ''"),
    problems: ['map-accounts[0]: "" is not 12 digits; expected a 12-digit account ID such as "111122223333"'],
  },
  // --- duplicates and conflicts
  {
    name: "same role twice",
    config: role(`- {rolearn: ${ROLE}, username: a}\n- {rolearn: ${ROLE}, username: b}`),
    problems: [
      'map-roles[1].rolearn: "arn:aws:iam::111122223333:role/k8s-admins" is already mapped by map-roles[0] (ARNs match case-insensitively); expected each role mapped once',
    ],
  },
  {
    name: "same role twice, other case",
    config: role(
      `- {rolearn: ${ROLE}, username: a}\n- {rolearn: ${ROLE.toUpperCase().replace("ARN:AWS:IAM", "arn:aws:iam").replace(":ROLE/", ":role/")}, username: b}`,
    ),
    problems: [
      'map-roles[1].rolearn: "arn:aws:iam::111122223333:role/K8S-ADMINS" is already mapped by map-roles[0] (ARNs match case-insensitively); expected each role mapped once',
    ],
  },
  {
    name: "same user twice",
    config: user(
      `- {userarn: ${USER}, username: a}\n- {userarn: ${USER.replace("alice", "Alice")}, username: b}`,
    ),
    problems: [
      'map-users[1].userarn: "arn:aws:iam::111122223333:user/Alice" is already mapped by map-users[0] (ARNs match case-insensitively); expected each user mapped once',
    ],
  },
  {
    name: "same permission set twice",
    config: role(
      '- {sso: {permissionSetName: Admin, accountID: "111122223333"}, username: a}\n- {sso: {permissionSetName: admin, accountID: "111122223333"}, username: b}',
    ),
    problems: [
      'map-roles[1].sso: permission set "admin" of account "111122223333" is already mapped by map-roles[0]; expected each permission set mapped once',
    ],
  },
  {
    name: "sso and rolearn for one role",
    config: role(
      '- {sso: {permissionSetName: Admin, accountID: "111122223333"}, username: a}\n- {rolearn: "arn:aws:iam::111122223333:role/AWSReservedSSO_Admin_0123456789abcdef", username: b}',
    ),
    problems: [
      'map-roles[1].rolearn: maps role "arn:aws:iam::111122223333:role/AWSReservedSSO_Admin_0123456789abcdef" that map-roles[0].sso maps too, and the server picks either at random; expected one mapping per role',
    ],
  },
  {
    name: "same account twice",
    config: accounts('- "111122223333"\n- 111122223333'),
    problems: [
      'map-accounts[1]: "111122223333" is already listed at map-accounts[0]; expected each account once',
    ],
  },
  // --- options together
  {
    name: "mappings without MountedFile",
    config: {
      "backend-mode": "CRD",
      "map-roles": `- {rolearn: ${ROLE}, username: a}`,
      "map-accounts": '["111122223333"]',
    },
    problems: [
      'map-roles, map-accounts: only the MountedFile backend serves them, and backend-mode is "CRD"; expected MountedFile in backend-mode (for example "CRD,MountedFile") or the options left empty',
    ],
  },
  {
    name: "aws-eusc with the default image",
    config: { partition: "aws-eusc" },
    problems: [
      'partition: "aws-eusc" is unknown to aws-iam-authenticator before v0.7.7 and image is v0.7.4; expected an image at v0.7.7 or later, or another partition',
    ],
  },
  {
    name: "several problems in one entry",
    config: role("- {rolearn: 'arn:aws:iam::1:role/x', username: '', groups: x}"),
    problems: [
      'map-roles[0].rolearn: "arn:aws:iam::1:role/x" has account "1", not 12 digits; expected arn:aws:iam::<12-digit account>:role/<name>',
      "map-roles[0].username: is empty; expected a Kubernetes username such as admin:{{SessionName}}",
      "map-roles[0].groups: is a string; expected a list such as [system:masters]",
    ],
  },
];
