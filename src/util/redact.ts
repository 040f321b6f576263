/** Removes anything secret from text bound for a log line or a status: PEM
 * bodies (keys, certificates, CSRs), AWS IAM tokens and bearer tokens. */
const PEM_BLOCK = /-----BEGIN ([A-Z0-9 ]+)-----[\s\S]*?(?:-----END \1-----|$)/g;
const IAM_TOKEN = /k8s-aws-v1\.[A-Za-z0-9_-]+/g;
const BEARER = /(bearer\s+|token["']?\s*[:=]\s*["']?)[A-Za-z0-9._~+/-]{8,}=*/gi;

export function redact(text: string): string {
  return text
    .replace(PEM_BLOCK, (_block, label: string) => `<${label.toLowerCase()} redacted>`)
    .replace(IAM_TOKEN, "k8s-aws-v1.<redacted>")
    .replace(BEARER, (_match, prefix: string) => `${prefix}<redacted>`);
}
