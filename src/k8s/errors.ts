// The few ways talking to Kubernetes goes wrong, as the reconcile needs to tell them apart.
// No client-node import: the reconcile may check these without loading the client.

/** Base of every Kubernetes failure the adapter reports; messages never carry Secret data or tokens. */
export abstract class KubeError extends Error {
  /** True when the same request may succeed on a later hook without anyone changing anything. */
  abstract readonly retryable: boolean;
}

export type UnavailableReason = "missing-kubeconfig" | "unreadable-kubeconfig" | "no-current-context";

/** No usable connection at all: the admin kubeconfig is absent, unparsable or names no cluster. */
export class KubeUnavailable extends KubeError {
  readonly retryable = true;
  readonly reason: UnavailableReason;
  readonly path: string;

  constructor(reason: UnavailableReason, path: string, message: string) {
    super(message);
    this.name = "KubeUnavailable";
    this.reason = reason;
    this.path = path;
  }
}

/** The API server did not answer usefully (refused, reset, timed out, 5xx/429) after bounded retries. */
export class KubeUnreachable extends KubeError {
  readonly retryable = true;
  /** Short cause, e.g. "ECONNREFUSED", "timeout", "503 ServiceUnavailable". */
  readonly detail: string;

  constructor(detail: string, message: string) {
    super(message);
    this.name = "KubeUnreachable";
    this.detail = detail;
  }
}

/** The API server answered with a 4xx Status: the request itself is wrong or not allowed. */
export class KubeRejected extends KubeError {
  readonly code: number;
  /** metav1.Status reason, e.g. "Conflict", "Invalid", "Forbidden", "NotFound". */
  readonly reason: string;

  constructor(code: number, reason: string, message: string) {
    super(message);
    this.name = "KubeRejected";
    this.code = code;
    this.reason = reason;
  }

  get retryable(): boolean {
    // Conflicts and throttling clear up by themselves; Invalid/Forbidden need someone to act.
    return this.code === 409 || this.code === 429;
  }
}

/** Something we wait for in the hook (e.g. a CRD becoming Established) did not happen in time. */
export class KubeNotReady extends KubeError {
  readonly retryable = true;

  constructor(message: string) {
    super(message);
    this.name = "KubeNotReady";
  }
}
