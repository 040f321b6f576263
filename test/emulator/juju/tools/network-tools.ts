/** goal-state, network-get, open-port, close-port, opened-ports. */
import { checkEmpty, parseArgs, stringFlag } from "../args.ts";
import { formatOutput } from "../tool-context.ts";
import { quote, runError, usageError } from "../tool-error.ts";
import type { ToolHandler } from "./handler.ts";
import { FORMAT } from "./handler.ts";

export const goalState: ToolHandler = (ctx, args) => {
  const p = parseArgs(args, { flags: FORMAT });
  checkEmpty(p.positionals);
  const since = ctx.app.status.since;
  const entry = (dying: boolean) => ({ status: dying ? "dying" : "active", since });
  const units: Record<string, unknown> = {};
  for (const name of ctx.app.units) {
    const unit = ctx.state.units[name]!;
    units[name] = entry(unit.removed || unit.dying === true);
  }
  const relations: Record<string, Record<string, unknown>> = {};
  for (const rel of ctx.myRelations()) {
    relations[ctx.myEndpoint(rel)] ??= {};
    const byName = relations[ctx.myEndpoint(rel)]!;
    const remoteApp = ctx.remoteApp(rel);
    if (!ctx.isPeer(rel)) byName[remoteApp] = { status: "joined", since };
    for (const u of rel.units) {
      if (u !== ctx.unit.name && u.startsWith(`${remoteApp}/`)) byName[u] = { status: "active", since };
    }
  }
  // goal-state defaults to yaml and only knows json|yaml.
  return formatOutput({ units, relations }, stringFlag(p, "format") ?? "yaml");
};

export const networkGet: ToolHandler = (ctx, args) => {
  const p = parseArgs(args, {
    flags: {
      ...FORMAT,
      relation: "string",
      "bind-address": "bool",
      "ingress-address": "bool",
      "egress-subnets": "bool",
      "primary-address": "bool",
    },
    aliases: { r: "relation" },
  });
  const [binding, ...rest] = p.positionals;
  if (binding === undefined) throw usageError("no arguments specified");
  checkEmpty(rest);
  if (stringFlag(p, "relation") !== undefined) ctx.relationFromFlag(p);
  if (!ctx.app.bindings.includes(binding))
    throw runError(`no network config found for binding ${quote(binding)}`);
  const address = ctx.unit.address;
  const cidr = `${address.split(".").slice(0, 3).join(".")}.0/24`;
  const format = stringFlag(p, "format");
  if (p.flags.get("ingress-address") || p.flags.get("bind-address") || p.flags.get("primary-address")) {
    return formatOutput(address, format);
  }
  if (p.flags.get("egress-subnets")) return formatOutput(`${address}/32`, format);
  return formatOutput(
    {
      "bind-addresses": [
        {
          "mac-address": "",
          "interface-name": "eth0",
          addresses: [{ hostname: "", value: address, cidr }],
          macaddress: "",
          interfacename: "eth0",
        },
      ],
      "egress-subnets": [`${address}/32`],
      "ingress-addresses": [address],
    },
    format,
  );
};

/** `80`, `80/udp`, `80-90/tcp`, `icmp` → the canonical `opened-ports` form. */
function parsePort(spec: string): string {
  if (spec === "icmp") return "icmp";
  const m = /^(\d+)(?:-(\d+))?(?:\/(tcp|udp))?$/.exec(spec);
  if (!m) throw usageError(`invalid port/protocol ${quote(spec)}`);
  const from = Number(m[1]);
  const to = m[2] === undefined ? from : Number(m[2]);
  if (from < 1 || to > 65535 || to < from) throw usageError(`invalid port range ${quote(spec)}`);
  const range = from === to ? `${from}` : `${from}-${to}`;
  return `${range}/${m[3] ?? "tcp"}`;
}

function portChange(open: boolean): ToolHandler {
  return (ctx, args) => {
    const p = parseArgs(args, { flags: { endpoints: "string" } });
    const [spec, ...rest] = p.positionals;
    if (spec === undefined) throw usageError("no port or range specified");
    checkEmpty(rest);
    const port = parsePort(spec);
    const current = ctx.openedPorts().filter((x) => x !== port);
    ctx.hook.pending.openedPorts = open ? [...current, port] : current;
    return "";
  };
}

export const openPort = portChange(true);
export const closePort = portChange(false);

export const openedPorts: ToolHandler = (ctx, args) => {
  const p = parseArgs(args, { flags: { ...FORMAT, endpoints: "bool" } });
  checkEmpty(p.positionals);
  return formatOutput([...ctx.openedPorts()], stringFlag(p, "format"));
};
