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
