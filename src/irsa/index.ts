// IAM roles for service accounts: settings, the pod identity webhook's objects, the issuer flags, and the
// discovery documents AWS needs. Pure functions, callable from any reconcile; the observe step reads the
// served documents with src/k8s/read-discovery.ts.
export {
  CK_DEFAULT_ISSUER,
  ISSUER_CHANGE_CONSEQUENCE,
  irsaApiExtraArgs,
  JWKS_PATH,
  jwksUri,
  OPENID_CONFIG_PATH,
} from "./api-args.ts";
export { decideIrsa, type IrsaDecision, type IrsaObservation } from "./decide.ts";
export {
  checkDiscoveryDocuments,
  type DiscoveryActionInput,
  type DiscoveryActionResult,
  type DiscoveryCheck,
  type DiscoveryConfig,
  discoveryActionResult,
  discoveryObjectKeys,
  iamProviderId,
  issuerMismatch,
  oidcProviderArn,
  type ServedDiscovery,
  type TrustPolicyInput,
  trustPolicy,
} from "./discovery.ts";
export {
  DEFAULT_ANNOTATION_PREFIX,
  DEFAULT_TOKEN_AUDIENCE,
  DEFAULT_WEBHOOK_IMAGE,
  IRSA_HINTS,
  IRSA_OPTIONS,
  type IrsaParse,
  type IrsaSettings,
  issuerUrlProblem,
  parseIrsaSettings,
  WEBHOOK_METRICS_PORT,
  WEBHOOK_PORT,
} from "./settings.ts";
export {
  ADMISSION_REVIEW_VERSIONS,
  buildIrsaObjects,
  buildMutatingWebhookConfiguration,
  buildWebhookDaemonSet,
  buildWebhookRbac,
  buildWebhookServiceAccount,
  IRSA_OWNED_KINDS,
  type WebhookSpec,
  webhookArgs,
  webhookObjectName,
  webhookSelectorLabels,
  webhookUrl,
} from "./webhook.ts";
