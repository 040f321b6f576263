/** What an action handler answers; the dispatcher turns it into action-set or action-fail. */
export type ActionOutcome =
  | { readonly ok: true; readonly results: Readonly<Record<string, string>> }
  | { readonly ok: false; readonly message: string };

/** Juju action parameters as action-get returns them (validated against actions.yaml by Juju). */
export type ActionParams = Readonly<Record<string, unknown>>;
