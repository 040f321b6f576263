// The one URL both control-plane generations call: the authenticator listens on the host's loopback
// (hostNetwork DaemonSet), so the same URL is right on every control-plane unit, which suits the
// application-wide `authn-webhook-endpoint` option of the current control plane.

export function assertPort(port: number): void {
  if (!Number.isInteger(port) || port < 1 || port > 65535) {
    throw new RangeError(`port must be an integer from 1 to 65535, got ${port}`);
  }
}

export function webhookEndpointUrl(port: number): string {
  assertPort(port);
  return `https://127.0.0.1:${port}/authenticate`;
}
