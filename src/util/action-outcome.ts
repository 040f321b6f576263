/** What an action handler answers; the dispatcher turns it into action-set or action-fail. */
export type ActionOutcome =
  | { readonly ok: true; readonly results: Readonly<Record<string, string>> }
  | { readonly ok: false; readonly message: string };

/** Juju action parameters as action-get returns them (validated against actions.yaml by Juju). */
export type ActionParams = Readonly<Record<string, unknown>>;

/** The adapter's Kubernetes failures (src/k8s/errors.ts), told apart by name so features need not load it. */
const KUBE_ERRORS = new Set(["KubeUnavailable", "KubeUnreachable", "KubeRejected", "KubeNotReady"]);

/** The message of a Kubernetes failure an action reports (never Secret data: the adapter scrubs it);
 * anything else is a bug and is rethrown. */
export function kubeFailure(error: unknown): string {
  if (error instanceof Error && KUBE_ERRORS.has(error.name)) return error.message;
  throw error;
}
