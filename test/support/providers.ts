/** A certificates provider that answers nothing: enough to exercise the relation's hooks
 * before the certificate flow matters. */
import { charmMetaFromYaml } from "../emulator/juju/charm-meta.ts";
import type { RemoteCharm } from "../emulator/juju/remote-charm.ts";
import type { ExtraApp } from "./deployments.ts";

export function silentProvider(name = "easyrsa", endpoint = "client"): ExtraApp {
  const standIn: RemoteCharm = { charm: name, onRelationEvent: async () => ({}) };
  return {
    meta: charmMetaFromYaml({ name, provides: { [endpoint]: { interface: "tls-certificates" } } }),
    standIn,
  };
}
