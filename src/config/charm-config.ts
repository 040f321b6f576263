import { parseRootCaOption, ROOT_CA_OPTION } from "../control-plane/root-ca.ts";
import { type IrsaSettings, PORT_HINT_WITH_IRSA, parseIrsaSettings } from "../irsa/settings.ts";
import {
  type MappingSettings,
  parseMappingOptions,
  parseReservedPrefixes,
  summariseProblems,
} from "../mappings/options.ts";
import { partitionImageProblem, reservedPrefixProblem } from "../mappings/partitions.ts";
import { ipFamily } from "../util/ip.ts";
import { imageSupport } from "../workload/manifests/server-version.ts";
import type { Partition } from "../workload/manifests/spec.ts";
import { BACKEND_MODES, type BackendMode } from "../workload/manifests/spec.ts";
import { CONFIG_HINTS } from "./schema.ts";
import { validateConfig } from "./validate-config.ts";

/** The validated, typed configuration the rest of the charm uses. */
export interface CharmConfig {
  readonly image: string;
  readonly port: number;
  readonly clusterId: string | undefined;
  readonly backendModes: readonly BackendMode[];
  readonly tokenWebhookCacheTtl: string | undefined;
  /** On removal, also delete the shared IAMIdentityMapping CRD (and every mapping) when unused. */
  readonly removeCrdOnRemoval: boolean;
  readonly installCaToHost: boolean;
  /** `root-ca-certificate`: the self-signed root above the provider's CA (canonical PEM), for the host
   * trust store when the provider sends none. */
  readonly rootCaCertificate?: string | undefined;
  /** The server certificate's common name (the loopback SANs are always added). */
  readonly certificateCommonName: string;
  /** partition, reserved-username-prefixes and the validated mapping options. */
  readonly mappingSettings: MappingSettings;
  /** IAM roles for service accounts; absent when `irsa-issuer-url` is empty (IRSA off, nothing deployed). */
  readonly irsa?: IrsaSettings | undefined;
}

export type ConfigResult =
  | { readonly ok: true; readonly config: CharmConfig }
  | { readonly ok: false; readonly invalid: readonly string[] };

/** Turns raw config-get output into a CharmConfig, or lists every invalid key
 * with what it should look like (so one blocked status names them all). */
export function parseCharmConfig(raw: Readonly<Record<string, unknown>>): ConfigResult {
  const invalid = new Set<string>();
  if (!validateConfig(raw)) {
    for (const error of validateConfig.errors ?? []) {
      const key =
        error.instancePath.replace(/^\//, "") ||
        (typeof error.params["missingProperty"] === "string" ? error.params["missingProperty"] : "");
      invalid.add(key.split("/")[0] ?? key);
    }
  }
  const modes = parseBackendModes(String(raw["backend-mode"] ?? ""));
  if (typeof raw["image"] === "string" && !imageSupport(raw["image"]).supported) invalid.add("image");
  // All-digit labels pass the DNS pattern; an address is not a name (it is a SAN, and providers
  // refuse it as a common name).
  if (ipFamily(String(raw["certificate-common-name"] ?? "")) !== 0) invalid.add("certificate-common-name");
  if (modes === undefined) invalid.add("backend-mode");
  const rootCa = typeof raw[ROOT_CA_OPTION] === "string" ? parseRootCaOption(raw[ROOT_CA_OPTION]) : undefined;
  if (rootCa?.ok === false) invalid.add(ROOT_CA_OPTION);
  const irsa = parseIrsaSettings(raw, raw["port"]);
  const portClashesWithIrsa = !irsa.ok && irsa.invalidKeys.includes("port") && !invalid.has("port");
  const hint = (key: string): string =>
    key === "port" && portClashesWithIrsa
      ? `${CONFIG_HINTS["port"]}, and ${PORT_HINT_WITH_IRSA}`
      : key === ROOT_CA_OPTION && rootCa?.ok === false
        ? rootCa.must
        : (CONFIG_HINTS[key] ?? "valid");
  if (!irsa.ok) for (const key of irsa.invalidKeys) invalid.add(key);
  if (invalid.size > 0 || modes === undefined || !irsa.ok) {
    return {
      ok: false,
      invalid: [...invalid].sort().map((key) => `${key} must be ${hint(key)}`),
    };
  }
  // Entry by entry, once the options the rules depend on are valid; each message names option, index, field.
  const partition = raw["partition"] as Partition;
  const reservedUsernamePrefixes = parseReservedPrefixes(raw["reserved-username-prefixes"] as string);
  const mappings = parseMappingOptions(
    {
      mapRoles: raw["map-roles"] as string,
      mapUsers: raw["map-users"] as string,
      mapAccounts: raw["map-accounts"] as string,
      backendModes: modes,
    },
    { partition, reservedPrefixes: reservedUsernamePrefixes },
  );
  const image = raw["image"] as string;
  const problems = [
    ...[
      partitionImageProblem(partition, image),
      reservedPrefixProblem(reservedUsernamePrefixes, modes, image),
    ].filter((problem) => problem !== undefined),
    ...(mappings.ok ? [] : mappings.problems),
  ];
  if (!mappings.ok || problems.length > 0) return { ok: false, invalid: summariseProblems(problems) };
  const clusterId = raw["cluster-id"] as string;
  const ttl = raw["token-webhook-cache-ttl"] as string;
  return {
    ok: true,
    config: {
      image: raw["image"] as string,
      port: raw["port"] as number,
      clusterId: clusterId === "" ? undefined : clusterId,
      backendModes: modes,
      tokenWebhookCacheTtl: ttl === "" ? undefined : ttl,
      removeCrdOnRemoval: raw["remove-crd-on-removal"] as boolean,
      installCaToHost: raw["install-ca-to-host"] as boolean,
      ...(rootCa?.ok === true && rootCa.rootPem !== undefined && { rootCaCertificate: rootCa.rootPem }),
      certificateCommonName: raw["certificate-common-name"] as string,
      mappingSettings: { partition, reservedUsernamePrefixes, mappings: mappings.mappings },
      ...(irsa.irsa !== undefined && { irsa: irsa.irsa }),
    },
  };
}

function parseBackendModes(text: string): BackendMode[] | undefined {
  const modes = text.split(",").map((mode) => mode.trim());
  const known = (mode: string): mode is BackendMode => (BACKEND_MODES as readonly string[]).includes(mode);
  if (modes.length === 0 || !modes.every(known) || new Set(modes).size !== modes.length) return undefined;
  return modes;
}
