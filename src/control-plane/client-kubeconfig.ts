// A kubeconfig for end users whose exec credential plugin mints aws-iam-authenticator tokens.
// Exec apiVersion v1beta1: v1alpha1 was removed in Kubernetes 1.24 (what the reactive control plane still
// wrote), and v1 makes interactiveMode mandatory and is newer than some kubectl versions in the field.
// Both token tools answer in whatever version KUBERNETES_EXEC_INFO asks for.

import { validateClusterId } from "../cluster-id/format.ts";
import { EXAMPLE_REGION, partitionOfRegion } from "../mappings/partitions.ts";
import { jsYaml } from "../util/lazy-module.ts";
import type { Partition } from "../workload/manifests/spec.ts";
import { normaliseCaPem } from "./ca-pem.ts";

export type TokenCommand = "aws-iam-authenticator" | "aws";

export interface ClientKubeconfigInput {
  /** Name of the cluster entry; also used to name the user and context. */
  clusterName: string;
  /** https URL of the API server (or its load balancer). */
  apiServerUrl: string;
  /** The cluster CA that signed the API server certificate. */
  apiServerCaPem: string;
  clusterId: string;
  /** IAM role ARN to assume before signing; omitted: sign with the caller's own credentials. */
  role?: string | undefined;
  /** STS region to sign for (mandatory outside the `aws` partition). */
  region?: string | undefined;
  /**
   * The partition the authenticator runs in (its `partition` config). Outside `aws` the token must be signed
   * for a regional STS endpoint of that partition: the server accepts the global sts.amazonaws.com only in
   * `aws` (upstream pkg/token/token.go verifySTSHostnameFormat), and without a region the token tool signs for
   * us-east-1 (pkg/token/token.go GetWithOptions: --region, else SDK config, else IMDS, else us-east-1).
   */
  partition?: Partition | undefined;
  /** Named AWS profile for the plugin's environment. */
  awsProfile?: string | undefined;
  command: TokenCommand;
}

const NAME = /^[A-Za-z0-9][A-Za-z0-9._-]{0,62}$/;
const ROLE_ARN = /^arn:aws[a-z-]*:iam::[0-9]{12}:role\/[\w+=,.@/-]+$/;
const REGION = /^[a-z]{2,4}(-[a-z]+)+-[0-9]+$/;
const PROFILE = /^[\w+=,.@-]+$/;

function check(ok: boolean, message: string): void {
  if (!ok) throw new RangeError(message);
}

function validate(input: ClientKubeconfigInput): void {
  check(NAME.test(input.clusterName), "clusterName must be 1-63 letters, digits, '.', '_' or '-'");
  const idProblem = validateClusterId(input.clusterId);
  if (idProblem !== undefined) throw new RangeError(idProblem);
  let url: URL | undefined;
  try {
    url = new URL(input.apiServerUrl);
  } catch {
    url = undefined;
  }
  check(url?.protocol === "https:", "apiServerUrl must be an https URL");
  check(input.role === undefined || ROLE_ARN.test(input.role), "role must be an IAM role ARN");
  check(input.region === undefined || REGION.test(input.region), "region must look like eu-west-1");
  partitionCheck(input);
  check(
    input.awsProfile === undefined || PROFILE.test(input.awsProfile),
    "awsProfile has invalid characters",
  );
}

function partitionCheck(input: ClientKubeconfigInput): void {
  const partition = input.partition;
  if (partition === undefined) return;
  const example = EXAMPLE_REGION[partition];
  if (input.region === undefined) {
    check(
      partition === "aws",
      `region is required in partition ${partition}, which has no global STS endpoint; expected a region such as ${example}`,
    );
  } else {
    const regionPartition = partitionOfRegion(input.region);
    check(
      regionPartition === partition,
      `region ${input.region} is in partition ${regionPartition}, not ${partition}; expected a region such as ${example}`,
    );
  }
  const rolePartition = input.role?.split(":")[1];
  check(
    rolePartition === undefined || rolePartition === partition,
    `role is in partition ${rolePartition}, not ${partition}; expected arn:${partition}:iam::<account>:role/<name>`,
  );
}

/** argv after the command, for each token tool. */
function execArgs(input: ClientKubeconfigInput): string[] {
  const { clusterId, role, region } = input;
  if (input.command === "aws-iam-authenticator") {
    return ["token", "-i", clusterId, ...(role ? ["-r", role] : []), ...(region ? ["--region", region] : [])];
  }
  // `aws eks get-token` signs --cluster-name into x-k8s-aws-id, so it works against any authenticator
  // whose clusterID matches. --output json guards against a user's default output of text/table.
  return [
    ...(region ? ["--region", region] : []),
    "eks",
    "get-token",
    "--cluster-name",
    clusterId,
    ...(role ? ["--role-arn", role] : []),
    "--output",
    "json",
  ];
}

function execEnv(input: ClientKubeconfigInput): { name: string; value: string }[] {
  const env: { name: string; value: string }[] = [];
  if (input.awsProfile) env.push({ name: "AWS_PROFILE", value: input.awsProfile });
  // Older SDKs (botocore, AWS CLI v1) sign for the global endpoint unless told otherwise.
  if (input.region) env.push({ name: "AWS_STS_REGIONAL_ENDPOINTS", value: "regional" });
  return env;
}

const INSTALL_HINT: Record<TokenCommand, string> = {
  "aws-iam-authenticator":
    "aws-iam-authenticator is required: https://github.com/kubernetes-sigs/aws-iam-authenticator/releases",
  aws: "The AWS CLI is required: https://docs.aws.amazon.com/cli/latest/userguide/getting-started-install.html",
};

export function renderClientKubeconfig(input: ClientKubeconfigInput): string {
  validate(input);
  const ca = normaliseCaPem(input.apiServerCaPem, "API server CA");
  const user = `aws-iam@${input.clusterName}`;
  const env = execEnv(input);
  const doc = {
    apiVersion: "v1",
    kind: "Config",
    clusters: [
      {
        name: input.clusterName,
        cluster: {
          server: input.apiServerUrl,
          "certificate-authority-data": Buffer.from(ca, "utf8").toString("base64"),
        },
      },
    ],
    users: [
      {
        name: user,
        user: {
          exec: {
            apiVersion: "client.authentication.k8s.io/v1beta1",
            command: input.command,
            args: execArgs(input),
            ...(env.length > 0 ? { env } : {}),
            // Lets assume-role MFA prompts reach the terminal when there is one.
            interactiveMode: "IfAvailable",
            provideClusterInfo: false,
            installHint: INSTALL_HINT[input.command],
          },
        },
      },
    ],
    contexts: [{ name: user, context: { cluster: input.clusterName, user } }],
    "current-context": user,
  };
  return jsYaml().dump(doc, { lineWidth: -1, noRefs: true });
}
