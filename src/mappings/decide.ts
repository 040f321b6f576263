// The mappings feature's part of a hook's decision, pure. The options were validated entry by entry in
// parseCharmConfig (an invalid one blocks there, before any feature runs, so the last good ConfigMap keeps
// serving); what is left is handing the workload the fields of the server's config and saying what the
// server will not enforce.
import type { CharmConfig } from "../config/charm-config.ts";
import type { Plan } from "../plan/plan.ts";
import { imageSupport, reservedPrefixBackends } from "../workload/manifests/server-version.ts";
import type { MappingSettings } from "./options.ts";

export interface MappingsDecision {
  /** activeNotes only: nothing here blocks (the config gate already did) and nothing is written by itself. */
  readonly plan: Plan;
  /** The AuthenticatorSpec fields the mappings feature owns (the server's config.yaml, MountedFile part);
   * spread into the workload's buildAuthenticatorObjects input. */
  readonly spec: MappingSettings;
}

/**
 * The mapping settings for the workload's ConfigMap, and a note on the active status when
 * reserved-username-prefixes are enforced by only some of the configured backends on this image (the
 * config gate refuses a list that no backend enforces; the rule is server-version.ts reservedPrefixBackends:
 * MountedFile from v0.6.6, CRD and EKSConfigMap from v0.7.17).
 */
export function decideMappings(config: CharmConfig): MappingsDecision {
  const spec = config.mappingSettings;
  const notes: string[] = [];
  if (spec.reservedUsernamePrefixes.length > 0) {
    const support = imageSupport(config.image);
    const enforcing = reservedPrefixBackends(
      config.backendModes,
      support.supported ? support.version : undefined,
    );
    const unchecked = config.backendModes.filter((mode) => !enforcing.includes(mode));
    if (unchecked.length > 0) {
      notes.push(
        `reserved-username-prefixes not enforced for ${unchecked.join(", ")} on this image (needs v0.7.17)`,
      );
    }
  }
  return { plan: notes.length > 0 ? { activeNotes: notes } : {}, spec };
}
