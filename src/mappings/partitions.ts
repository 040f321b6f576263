// AWS partitions: which the server accepts, which regions belong to each, and which image knows which.
//
// kubernetes-sigs/aws-iam-authenticator @ 81b1daba pkg/endpoints/partitions.go PARTITIONS: aws, aws-cn,
// aws-us-gov, aws-iso, aws-iso-b, aws-iso-e, aws-iso-f, aws-eusc; cmd/aws-iam-authenticator/root.go getConfig
// refuses any other server.partition ("invalid partition") and the server does not start.
// Up to v0.7.4 (the charm's default image) the list came from aws-sdk-go v1.55.7 endpoints.DefaultPartitions
// (root.go at v0.7.4), which the hard-coded list replaced in 12997cdf (v0.7.5) with the same seven;
// aws-eusc was added in 19bccc82, first released in v0.7.7.
import { PARTITIONS, type Partition } from "../k8s/manifests/spec.ts";

export { PARTITIONS, type Partition };

/**
 * Region names per partition: aws/aws-sdk-go-v2 internal/endpoints/awsrulesfn/partitions.json regionRegex
 * (aws-eusc by its eusc- prefix, inference from its region names). Commercial `aws` takes every region no
 * other partition claims, so new commercial prefixes keep working.
 */
const REGION_PATTERNS: Readonly<Record<Exclude<Partition, "aws">, RegExp>> = {
  "aws-cn": /^cn-\w+-\d+$/,
  "aws-us-gov": /^us-gov-\w+-\d+$/,
  "aws-iso": /^us-iso-\w+-\d+$/,
  "aws-iso-b": /^us-isob-\w+-\d+$/,
  "aws-iso-e": /^eu-isoe-\w+-\d+$/,
  "aws-iso-f": /^us-isof-\w+-\d+$/,
  "aws-eusc": /^eusc-[a-z]+-\w+-\d+$/,
};
const REGION = /^[a-z]{2,5}(-[a-z]+)+-\d+$/;

/** The partition a region name belongs to, or undefined for something that is not a region name. */
export function partitionOfRegion(region: string): Partition | undefined {
  if (!REGION.test(region)) return undefined;
  for (const [partition, pattern] of Object.entries(REGION_PATTERNS)) {
    if (pattern.test(region)) return partition as Partition;
  }
  return "aws";
}

/** An example region per partition, for messages. */
export const EXAMPLE_REGION: Readonly<Record<Partition, string>> = {
  aws: "us-east-1",
  "aws-cn": "cn-north-1",
  "aws-us-gov": "us-gov-west-1",
  "aws-iso": "us-iso-east-1",
  "aws-iso-b": "us-isob-east-1",
  "aws-iso-e": "eu-isoe-west-1",
  "aws-iso-f": "us-isof-south-1",
  "aws-eusc": "eusc-de-east-1",
};

const FIRST_RELEASE: Partial<Record<Partition, readonly [number, number, number]>> = {
  "aws-eusc": [0, 7, 7],
};

/** The blocked message when the image's tag is a release older than the partition, else undefined. */
export function partitionImageProblem(partition: Partition, image: string): string | undefined {
  const first = FIRST_RELEASE[partition];
  const tag = /:v?(\d+)\.(\d+)\.(\d+)[^/@]*(@|$)/.exec(image);
  if (first === undefined || tag === null) return undefined;
  const version = [Number(tag[1]), Number(tag[2]), Number(tag[3])] as const;
  const older =
    version[0] !== first[0]
      ? version[0] < first[0]
      : version[1] !== first[1]
        ? version[1] < first[1]
        : version[2] < first[2];
  if (!older) return undefined;
  return `partition: "${partition}" is unknown to aws-iam-authenticator before v${first.join(".")} and image is v${version.join(".")}; expected an image at v${first.join(".")} or later, or another partition`;
}
