// The machine's host names as kubelet would name its node: the hostname and the FQDN Python's
// socket.getfqdn() gives (charm-lib-kubernetes-snaps get_node_name), both lower-cased.

import { nodeOs } from "../util/lazy-module.ts";
import type { MachineFiles } from "./files.ts";

/** getfqdn() resolves through the resolver, which consults /etc/hosts before DNS. */
const DNS_TIMEOUT_MS = 2000;

export async function machineNames(files: MachineFiles): Promise<string[]> {
  const short = await machineHostname(files);
  const fromHosts = await fqdnFromHosts(files, short);
  const fqdn = fromHosts === undefined ? await fqdnFromDns(short) : fromHosts;
  return [...new Set([short, ...(fqdn ? [fqdn.toLowerCase()] : [])])];
}

/** /etc/hostname (through the machine root, so tests give each machine its own), else the kernel's. */
export async function machineHostname(files: MachineFiles): Promise<string> {
  let fromFile: string | undefined;
  try {
    fromFile = (await files.read("/etc/hostname"))?.trim();
  } catch {
    fromFile = undefined; // unreadable: the kernel's name is as good
  }
  return (fromFile || nodeOs().hostname()).toLowerCase();
}

/** The first dotted name on the /etc/hosts line that names this host (getfqdn's choice among the
 * canonical name and aliases); null when the line has none; undefined when no line names the host. */
async function fqdnFromHosts(files: MachineFiles, host: string): Promise<string | null | undefined> {
  let text: string | undefined;
  try {
    text = await files.read("/etc/hosts");
  } catch {
    return undefined;
  }
  for (const line of (text ?? "").split("\n")) {
    const names = (line.split("#")[0] ?? "").trim().split(/\s+/).slice(1);
    if (!names.some((name) => name.toLowerCase() === host)) continue;
    return names.find((name) => name.includes(".")) ?? null;
  }
  return undefined;
}

async function fqdnFromDns(host: string): Promise<string | undefined> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<undefined>((resolve) => {
    timer = setTimeout(() => resolve(undefined), DNS_TIMEOUT_MS);
  });
  const resolve = async (): Promise<string | undefined> => {
    try {
      // Loaded only here: most hooks never look a name up, and the resolver costs start-up time.
      const { lookup, lookupService } = await import("node:dns/promises");
      const { address } = await lookup(host);
      const { hostname: name } = await lookupService(address, 0);
      return name.includes(".") ? name : undefined;
    } catch {
      return undefined; // not resolvable: the short name is all there is
    }
  };
  try {
    return await Promise.race([resolve(), timeout]);
  } finally {
    clearTimeout(timer);
  }
}
