import type { Databag } from "../juju/hook-tools.ts";

/** The keys of `wanted` whose value differs from `current` ("" and absent are the same to Juju: setting
 * "" deletes). Empty when nothing needs writing. The one diff every Juju write goes through. */
export function databagDiff(current: Readonly<Databag>, wanted: Readonly<Databag>): Databag {
  const out: Databag = {};
  for (const [key, value] of Object.entries(wanted)) {
    if ((current[key] ?? "") !== value) out[key] = value;
  }
  return out;
}

export const isEmpty = (bag: Readonly<Databag>): boolean => Object.keys(bag).length === 0;
