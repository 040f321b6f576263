// AWS partitions: which the server accepts, which regions belong to each, and which image knows which.
//
// kubernetes-sigs/aws-iam-authenticator @ 81b1daba pkg/endpoints/partitions.go PARTITIONS: aws, aws-cn,
// aws-us-gov, aws-iso, aws-iso-b, aws-iso-e, aws-iso-f, aws-eusc; cmd/aws-iam-authenticator/root.go getConfig
// refuses any other server.partition ("invalid partition") and the server does not start.
// Up to v0.7.4 (the charm's default image) the list came from aws-sdk-go v1.55.7 endpoints.DefaultPartitions
// (root.go at v0.7.4), which the hard-coded list replaced in 12997cdf (v0.7.5) with the same seven;
// aws-eusc was added in 19bccc82, first released in v0.7.7.
import {
  atLeast,
  imageSupport,
  imageTag,
  MIN_SERVER_VERSION,
  parseServerVersion,
  reservedPrefixBackends,
  type ServerVersion,
} from "../workload/manifests/server-version.ts";
import { type BackendMode, PARTITIONS, type Partition } from "../workload/manifests/spec.ts";

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

/** The first release that knows each partition newer than the charm's oldest supported server. */
const FIRST_RELEASE: Partial<Record<Partition, ServerVersion>> = {
  "aws-eusc": { major: 0, minor: 7, patch: 7 },
};

const named = (version: ServerVersion): string => `v${version.major}.${version.minor}.${version.patch}`;

/** The blocked message when the image's tag is a release older than the partition, else undefined.
 * An image pinned by digest alone cannot be read, and the operator vouches for it. */
export function partitionImageProblem(partition: Partition, image: string): string | undefined {
  const first = FIRST_RELEASE[partition];
  const tag = imageTag(image);
  const version = tag === undefined ? undefined : parseServerVersion(tag);
  if (first === undefined || version === undefined || atLeast(version, first)) return undefined;
  return `partition: "${partition}" is unknown to aws-iam-authenticator before ${named(first)} and image is ${named(version)}; expected an image at ${named(first)} or later, or another partition`;
}

/**
 * The blocked message when reserved-username-prefixes are set but no configured backend enforces them on
 * the image's server version (src/workload/manifests/server-version.ts reservedPrefixBackends: MountedFile
 * from v0.6.6, CRD and EKSConfigMap from v0.7.17): a list nothing enforces would look like protection and
 * be none. The same rule decides which backends the server config lists them for.
 */
export function reservedPrefixProblem(
  prefixes: readonly string[],
  modes: readonly BackendMode[],
  image: string,
): string | undefined {
  if (prefixes.length === 0) return undefined;
  const support = imageSupport(image);
  if (!support.supported) return undefined; // the image itself is refused, with its own message
  if (reservedPrefixBackends(modes, support.version).length > 0) return undefined;
  const server =
    support.version === undefined
      ? `an image pinned by digest alone (read as ${named(MIN_SERVER_VERSION)})`
      : `image ${named(support.version)}`;
  return `reserved-username-prefixes: no backend in backend-mode "${modes.join(",")}" enforces them on ${server} (MountedFile does from v0.6.6, CRD and EKSConfigMap from v0.7.17); expected MountedFile in backend-mode, an image tagged v0.7.17 or later, or the option left empty`;
}
