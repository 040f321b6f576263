// The kube-apiserver flags IRSA needs, as inputs to control-plane/api-extra-args.ts renderApiExtraArgs.
import type { ApiExtraArgsInput } from "../control-plane/api-extra-args.ts";
import type { IrsaSettings } from "./settings.ts";

/** The issuer Charmed Kubernetes sets (charm-lib-kubernetes-snaps configure_apiserver). */
export const CK_DEFAULT_ISSUER = "https://kubernetes.default.svc";
/** The paths kube-apiserver serves discovery at (pkg/serviceaccount/openidmetadata.go OpenIDConfigPath, JWKSPath). */
export const OPENID_CONFIG_PATH = "/.well-known/openid-configuration";
export const JWKS_PATH = "/openid/v1/jwks";

/** Where the key set is published: next to the discovery document, under the issuer's own path. */
export function jwksUri(issuerUrl: string): string {
  return `${issuerUrl}${JWKS_PATH}`;
}

/**
 * --service-account-issuer: the new issuer, which signs every token from now on.
 * --service-account-jwks-uri: the public key set's address, written into the discovery document; without it
 *   kube-apiserver writes https://<its external address>/openid/v1/jwks, which AWS cannot reach
 *   (openidmetadata.go NewOpenIDMetadataProvider).
 * --api-audiences: the audiences the API accepts. Unset, it "defaults to a single element list containing
 *   the issuer URL" (kube-apiserver --api-audiences help, pkg/kubeapiserver/options/authentication.go), and
 *   CK never sets it: today the API's audience is https://kubernetes.default.svc, and changing the issuer
 *   would silently change the audience too, refusing every token a workload requested for
 *   https://kubernetes.default.svc. So keep that audience and add the one the new issuer would default to.
 *   Never the STS audience: a token projected for STS must not also open the Kubernetes API.
 */
export function irsaApiExtraArgs(
  settings: IrsaSettings,
): Required<Pick<ApiExtraArgsInput, "serviceAccountIssuer" | "serviceAccountJwksUri" | "apiAudiences">> {
  const audiences = [CK_DEFAULT_ISSUER, settings.issuerUrl].filter((a, i, all) => all.indexOf(a) === i);
  return {
    serviceAccountIssuer: settings.issuerUrl,
    serviceAccountJwksUri: jwksUri(settings.issuerUrl),
    apiAudiences: audiences,
  };
}

/**
 * What merging these flags does, for the get-control-plane-config output. kube-apiserver accepts several
 * --service-account-issuer flags ("the first is used to generate tokens and all are used to determine which
 * issuers are accepted"), but CK's api-extra-args is parsed into a dict (charm-lib-kubernetes-snaps
 * parse_extra_args) merged over the charm's own args (configure_kubernetes_service): one value per flag.
 * The flag is a StringArray, so a comma-joined value would be one (invalid) issuer, not two.
 */
export const ISSUER_CHANGE_CONSEQUENCE =
  `Charmed Kubernetes' api-extra-args holds one value per flag, so service-account-issuer replaces ${CK_DEFAULT_ISSUER} ` +
  `instead of adding to it: service-account tokens issued before the change (iss ${CK_DEFAULT_ISSUER}) stop ` +
  "validating until kubelet refreshes them; restart pods that cannot wait, and re-issue tokens made with " +
  "`kubectl create token` that are kept outside the cluster.";
