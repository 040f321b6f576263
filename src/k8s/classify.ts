// Sorts whatever a client-node call threw into: retry it, the server refused it, or a bug of ours.
import { KubeRejected, KubeUnreachable } from "./errors.ts";
import { scrub } from "./scrub.ts";

export type Classified =
  | { readonly kind: "transient"; readonly error: KubeUnreachable }
  | { readonly kind: "rejected"; readonly error: KubeRejected }
  | { readonly kind: "unknown" };

/** Socket-level failures worth another try (node-fetch puts the errno code on FetchError.code). */
const NETWORK_CODES = new Set([
  "ECONNREFUSED",
  "ECONNRESET",
  "ETIMEDOUT",
  "EHOSTUNREACH",
  "ENETUNREACH",
  "ENOTFOUND",
  "EAI_AGAIN",
  "EPIPE",
  "UND_ERR_SOCKET",
]);

interface StatusBody {
  reason?: string;
  message?: string;
}

function parseStatus(body: unknown): StatusBody {
  if (typeof body === "string") {
    try {
      return parseStatus(JSON.parse(body));
    } catch {
      return {};
    }
  }
  if (body !== null && typeof body === "object") {
    const { reason, message } = body as Record<string, unknown>;
    return {
      ...(typeof reason === "string" && { reason }),
      ...(typeof message === "string" && { message }),
    };
  }
  return {};
}

function field(error: object, key: string): unknown {
  return (error as Record<string, unknown>)[key];
}

/**
 * `what` names the request ("apply DaemonSet kube-system/x") and `secrets` are values to hide; the thrown
 * error's own message is never reused as is (client-node's ApiException embeds the whole response body).
 */
export function classify(error: unknown, what: string, secrets: readonly string[] = []): Classified {
  if (error === null || typeof error !== "object") return { kind: "unknown" };
  const code = field(error, "code");
  const name = field(error, "name");

  // ApiException: a numeric HTTP status and the Status body as text.
  if (typeof code === "number") {
    const status = parseStatus(field(error, "body"));
    const reason = status.reason ?? `HTTP ${code}`;
    const message = scrub(status.message ?? "", secrets);
    if (code >= 500 || code === 429) {
      const detail = `${code} ${reason}`;
      return {
        kind: "transient",
        error: new KubeUnreachable(
          detail,
          `${what}: API server answered ${detail}${message ? `: ${message}` : ""}`,
        ),
      };
    }
    return {
      kind: "rejected",
      error: new KubeRejected(
        code,
        reason,
        `${what} rejected (${code} ${reason})${message ? `: ${message}` : ""}`,
      ),
    };
  }
  if (name === "AbortError" || name === "TimeoutError") {
    return { kind: "transient", error: new KubeUnreachable("timeout", `${what}: no answer in time`) };
  }
  const errno = typeof code === "string" ? code : field(error, "errno");
  if (typeof errno === "string" && NETWORK_CODES.has(errno)) {
    return { kind: "transient", error: new KubeUnreachable(errno, `${what}: ${errno}`) };
  }
  // node-fetch reports a dropped connection as FetchError type "system" with a message but sometimes no code.
  if (name === "FetchError" && error instanceof Error) {
    const detail = /socket hang up/i.test(error.message) ? "ECONNRESET" : "network error";
    return { kind: "transient", error: new KubeUnreachable(detail, `${what}: ${detail}`) };
  }
  return { kind: "unknown" };
}
