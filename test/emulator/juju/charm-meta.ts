/** The parts of a charm's metadata.yaml / config.yaml / actions.yaml the emulator checks against. */
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { load } from "js-yaml";
import type { ConfigType, ConfigValue } from "./model-state.ts";

export type EndpointRole = "requires" | "provides" | "peers";

export interface EndpointMeta {
  readonly name: string;
  readonly role: EndpointRole;
  readonly interface: string;
  readonly scope: "global" | "container";
}

export interface ConfigOptionMeta {
  readonly type: ConfigType;
  readonly default?: ConfigValue;
}

export interface ActionMeta {
  readonly params: Record<string, { type?: string; default?: unknown }>;
  readonly required: readonly string[];
}

export interface CharmMeta {
  readonly name: string;
  readonly subordinate: boolean;
  readonly endpoints: Readonly<Record<string, EndpointMeta>>;
  readonly extraBindings: readonly string[];
  readonly config: Readonly<Record<string, ConfigOptionMeta>>;
  readonly actions: Readonly<Record<string, ActionMeta>>;
}

type Yaml = Record<string, unknown>;

function readYaml(path: string): Yaml {
  if (!existsSync(path)) return {};
  return (load(readFileSync(path, "utf8")) as Yaml | null) ?? {};
}

/** Every charm gets Juju's implicit `juju-info` provides endpoint. */
const JUJU_INFO: EndpointMeta = {
  name: "juju-info",
  role: "provides",
  interface: "juju-info",
  scope: "global",
};

export function charmMetaFromYaml(metadata: Yaml, config: Yaml = {}, actions: Yaml = {}): CharmMeta {
  const endpoints: Record<string, EndpointMeta> = {};
  for (const role of ["provides", "requires", "peers"] as const) {
    const section = (metadata[role] ?? {}) as Record<string, Yaml>;
    for (const [name, spec] of Object.entries(section)) {
      endpoints[name] = {
        name,
        role,
        interface: String(spec["interface"]),
        scope: spec["scope"] === "container" ? "container" : "global",
      };
    }
  }
  // The implicit endpoint exists unless the charm reuses the name.
  endpoints["juju-info"] ??= JUJU_INFO;
  const options = ((config["options"] ?? {}) as Record<string, Yaml>) ?? {};
  const configMeta: Record<string, ConfigOptionMeta> = {};
  for (const [name, spec] of Object.entries(options)) {
    const type = String(spec["type"] ?? "string") as ConfigType;
    configMeta[name] =
      spec["default"] === undefined || spec["default"] === null
        ? { type }
        : { type, default: spec["default"] as ConfigValue };
  }
  const actionMeta: Record<string, ActionMeta> = {};
  for (const [name, spec] of Object.entries(actions as Record<string, Yaml | null>)) {
    actionMeta[name] = {
      params: ((spec?.["params"] ?? {}) as ActionMeta["params"]) ?? {},
      required: ((spec?.["required"] ?? []) as string[]) ?? [],
    };
  }
  return {
    name: String(metadata["name"]),
    subordinate: metadata["subordinate"] === true,
    endpoints,
    extraBindings: Object.keys((metadata["extra-bindings"] ?? {}) as Yaml),
    config: configMeta,
    actions: actionMeta,
  };
}

/** Reads metadata.yaml, config.yaml and actions.yaml (the last two optional) from a charm dir. */
export function loadCharmMeta(charmDir: string): CharmMeta {
  return charmMetaFromYaml(
    readYaml(join(charmDir, "metadata.yaml")),
    readYaml(join(charmDir, "config.yaml")),
    readYaml(join(charmDir, "actions.yaml")),
  );
}
