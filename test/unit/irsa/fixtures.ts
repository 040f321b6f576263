/** IRSA settings shared by the IRSA unit tests: IRSA on, every other option at its default. */
import type { IrsaSettings } from "../../../src/irsa/settings.ts";

export const ISSUER = "https://irsa-bucket.s3.eu-west-1.amazonaws.com/prod";
export const SETTINGS: IrsaSettings = {
  issuerUrl: ISSUER,
  webhookImage: "public.ecr.aws/eks/amazon-eks-pod-identity-webhook:v0.6.17",
  tokenAudience: "sts.amazonaws.com",
  defaultRegion: undefined,
  stsRegionalEndpoints: true,
  annotationPrefix: "eks.amazonaws.com",
};

/** A served document pair with every problem checkDiscoveryDocuments finds, in the order it lists them. */
export const BROKEN_DOCUMENTS = {
  config: JSON.stringify({ issuer: "http://x", response_types_supported: ["code"] }),
  jwks: JSON.stringify({ keys: [{ kty: "RSA", n: "a+b" }] }),
};
export const BROKEN_PROBLEMS = [
  "openid-configuration: issuer is not an https URL",
  "openid-configuration: jwks_uri is not an https URL",
  "openid-configuration: response_types_supported does not list id_token",
  "openid-configuration: subject_types_supported is missing",
  "openid-configuration: id_token_signing_alg_values_supported is missing",
  "jwks: key 0 has no kid",
  "jwks: key 0 has no base64url n",
  "jwks: key 0 has no base64url e",
];
