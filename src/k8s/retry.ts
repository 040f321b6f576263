// Bounded retry of one idempotent request (GET, server-side apply, DELETE are all safe to repeat).
import { classify } from "./classify.ts";
import { KubeUnreachable } from "./errors.ts";

export type Sleep = (ms: number) => Promise<void>;

export interface RetryPolicy {
  /** Extra attempts after the first. */
  readonly retries: number;
  /** Wait before retry i (0-based) is backoffMs * 2^i. */
  readonly backoffMs: number;
  readonly sleep: Sleep;
}

export const realSleep: Sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

export const DEFAULT_RETRY: RetryPolicy = { retries: 2, backoffMs: 250, sleep: realSleep };

/**
 * Runs `request` until it succeeds, is rejected (4xx: thrown at once as KubeRejected), or has failed
 * transiently 1 + retries times (thrown as KubeUnreachable). Unknown errors are bugs and pass through.
 */
export async function withRetry<T>(
  what: string,
  request: () => Promise<T>,
  policy: RetryPolicy,
  secrets: readonly string[] = [],
): Promise<T> {
  for (let attempt = 0; ; attempt++) {
    try {
      return await request();
    } catch (error) {
      const classified = classify(error, what, secrets);
      if (classified.kind === "unknown") throw error;
      if (classified.kind === "rejected") throw classified.error;
      if (attempt >= policy.retries) {
        const last = classified.error;
        throw new KubeUnreachable(last.detail, `${last.message} (after ${attempt + 1} attempts)`);
      }
      await policy.sleep(policy.backoffMs * 2 ** attempt);
    }
  }
}
