// IAM roles for service accounts (IRSA): the charm options, checked and typed. Pure: no I/O.
import { IMAGE_PATTERN } from "../config/image-pattern.ts";

/** IRSA is on when this is present; the issuer URL being empty means off and nothing deployed. */
export interface IrsaSettings {
  /** Public https URL the API server puts in `iss` and where AWS STS fetches the discovery documents. */
  readonly issuerUrl: string;
  readonly webhookImage: string;
  /** `--token-audience`: the `aud` of the projected token, which must be a client ID of the IAM OIDC provider. */
  readonly tokenAudience: string;
  /** `--aws-default-region`; undefined leaves the SDK to find the region (on EC2, from instance metadata). */
  readonly defaultRegion: string | undefined;
  /** `--sts-regional-endpoint`: adds AWS_STS_REGIONAL_ENDPOINTS=regional to mutated containers. */
  readonly stsRegionalEndpoints: boolean;
  /** `--annotation-prefix`: the webhook reads `<prefix>/role-arn` (and audience, token-expiration, ...). */
  readonly annotationPrefix: string;
}

/** Option names, kebab-case as in config.yaml. */
export const IRSA_OPTIONS = {
  issuerUrl: "irsa-issuer-url",
  webhookImage: "irsa-webhook-image",
  tokenAudience: "irsa-token-audience",
  defaultRegion: "irsa-default-region",
  stsRegionalEndpoints: "irsa-sts-regional-endpoints",
  annotationPrefix: "irsa-annotation-prefix",
} as const;

/**
 * The newest release tag of aws/amazon-eks-pod-identity-webhook (git tag v0.6.17, 2026-05-18). Its
 * .github/workflows/build.yaml pushes every pushed ref as `public.ecr.aws/eks/amazon-eks-pod-identity-webhook:<ref name>`.
 */
export const DEFAULT_WEBHOOK_IMAGE = "public.ecr.aws/eks/amazon-eks-pod-identity-webhook:v0.6.17";
export const DEFAULT_TOKEN_AUDIENCE = "sts.amazonaws.com";
export const DEFAULT_ANNOTATION_PREFIX = "eks.amazonaws.com";

// CK renders every api-extra-args value as --key="value" inside a snap option: keep to characters that need
// no quoting there (same set as control-plane/api-extra-args.ts), and no comma, which splits --api-audiences.
const CK_SAFE = /^[A-Za-z0-9_.:/=@%+~-]+$/;
/** A Kubernetes DNS-1123 subdomain (k8s.io/apimachinery validation IsDNS1123Subdomain, without the length). */
export const DNS1123_SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
/** us-east-1, eu-central-2, us-gov-west-1, cn-north-1, us-isob-east-1, eusc-de-east-1 ... */
const AWS_REGION = /^[a-z]{2,4}(-[a-z]+)+-[0-9]+$/;

/** What each IRSA option must look like, for the blocked message (`<option> must be <hint>`). */
export const IRSA_HINTS: Readonly<Record<string, string>> = {
  [IRSA_OPTIONS.issuerUrl]:
    "empty (IRSA off) or an https URL with a host, no query, fragment, user info, comma or trailing '/', such as https://my-bucket.s3.us-east-1.amazonaws.com/my-cluster",
  [IRSA_OPTIONS.webhookImage]:
    "an image reference such as public.ecr.aws/eks/amazon-eks-pod-identity-webhook:v0.6.17",
  [IRSA_OPTIONS.tokenAudience]: "a non-empty audience without spaces or commas, such as sts.amazonaws.com",
  [IRSA_OPTIONS.defaultRegion]: "empty or an AWS region such as us-east-1",
  [IRSA_OPTIONS.stsRegionalEndpoints]: "true or false",
  [IRSA_OPTIONS.annotationPrefix]:
    "a lowercase DNS subdomain of at most 253 characters, such as eks.amazonaws.com",
};

/**
 * Why `value` cannot be the service-account issuer, or undefined when it can. kube-apiserver only serves
 * discovery for an https issuer without query or fragment (pkg/serviceaccount/openidmetadata.go
 * NewOpenIDMetadataProvider); the trailing '/' is refused because STS compares `iss` with "https://" plus the
 * IAM provider URL, and the object keys are the issuer path plus "/.well-known/...".
 */
