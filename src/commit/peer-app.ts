import { databagDiff } from "../certificates/request.ts";
import type { CharmDeps } from "../deps.ts";
import type { Databag } from "../juju/hook-tools.ts";
import type { JujuSnapshot } from "../observe/juju.ts";

/** The leader's writes to the peer application databag: only the keys whose values change,
 * so a reconcile with nothing new writes nothing (and wakes no peer). */
export async function writePeerApp(snapshot: JujuSnapshot, deps: CharmDeps, writes: Databag): Promise<void> {
  const peers = snapshot.peers;
  if (!snapshot.leader || peers === undefined || peers.breaking) return;
  const changed = databagDiff(peers.localAppData ?? {}, writes);
  if (Object.keys(changed).length > 0) await deps.tools.relationSet(peers.ref, changed, "app");
}
