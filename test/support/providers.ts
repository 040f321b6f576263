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

/** The reactive vault charm (legacy protocol, tracks ≤ 1.8); it provides `certificates`. */
export function vaultLegacy(
  mode: "root" | "intermediate" = "intermediate",
): ExtraApp & { standIn: VaultLegacyCharm } {
  return { meta: providerMeta("vault", "certificates"), standIn: new VaultLegacyCharm({ mode }) };
}

/** vault 1.15+ (machine and k8s charms provide `vault-pki`: canonical/vault-k8s-operator
 * machine/charmcraft.yaml, k8s/charmcraft.yaml) or self-signed-certificates (`certificates`). */
export function csrProvider(
  options: CsrProviderOptions & { name?: string } = {},
): ExtraApp & { standIn: CsrProviderCharm } {
  const selfSigned = options.flavour === "self-signed";
  const name = options.name ?? (selfSigned ? "self-signed-certificates" : "vault");
  const endpoint = selfSigned ? "certificates" : "vault-pki";
  return { meta: providerMeta(name, endpoint), standIn: new CsrProviderCharm(options) };
}

/** A provider that answers nothing: enough to exercise the relation's hooks. */
export function silentProvider(name = "easyrsa", endpoint = "client"): ExtraApp {
  const standIn: RemoteCharm = { charm: name, onRelationEvent: async () => ({}) };
  return { meta: providerMeta(name, endpoint), standIn };
}