export function issuerUrlProblem(value: string): string | undefined {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return "is not a URL";
  }
  if (url.protocol !== "https:") return "must use https";
  // kube-apiserver reads the flag with Go's net/url, not WHATWG URL: Go finds no host in https:///h/p or
  // https:/h/p, and refuses to start at all on a '%' that is no escape or an escaped ASCII byte in the host
  // (any '%' in the host is refused here: no S3 or CloudFront host has one) (golang/go src/net/url/url.go parse, unescape; pkg/kubeapiserver/options/authentication.go Validate).
  if (url.hostname === "" || !/^https:\/\/[^/]/i.test(value)) return "has no host";
  if (/%(?![0-9A-Fa-f]{2})/.test(value) || (value.slice(8).split("/")[0] ?? "").includes("%"))
    return "has a '%' that kube-apiserver cannot parse";
  if (url.username !== "" || url.password !== "") return "must not carry user info";
  if (url.search !== "" || value.includes("?")) return "must not have a query";
  if (url.hash !== "" || value.includes("#")) return "must not have a fragment";
  if (value.endsWith("/")) return "must not end with '/'";
  if (!CK_SAFE.test(value)) return "has characters the control plane's api-extra-args cannot carry";
  return undefined;
}

export type IrsaParse =
  | { readonly ok: true; readonly irsa: IrsaSettings | undefined }
  | { readonly ok: false; readonly invalidKeys: readonly string[] };

/**
 * The IRSA options of raw config-get output: undefined when the issuer is empty (IRSA off; the other options
 * are then not checked, so a half-filled form never blocks the authenticator). `authenticatorPort` is checked
 * against the webhook's fixed host ports, which only matter when IRSA is on.
 */
export function parseIrsaSettings(
  raw: Readonly<Record<string, unknown>>,
  authenticatorPort: unknown,
): IrsaParse {
  const issuer = raw[IRSA_OPTIONS.issuerUrl];
  if (issuer === "" || issuer === undefined) return { ok: true, irsa: undefined };
  const invalid: string[] = [];
  const image = raw[IRSA_OPTIONS.webhookImage];
  const audience = raw[IRSA_OPTIONS.tokenAudience];
  const region = raw[IRSA_OPTIONS.defaultRegion];
  const regional = raw[IRSA_OPTIONS.stsRegionalEndpoints];
  const prefix = raw[IRSA_OPTIONS.annotationPrefix];
  if (typeof issuer !== "string" || issuerUrlProblem(issuer) !== undefined)
    invalid.push(IRSA_OPTIONS.issuerUrl);
  if (typeof image !== "string" || !new RegExp(IMAGE_PATTERN).test(image))
    invalid.push(IRSA_OPTIONS.webhookImage);
  if (typeof audience !== "string" || !/^[^\s,]+$/.test(audience)) invalid.push(IRSA_OPTIONS.tokenAudience);
  if (typeof region !== "string" || (region !== "" && !AWS_REGION.test(region)))
    invalid.push(IRSA_OPTIONS.defaultRegion);
  if (typeof regional !== "boolean") invalid.push(IRSA_OPTIONS.stsRegionalEndpoints);
  if (typeof prefix !== "string" || prefix.length > 253 || !DNS1123_SUBDOMAIN.test(prefix))
    invalid.push(IRSA_OPTIONS.annotationPrefix);
  if (typeof authenticatorPort === "number" && WEBHOOK_HOST_PORTS.includes(authenticatorPort))
    invalid.push("port");
  if (invalid.length > 0) return { ok: false, invalidKeys: invalid };
  return {
    ok: true,
    irsa: {
      issuerUrl: issuer as string,
      webhookImage: image as string,
      tokenAudience: audience as string,
      defaultRegion: region === "" ? undefined : (region as string),
      stsRegionalEndpoints: regional as boolean,
      annotationPrefix: prefix as string,
    },
  };
}

/** HTTPS port of the webhook on every control-plane host's loopback (next to the authenticator's 21362/21363). */
export const WEBHOOK_PORT = 21364;
/** The webhook's plain-HTTP Prometheus listener (`--metrics-port`; upstream's default 9999 is too common). */
export const WEBHOOK_METRICS_PORT = 21365;
export const WEBHOOK_HOST_PORTS: readonly number[] = [WEBHOOK_PORT, WEBHOOK_METRICS_PORT];
/** Why the authenticator `port` is refused while IRSA is on. */
export const PORT_HINT_WITH_IRSA = `other than ${WEBHOOK_PORT} and ${WEBHOOK_METRICS_PORT} (the pod identity webhook's host ports) while IRSA is on`;
