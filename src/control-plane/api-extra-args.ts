// kube-apiserver flags we ask the operator to add through kubernetes-control-plane's `api-extra-args`
// option. That option is "space separated list of flags and key=value pairs"; charm-lib-kubernetes-snaps
// `parse_extra_args` splits it on whitespace, cuts each element at the first "=", turns a bare word into
// "true", puts the pairs in a dict merged *after* the charm's own args (so a key overrides the charm's
// value and may appear once), and renders each as `--key="value"`.

export interface ApiExtraArgsInput {
  /** --authentication-token-webhook-cache-ttl, a Go duration such as "2m0s" (CK sets 1m0s). */
  tokenWebhookCacheTtl?: string | undefined;
  /** For the IRSA work: --service-account-issuer (https URL). */
  serviceAccountIssuer?: string | undefined;
  /** For the IRSA work: --service-account-jwks-uri (https URL). */
  serviceAccountJwksUri?: string | undefined;
  /** For the IRSA work: --api-audiences (comma-joined). */
  apiAudiences?: readonly string[] | undefined;
}

/**
 * Flags that would displace or weaken an authenticator the control plane owns. CK's own args
 * (charm-lib-kubernetes-snaps `configure_apiserver`) set every one of these except token-auth-file and
 * authentication-config, which would add authenticators CK does not manage.
 */
export const DISPLACING_FLAGS: ReadonlyMap<string, string> = new Map([
  [
    "authentication-token-webhook-config-file",
    "replaces CK's auth-webhook, which holds admin, kubelet and user tokens",
  ],
  [
    "authentication-token-webhook-version",
    "changes the TokenReview version CK's auth-webhook was set up for",
  ],
  ["authentication-config", "structured authentication config takes over the JWT authenticators"],
  ["anonymous-auth", "CK disables anonymous requests"],
  ["client-ca-file", "replaces the CA for x509 client-certificate authentication"],
  ["token-auth-file", "adds a static-token authenticator outside CK's control"],
  ["service-account-key-file", "replaces the keys that verify service-account tokens"],
  ["service-account-signing-key-file", "replaces the key that signs service-account tokens"],
  ["service-account-lookup", "changes service-account token revocation checks"],
]);
/** Front-proxy (aggregation layer) authenticator flags, all set by CK. */
const DISPLACING_PREFIXES = ["requestheader-"];

export class ApiExtraArgsError extends RangeError {
  constructor(message: string) {
    super(message);
    this.name = "ApiExtraArgsError";
  }
}

/** Same reading of the option string as charm-lib-kubernetes-snaps `parse_extra_args`. */
export function parseApiExtraArgs(s: string): Map<string, string> {
  const args = new Map<string, string>();
  for (const element of s.split(/\s+/).filter((e) => e !== "")) {
    const eq = element.indexOf("=");
    if (eq === -1) args.set(element, "true");
    else args.set(element.slice(0, eq), element.slice(eq + 1));
  }
  return args;
}

/** The flags among `keys` (with or without leading dashes) that the control plane must keep for itself. */
export function displacingFlags(keys: Iterable<string>): string[] {
  return [...keys]
    .map((k) => k.replace(/^-+/, ""))
    .filter((k) => DISPLACING_FLAGS.has(k) || DISPLACING_PREFIXES.some((p) => k.startsWith(p)));
}

/** What the charm passes as a Go duration (time.ParseDuration, kube-apiserver's flag type): "0" or
 * decimal numbers each with a unit, ASCII units only (CK quotes each value in a snap option: no µ). The
 * config schema checks the option with the same pattern, so a value it accepts always renders. */
export const GO_DURATION_PATTERN = "^(0|([0-9]+(\\.[0-9]+)?(ns|us|ms|s|m|h))+)$";
const GO_DURATION = new RegExp(GO_DURATION_PATTERN);
const FLAG_NAME = /^[a-z0-9][a-z0-9-]*$/;
// CK wraps each value in double quotes inside a snap option; keep to printable ASCII that needs no quoting.
const SAFE_VALUE = /^[A-Za-z0-9_.:/,=@%+~-]+$/;

function httpsUrl(flag: string, value: string): string {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new ApiExtraArgsError(`${flag} must be an https URL`);
  }
  if (url.protocol !== "https:") throw new ApiExtraArgsError(`${flag} must be an https URL`);
  return value;
}

function collect(input: ApiExtraArgsInput): Map<string, string> {
  const args = new Map<string, string>();
  if (input.tokenWebhookCacheTtl !== undefined) {
    if (!GO_DURATION.test(input.tokenWebhookCacheTtl)) {
      throw new ApiExtraArgsError(
        `token webhook cache TTL ${JSON.stringify(input.tokenWebhookCacheTtl)} is not a Go duration such as 2m0s`,
      );
    }
    args.set("authentication-token-webhook-cache-ttl", input.tokenWebhookCacheTtl);
  }
  if (input.serviceAccountIssuer !== undefined) {
    args.set("service-account-issuer", httpsUrl("service-account-issuer", input.serviceAccountIssuer));
  }
  if (input.serviceAccountJwksUri !== undefined) {
    args.set("service-account-jwks-uri", httpsUrl("service-account-jwks-uri", input.serviceAccountJwksUri));
  }
  if (input.apiAudiences !== undefined && input.apiAudiences.length > 0) {
    if (input.apiAudiences.some((a) => a === "" || a.includes(","))) {
      throw new ApiExtraArgsError("api-audiences entries must be non-empty and contain no commas");
    }
    args.set("api-audiences", input.apiAudiences.join(","));
  }
  return args;
}

/** `key=value` pairs sorted by key, space-separated; "" when there is nothing to set. */
export function renderApiExtraArgs(input: ApiExtraArgsInput): string {
  const args = collect(input);
  const refused = displacingFlags(args.keys());
  if (refused.length > 0)
    throw new ApiExtraArgsError(`refusing flags that displace CK's authenticators: ${refused}`);
  for (const [key, value] of args) {
    if (!FLAG_NAME.test(key)) throw new ApiExtraArgsError(`bad flag name ${JSON.stringify(key)}`);
    if (!SAFE_VALUE.test(value))
      throw new ApiExtraArgsError(`value of ${key} has characters CK cannot pass through`);
  }
  return [...args.keys()]
    .sort()
    .map((key) => `${key}=${args.get(key)}`)
    .join(" ");
}

/** The api-extra-args the charm asks the operator for (the token cache TTL, and IRSA's issuer flags), or
 * why they cannot be rendered: what the hooks block on and get-control-plane-config fails with. */
export function charmApiExtraArgs(
  tokenWebhookCacheTtl: string | undefined,
  irsa: Partial<ApiExtraArgsInput>,
): { readonly ok: true; readonly args: string } | { readonly ok: false; readonly message: string } {
  try {
    return { ok: true, args: renderApiExtraArgs({ tokenWebhookCacheTtl, ...irsa }) };
  } catch (error) {
    if (!(error instanceof ApiExtraArgsError)) throw error;
    return { ok: false, message: error.message };
  }
}
