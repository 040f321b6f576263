// What AWS needs from the cluster for IRSA: the two discovery documents, where to upload them, the IAM OIDC
// provider, and a role trust policy. Pure: the caller reads the documents from the API server.
import { isAccountId } from "../mappings/arn.ts";
import { isRecord } from "../util/is-record.ts";
import type { Partition } from "../workload/manifests/spec.ts";
import { JWKS_PATH, jwksUri, OPENID_CONFIG_PATH } from "./api-args.ts";
import { DNS1123_SUBDOMAIN, IRSA_OPTIONS, type IrsaSettings } from "./settings.ts";

/** The two discovery documents as the API server serves them (src/k8s/read-discovery.ts reads them). */
export type ServedDiscovery =
  | { readonly ok: true; readonly config: string; readonly jwks: string }
  | { readonly ok: false; readonly reason: string };

/** The object keys (S3 style, no leading '/') that make `<issuer>/<path>` resolve: issuer path + API path. */
export function discoveryObjectKeys(issuerUrl: string): { openidConfiguration: string; jwks: string } {
  const base = new URL(issuerUrl).pathname.replace(/^\/+/, "").replace(/\/+$/, "");
  const key = (path: string) => (base === "" ? path.slice(1) : `${base}${path}`);
  return { openidConfiguration: key(OPENID_CONFIG_PATH), jwks: key(JWKS_PATH) };
}

/** The IAM OIDC provider's URL as IAM names it in ARNs and condition keys: host and path, no scheme. */
export function iamProviderId(issuerUrl: string): string {
  const url = new URL(issuerUrl);
  return `${url.host}${url.pathname === "/" ? "" : url.pathname}`;
}

export function oidcProviderArn(partition: Partition, accountId: string, issuerUrl: string): string {
  if (!isAccountId(accountId))
    throw new RangeError(`account ID ${JSON.stringify(accountId)} is not 12 digits`);
  return `arn:${partition}:iam::${accountId}:oidc-provider/${iamProviderId(issuerUrl)}`;
}

const DNS1123_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
/** What IAM's StringLike accepts as a wildcard: `*` (any run) and `?` (one character). */
const GLOB = /[*?]/;

export interface TrustPolicyInput {
  readonly partition: Partition;
  readonly accountId: string;
  readonly issuerUrl: string;
  readonly audience: string;
  /** A namespace name, or a pattern with `*`/`?`. */
  readonly namespace: string;
  /** A service-account name, or a pattern with `*`/`?` (e.g. `*` for every account in the namespace). */
  readonly serviceAccount: string;
}

function checkName(what: string, value: string, pattern: RegExp): void {
  if (GLOB.test(value)) {
    if (!/^[a-z0-9.*?-]+$/.test(value))
      throw new RangeError(`${what} pattern ${JSON.stringify(value)} has characters a name cannot have`);
    return;
  }
  if (!pattern.test(value) || value.length > 253)
    throw new RangeError(`${what} ${JSON.stringify(value)} is not a valid name`);
}

/**
 * The role trust policy for one service account (or a pattern): STS AssumeRoleWithWebIdentity from the
 * cluster's provider, with `sub` = system:serviceaccount:<namespace>:<name> (the subject kube-apiserver writes
 * into service-account tokens) and `aud` = the webhook's token audience. StringEquals unless the subject has
 * a wildcard, then StringLike for `sub` only: `aud` stays exact.
 */
export function trustPolicy(input: TrustPolicyInput): Record<string, unknown> {
  checkName("namespace", input.namespace, DNS1123_LABEL);
  checkName("service account", input.serviceAccount, DNS1123_SUBDOMAIN);
  const provider = iamProviderId(input.issuerUrl);
  const subject = `system:serviceaccount:${input.namespace}:${input.serviceAccount}`;
  const wildcard = GLOB.test(subject);
  return {
    Version: "2012-10-17",
    Statement: [
      {
        Effect: "Allow",
        Principal: { Federated: oidcProviderArn(input.partition, input.accountId, input.issuerUrl) },
        Action: "sts:AssumeRoleWithWebIdentity",
        Condition: wildcard
          ? {
              StringEquals: { [`${provider}:aud`]: input.audience },
              StringLike: { [`${provider}:sub`]: subject },
            }
          : { StringEquals: { [`${provider}:sub`]: subject, [`${provider}:aud`]: input.audience } },
      },
    ],
  };
}

export interface DiscoveryConfig {
  readonly issuer: string;
  readonly jwksUri: string;
  readonly signingAlgs: readonly string[];
}

export type DiscoveryCheck =
  | { readonly ok: true; readonly config: DiscoveryConfig; readonly kids: readonly string[] }
  | { readonly ok: false; readonly problems: readonly string[] };

const BASE64URL = /^[A-Za-z0-9_-]+$/;

function parseJson(text: string, what: string, problems: string[]): Record<string, unknown> | undefined {
  try {
    const value: unknown = JSON.parse(text);
    if (isRecord(value)) return value;
    problems.push(`${what} is not a JSON object`);
  } catch {
    problems.push(`${what} is not JSON`);
  }
  return undefined;
}

function httpsUrl(value: unknown): boolean {
  if (typeof value !== "string") return false;
  try {
    return new URL(value).protocol === "https:";
  } catch {
    return false;
  }
}

function stringList(value: unknown): string[] | undefined {
  return Array.isArray(value) && value.length > 0 && value.every((v) => typeof v === "string")
    ? (value as string[])
    : undefined;
}

