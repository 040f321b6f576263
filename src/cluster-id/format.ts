// The authenticator cluster ID: sent by clients as the signed `x-k8s-aws-id` header and compared by the
// server with its own `clusterID`. Upstream only requires it to be non-empty, and it is not a secret — it
// just has to be unique per cluster so tokens minted for one cluster fail on another.
//
// We accept the EKS cluster-name rule (alphanumerics, '-' and '_', starting alphanumeric, 1..100 chars)
// because the same value is also an HTTP header value (SigV4 trims and folds whitespace), a CLI argument in
// every user's kubeconfig, `aws eks get-token --cluster-name <id>`, and a YAML scalar. The old charm's
// 24-alphanumeric IDs satisfy it, so an ID carried over from it stays valid.

const CLUSTER_ID_MAX_LENGTH = 100;
const GENERATED_CLUSTER_ID_LENGTH = 24;

const ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
// Largest multiple of 62 below 256: bytes at or above it are rejected so every character is equally likely.
const UNBIASED_LIMIT = 256 - (256 % ALPHABET.length);

/** 24 characters from [A-Za-z0-9] (~143 bits). Production passes node:crypto's randomBytes. */
export function generateClusterId(randomBytes: (n: number) => Buffer): string {
  let id = "";
  for (let round = 0; id.length < GENERATED_CLUSTER_ID_LENGTH; round++) {
    // A healthy RNG rejects ~3% of bytes; only a broken one gets here.
    if (round === 100) throw new Error("random source keeps returning unusable bytes");
    for (const byte of randomBytes(GENERATED_CLUSTER_ID_LENGTH * 2)) {
      if (byte >= UNBIASED_LIMIT) continue;
      id += ALPHABET[byte % ALPHABET.length];
      if (id.length === GENERATED_CLUSTER_ID_LENGTH) break;
    }
  }
  return id;
}

/** undefined when valid; otherwise a message saying exactly what is wrong. */
export function validateClusterId(s: string): string | undefined {
  if (s.length === 0) return "cluster-id is empty";
  if (s.length > CLUSTER_ID_MAX_LENGTH) {
    return `cluster-id is ${s.length} characters long; the maximum is ${CLUSTER_ID_MAX_LENGTH}`;
  }
  if (!/^[A-Za-z0-9]/.test(s)) return "cluster-id must start with a letter or digit";
  const bad = Array.from(s).find((c) => !/^[A-Za-z0-9_-]$/.test(c));
  if (bad !== undefined) {
    return `cluster-id contains ${JSON.stringify(bad)}; only letters, digits, '-' and '_' are allowed`;
  }
  return undefined;
}
