// The exact `juju config` commands an operator runs so the current (ops) kubernetes-control-plane, which
// has no aws-iam endpoint, sends tokens to us. A subordinate cannot change its principal's config itself.
import { webhookEndpointUrl } from "./webhook-endpoint.ts";

// Juju's application-name rule (names.IsValidApplication).
const JUJU_APP_NAME = /^[a-z][a-z0-9]*(-[a-z0-9]*[a-z][a-z0-9]*)*$/;

/** POSIX-shell quoting: bare when safe, otherwise single quotes. */
function shellQuote(s: string): string {
  if (/^[A-Za-z0-9_./:=@%+,-]+$/.test(s)) return s;
  return `'${s.replaceAll("'", `'\\''`)}'`;
}

export interface OperatorConfigLinesInput {
  /** The control-plane application name, e.g. "kubernetes-control-plane". */
  app: string;
  port: number;
  /** Output of renderApiExtraArgs; "" when we need no extra flags. */
  apiExtraArgs: string;
}

export interface OperatorConfigLines {
  authnWebhookEndpoint: string;
  /** "" when there are no flags to add. */
  apiExtraArgs: string;
  /** "" when apiExtraArgs is "". */
  warning: string;
  /** Undo for authnWebhookEndpoint, for when the charm is removed. */
  resetAuthnWebhookEndpoint: string;
}

export function operatorConfigLines({
  app,
  port,
  apiExtraArgs,
}: OperatorConfigLinesInput): OperatorConfigLines {
  if (!JUJU_APP_NAME.test(app)) throw new RangeError(`${JSON.stringify(app)} is not a Juju application name`);
  const endpoint = webhookEndpointUrl(port);
  const args = apiExtraArgs.trim();
  return {
    authnWebhookEndpoint: `juju config ${app} authn-webhook-endpoint=${endpoint}`,
    apiExtraArgs: args === "" ? "" : `juju config ${app} ${shellQuote(`api-extra-args=${args}`)}`,
    warning:
      args === ""
        ? ""
        : `api-extra-args replaces the whole option: first read the current value with ` +
          `\`juju config ${app} api-extra-args\` and merge these flags into it, or other flags set there are lost.`,
    resetAuthnWebhookEndpoint: `juju config ${app} --reset authn-webhook-endpoint`,
  };
}
