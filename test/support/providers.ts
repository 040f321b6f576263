/** Certificate providers for emulated deployments: their metadata beside their stand-ins. */
import { CsrProviderCharm, type CsrProviderOptions } from "../emulator/charms/csr-provider.ts";
import { EasyrsaCharm } from "../emulator/charms/easyrsa.ts";
import { VaultLegacyCharm } from "../emulator/charms/vault-legacy.ts";
import { charmMetaFromYaml } from "../emulator/juju/charm-meta.ts";
import type { RemoteCharm } from "../emulator/juju/remote-charm.ts";
import type { ExtraApp } from "./deployments.ts";

const providerMeta = (name: string, endpoint: string) =>
  charmMetaFromYaml({ name, provides: { [endpoint]: { interface: "tls-certificates" } } });

/** easyrsa signs with the real easy-rsa tool; it provides `client`. */
export function easyrsa(): ExtraApp & { standIn: EasyrsaCharm } {
  return { meta: providerMeta("easyrsa", "client"), standIn: new EasyrsaCharm() };
}

/** The reactive vault charm (legacy protocol); it provides `certificates`. */
export function vaultLegacy(
  mode: "root" | "intermediate" = "intermediate",
): ExtraApp & { standIn: VaultLegacyCharm } {
  return { meta: providerMeta("vault", "certificates"), standIn: new VaultLegacyCharm({ mode }) };
}

/** vault 1.15+ or self-signed-certificates (CSR protocol). */
export function csrProvider(
  options: CsrProviderOptions & { name?: string } = {},
): ExtraApp & { standIn: CsrProviderCharm } {
  const name = options.name ?? (options.flavour === "self-signed" ? "self-signed-certificates" : "vault");
  return { meta: providerMeta(name, "certificates"), standIn: new CsrProviderCharm(options) };
}

/** A provider that answers nothing: enough to exercise the relation's hooks. */
export function silentProvider(name = "easyrsa", endpoint = "client"): ExtraApp {
  const standIn: RemoteCharm = { charm: name, onRelationEvent: async () => ({}) };
  return { meta: providerMeta(name, endpoint), standIn };
}
