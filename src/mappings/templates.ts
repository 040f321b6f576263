// Username and group templates, checked against exactly what the server expands.
//
// Upstream (kubernetes-sigs/aws-iam-authenticator @ 81b1daba, pkg/server/server.go renderTemplate): plain,
// case-sensitive strings.ReplaceAll of {{EC2PrivateDNSName}} (ec2:DescribeInstances on the session name, which
// must look like an instance ID, else the login is denied), {{AccountID}}, {{SessionName}} ('@' → '-'),
// {{SessionNameRaw}} and {{AccessKeyID}}, applied to the username and to every group. Anything else in braces is
// left in the name literally, which is never what the operator meant, so the charm refuses it.
// IAM users have no session: pkg/token/token.go getIdentityFromSTSResponse sets SessionName only for roles,
// so {{SessionName}} renders empty and {{EC2PrivateDNSName}} always fails for a user mapping.
export const PLACEHOLDERS = [
  "{{AccountID}}",
  "{{SessionName}}",
  "{{SessionNameRaw}}",
  "{{AccessKeyID}}",
  "{{EC2PrivateDNSName}}",
] as const;

const SESSION_PLACEHOLDERS: readonly string[] = [
  "{{SessionName}}",
  "{{SessionNameRaw}}",
  "{{EC2PrivateDNSName}}",
];
const BRACED = /\{\{[^{}]*\}\}/g;

/** What is wrong with one username or group template, or undefined. `forUser`: the mapping is an IAM user's. */
export function templateProblem(value: string, forUser: boolean): string | undefined {
  const quoted = JSON.stringify(value);
  for (const found of value.match(BRACED) ?? []) {
    if ((PLACEHOLDERS as readonly string[]).includes(found)) {
      if (forUser && SESSION_PLACEHOLDERS.includes(found)) {
        return `${quoted} uses ${found}, but an IAM user has no session, so it never renders; expected a fixed name, {{AccountID}} or {{AccessKeyID}}`;
      }
      continue;
    }
    const sameLetters = PLACEHOLDERS.find((known) => known.toLowerCase() === found.toLowerCase());
    const hint = sameLetters ? ` (placeholders are case-sensitive: ${sameLetters})` : "";
    return `${quoted} uses ${found}, which the server does not expand${hint}; expected only ${PLACEHOLDERS.join(", ")}`;
  }
  const rest = value.replace(BRACED, "");
  if (rest.includes("{{") || rest.includes("}}")) {
    return `${quoted} has an unmatched "{{" or "}}"; expected placeholders written whole, such as {{SessionName}}`;
  }
  return undefined;
}

/** The reserved prefix a username template begins with, if any (upstream checks the rendered name, server.go doMapping). */
export function reservedPrefixOf(username: string, reserved: readonly string[]): string | undefined {
  return reserved.find((prefix) => prefix !== "" && username.startsWith(prefix));
}
