// Which aws-iam-authenticator server versions the charm drives, read from the image reference, and
// what each version honours (kubernetes-sigs/aws-iam-authenticator tags):
// - v0.5: --backend-mode (the IAMIdentityMappingCRD gate is inert from then on);
// - v0.6.0: the SSORoleMatch feature gate (pkg/config/features.go); v0.5.x refuses the flag;
// - v0.6.6: server.reservedPrefixConfig (cmd/aws-iam-authenticator/root.go), honoured by the
//   MountedFile and DynamicFile mappers only (pkg/mapper/file/mapper.go NewFileMapper);
// - v0.7.17: the CRD and EKSConfigMap mappers honour it too (pkg/mapper/crd/mapper.go,
//   pkg/mapper/configmap/mapper.go; pkg/server/server.go doMapping checks UsernamePrefixReserveList).
import type { BackendMode } from "./spec.ts";

export interface ServerVersion {
  readonly major: number;
  readonly minor: number;
  readonly patch: number;
}

/** The oldest server the charm supports: every flag it may render exists from here on. */
export const MIN_SERVER_VERSION: ServerVersion = { major: 0, minor: 6, patch: 0 };
/** For messages and docs. */
export const SUPPORTED_SERVERS = "v0.6.0 or later";
const RESERVED_PREFIX_FILE: ServerVersion = { major: 0, minor: 6, patch: 6 };
const RESERVED_PREFIX_ALL: ServerVersion = { major: 0, minor: 7, patch: 17 };

/** `v0.7.4`, `0.7.4`, `v0.7.4_ck1`, `v0.6.30-alpha.0`: the version the tag names, if it names one. */
export function parseServerVersion(tag: string): ServerVersion | undefined {
  const m = /^v?(\d+)\.(\d+)\.(\d+)(?:[-_+.][0-9A-Za-z._-]*)?$/.exec(tag);
  if (m === null) return undefined;
  return { major: Number(m[1]), minor: Number(m[2]), patch: Number(m[3]) };
}

export function atLeast(version: ServerVersion, min: ServerVersion): boolean {
  if (version.major !== min.major) return version.major > min.major;
  if (version.minor !== min.minor) return version.minor > min.minor;
  return version.patch >= min.patch;
}

/** The tag of registry/repo[:tag][@digest] (a registry port is not a tag). */
export function imageTag(image: string): string | undefined {
  const name = image.split("@")[0] ?? image;
  const last = name.slice(name.lastIndexOf("/") + 1);
  const colon = last.indexOf(":");
  return colon === -1 ? undefined : last.slice(colon + 1);
}

export type ImageSupport =
  | { readonly supported: true; readonly version: ServerVersion | undefined }
  | { readonly supported: false };

/**
 * A tag must name a supported version. An image pinned by digest alone cannot be read: the operator
 * vouches for it (and the charm assumes the oldest supported version); with tag and digest, the tag
 * is checked.
 */
export function imageSupport(image: string): ImageSupport {
  const tag = imageTag(image);
  const pinned = image.includes("@sha256:");
  if (tag === undefined) return pinned ? { supported: true, version: undefined } : { supported: false };
  const version = parseServerVersion(tag);
  if (version === undefined || !atLeast(version, MIN_SERVER_VERSION)) return { supported: false };
  return { supported: true, version };
}

/** The backends among `modes` whose mapper enforces reserved username prefixes on this version. */
export function reservedPrefixBackends(
  modes: readonly BackendMode[],
  version: ServerVersion | undefined,
): BackendMode[] {
  const v = version ?? MIN_SERVER_VERSION;
  if (!atLeast(v, RESERVED_PREFIX_FILE)) return [];
  return modes.filter((mode) => mode === "MountedFile" || atLeast(v, RESERVED_PREFIX_ALL));
}