/**
 * Checks an OpenID discovery document and its key set the way a relying party (STS) needs them: https
 * `issuer` and `jwks_uri`, the fields OIDC Discovery marks REQUIRED that kube-apiserver fills
 * (openidmetadata.go openIDMetadata), and a non-empty key set whose every key has `kid`, and for RSA `n`
 * and `e` (base64url), with an `alg` the document lists. Lists every problem.
 */
export function checkDiscoveryDocuments(configText: string, jwksText: string): DiscoveryCheck {
  const problems: string[] = [];
  const config = parseJson(configText, "openid-configuration", problems);
  const jwks = parseJson(jwksText, "jwks", problems);
  let algs: string[] = [];
  if (config) {
    if (!httpsUrl(config["issuer"])) problems.push("openid-configuration: issuer is not an https URL");
    if (!httpsUrl(config["jwks_uri"])) problems.push("openid-configuration: jwks_uri is not an https URL");
    if (!stringList(config["response_types_supported"])?.includes("id_token"))
      problems.push("openid-configuration: response_types_supported does not list id_token");
    if (!stringList(config["subject_types_supported"]))
      problems.push("openid-configuration: subject_types_supported is missing");
    algs = stringList(config["id_token_signing_alg_values_supported"]) ?? [];
    if (algs.length === 0)
      problems.push("openid-configuration: id_token_signing_alg_values_supported is missing");
  }
  const kids: string[] = [];
  if (jwks) {
    const keys = jwks["keys"];
    if (!Array.isArray(keys) || keys.length === 0) problems.push("jwks: keys is missing or empty");
    else
      keys.forEach((key: unknown, i) => {
        if (typeof key !== "object" || key === null) {
          problems.push(`jwks: key ${i} is not an object`);
          return;
        }
        const k = key as Record<string, unknown>;
        if (typeof k["kid"] !== "string" || k["kid"] === "") problems.push(`jwks: key ${i} has no kid`);
        else kids.push(k["kid"]);
        if (k["kty"] === "RSA") {
          for (const field of ["n", "e"])
            if (typeof k[field] !== "string" || !BASE64URL.test(k[field] as string))
              problems.push(`jwks: key ${i} has no base64url ${field}`);
        } else if (k["kty"] !== "EC")
          problems.push(`jwks: key ${i} has kty ${String(k["kty"])}, not RSA or EC`);
        if (config && typeof k["alg"] === "string" && !algs.includes(k["alg"]))
          problems.push(`jwks: key ${i} alg ${k["alg"]} is not in id_token_signing_alg_values_supported`);
      });
  }
  if (problems.length > 0 || !config) return { ok: false, problems };
  return {
    ok: true,
    config: { issuer: config["issuer"] as string, jwksUri: config["jwks_uri"] as string, signingAlgs: algs },
    kids,
  };
}

/**
 * The unit's status message while the API server still serves another issuer than configured, or undefined
 * when they agree (then the jwks_uri must agree too, or STS would fetch keys from elsewhere).
 */
export function issuerMismatch(settings: IrsaSettings, served: DiscoveryConfig): string | undefined {
  if (served.issuer !== settings.issuerUrl) {
    return `API server issuer is ${served.issuer}, not ${IRSA_OPTIONS.issuerUrl} ${settings.issuerUrl}: merge the api-extra-args from get-control-plane-config into kubernetes-control-plane`;
  }
  if (served.jwksUri !== jwksUri(settings.issuerUrl)) {
    return `API server jwks_uri is ${served.jwksUri}, not ${jwksUri(settings.issuerUrl)}: merge the api-extra-args from get-control-plane-config into kubernetes-control-plane`;
  }
  return undefined;
}

export interface DiscoveryActionInput {
  readonly settings: IrsaSettings;
  /** The response bodies of GET /.well-known/openid-configuration and /openid/v1/jwks, byte for byte. */
  readonly servedConfig: string;
  readonly servedJwks: string;
  readonly partition: Partition;
  readonly accountId: string;
  readonly namespace: string;
  readonly serviceAccount: string;
}

export type DiscoveryActionResult =
  | { readonly ok: true; readonly results: Record<string, string> }
  | { readonly ok: false; readonly message: string };

/**
 * The action's results (Juju keys: lowercase and dashes): the documents exactly as served, to upload
 * unchanged under the object keys, the provider to create, and the trust policy. Fails when the served
 * documents are not valid discovery JSON or are for another issuer: uploading them would break STS.
 */
export function discoveryActionResult(input: DiscoveryActionInput): DiscoveryActionResult {
  const check = checkDiscoveryDocuments(input.servedConfig, input.servedJwks);
  if (!check.ok)
    return {
      ok: false,
      message: `the API server's discovery documents are unusable: ${check.problems.join("; ")}`,
    };
  const mismatch = issuerMismatch(input.settings, check.config);
  if (mismatch !== undefined) return { ok: false, message: mismatch };
  let policy: Record<string, unknown>;
  try {
    policy = trustPolicy({
      partition: input.partition,
      accountId: input.accountId,
      issuerUrl: input.settings.issuerUrl,
      audience: input.settings.tokenAudience,
      namespace: input.namespace,
      serviceAccount: input.serviceAccount,
    });
  } catch (error) {
    if (error instanceof RangeError) return { ok: false, message: error.message };
    throw error;
  }
  const keys = discoveryObjectKeys(input.settings.issuerUrl);
  return {
    ok: true,
    results: {
      "openid-configuration": input.servedConfig,
      jwks: input.servedJwks,
      "openid-configuration-key": keys.openidConfiguration,
      "jwks-key": keys.jwks,
      "provider-url": input.settings.issuerUrl,
      "provider-arn": oidcProviderArn(input.partition, input.accountId, input.settings.issuerUrl),
      audience: input.settings.tokenAudience,
      "trust-policy": JSON.stringify(policy, null, 2),
    },
  };
}
