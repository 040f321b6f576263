/** Service-account issuer discovery, as kube-apiserver serves it: /.well-known/openid-configuration and
 * /openid/v1/jwks, rendered from a real RSA signing key and the --service-account-issuer /
 * --service-account-jwks-uri flags. Primary sources (kubernetes/kubernetes):
 * - pkg/kubeapiserver/options/authentication.go BuiltInAuthenticationOptions.Validate: flags kube-apiserver
 *   refuses to start with (startupErrors).
 * - pkg/serviceaccount/openidmetadata.go: NewOpenIDMetadataProvider (issuer/jwks_uri rules), openIDMetadata
 *   (fields and their order), openIDConfigJSON, publicJWKSFromKeys/jwkFromPublicKey (use "sig", alg RS256).
 * - pkg/serviceaccount/jwt.go keyIDFromPublicKey: kid = base64url(sha256(PKIX DER of the public key)), unpadded.
 * - pkg/routes/openidmetadata.go: GET only, Content-Type application/json and application/jwk-set+json,
 *   Cache-Control "public, max-age=3600".
 * - go-jose jwk.go rawJSONWebKey: JWK member order use, kty, kid, crv, alg, ..., n, e. */
import { createHash, createPublicKey, type KeyObject } from "node:crypto";
import { runKeyOrFresh } from "../run-keys.ts";
import { goParseUrl, goQuote, goUrlString } from "./go-url.ts";

const OPENID_CONFIG_PATH = "/.well-known/openid-configuration";
const JWKS_PATH = "/openid/v1/jwks";
/** What Charmed Kubernetes passes: charmed-kubernetes/charm-lib-kubernetes-snaps charms/kubernetes_snaps.py
 * configure_apiserver sets service-account-issuer to this. */
const CK_ISSUER = "https://kubernetes.default.svc";

/** Go's encoding/json escapes <, > and & (json.Marshal sets escapeHTML) and U+2028/2029; JSON.stringify does
 * not (golang/go src/encoding/json/encode.go appendString). */
function goJson(value: unknown): string {
  return JSON.stringify(value)
    .replaceAll("<", "\\u003c")
    .replaceAll(">", "\\u003e")
    .replaceAll("&", "\\u0026")
    .replaceAll("\u2028", "\\u2028")
    .replaceAll("\u2029", "\\u2029");
}

export interface IssuerFlags {
  /** --service-account-issuer (the first one, which signs and which discovery names). */
  issuer: string;
  /** --service-account-jwks-uri; unset: https://<external address>/openid/v1/jwks. */
  jwksUri?: string | undefined;
}

export class ServiceAccountIssuer {
  private readonly publicKey: KeyObject;
  readonly kid: string;
  flags: IssuerFlags;

  constructor(flags: IssuerFlags = { issuer: CK_ISSUER }) {
    // The API server's --service-account-key-file key (CK generates RSA 2048). It stays when the flags change:
    // configure_apiserver points --service-account-key-file/--service-account-signing-key-file at one path.
    const key = runKeyOrFresh();
    this.publicKey = createPublicKey(key);
    this.kid = createHash("sha256")
      .update(this.publicKey.export({ type: "spki", format: "der" }))
      .digest("base64url");
    this.flags = flags;
  }

  /**
   * Why kube-apiserver would refuse to start with these flags (BuiltInAuthenticationOptions.Validate, the
   * service-account part for one issuer); [] when it starts.
   */
  startupErrors(): string[] {
    const { issuer, jwksUri } = this.flags;
    const errors: string[] = [];
    const parsedIssuer = issuer.includes(":") ? goParseUrl(issuer) : undefined;
    if (parsedIssuer && !parsedIssuer.ok) {
      errors.push(
        `service-account-issuer ${goQuote(issuer)} contained a ':' but was not a valid URL: ${parsedIssuer.error}`,
      );
    } else if (issuer === "") {
      errors.push("service-account-issuer should not be an empty string");
    }
    if (jwksUri !== undefined && jwksUri !== "") {
      const u = goParseUrl(jwksUri);
      if (!u.ok) errors.push(`service-account-jwks-uri must be a valid URL: ${u.error}`);
      else if (u.url.scheme !== "https")
        errors.push(`service-account-jwks-uri requires https scheme, parsed as: ${goUrlString(u.url)}`);
    }
    return errors;
  }

  /**
   * The discovery document, or undefined when kube-apiserver would not install the endpoints: it logs
   * NewOpenIDMetadataProvider's error and skips them (issuer not an https URL to Go's url.Parse, or with a
   * query or fragment; an explicit jwks_uri that is not https).
   */
  configJson(externalAddress: string): string | undefined {
    const issuer = goParseUrl(this.flags.issuer);
    if (
      !issuer.ok ||
      issuer.url.scheme !== "https" ||
      issuer.url.rawQuery !== "" ||
      issuer.url.fragment !== ""
    )
      return undefined;
    const explicit = this.flags.jwksUri !== undefined && this.flags.jwksUri !== "";
    const jwksUri = explicit ? this.flags.jwksUri! : `https://${externalAddress}${JWKS_PATH}`;
    if (explicit) {
      const u = goParseUrl(jwksUri);
      if (!u.ok || u.url.scheme !== "https") return undefined;
    }
    return goJson({
      issuer: this.flags.issuer,
      jwks_uri: jwksUri,
      response_types_supported: ["id_token"],
      subject_types_supported: ["public"],
      id_token_signing_alg_values_supported: ["RS256"],
    });
  }

  keysetJson(): string {
    const jwk = this.publicKey.export({ format: "jwk" });
    return goJson({ keys: [{ use: "sig", kty: "RSA", kid: this.kid, alg: "RS256", n: jwk.n, e: jwk.e }] });
  }
}

interface DiscoveryResponse {
  code: number;
  body: string;
  contentType: string;
  headers: Record<string, string>;
}

/** The response for `path`, or undefined when the path is not a discovery path (or not installed). */
export function serveDiscovery(
  issuer: ServiceAccountIssuer,
  path: string,
  externalAddress: string,
): DiscoveryResponse | undefined {
  const headers = { "Cache-Control": "public, max-age=3600" };
  if (path === OPENID_CONFIG_PATH) {
    const body = issuer.configJson(externalAddress);
    return body === undefined ? undefined : { code: 200, body, contentType: "application/json", headers };
  }
  if (path === JWKS_PATH && issuer.configJson(externalAddress) !== undefined) {
    return { code: 200, body: issuer.keysetJson(), contentType: "application/jwk-set+json", headers };
  }
  return undefined;
}
