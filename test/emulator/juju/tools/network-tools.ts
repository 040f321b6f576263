/** goal-state, network-get, open-port, close-port, opened-ports. */
import { checkEmpty, parseArgs, stringFlag } from "../args.ts";
import type { AppState, ModelState } from "../model-state.ts";
import { formatOutput } from "../tool-context.ts";
import { quote, runError, usageError } from "../tool-error.ts";
import type { ToolHandler } from "./handler.ts";
import { FORMAT } from "./handler.ts";

export const goalState: ToolHandler = (ctx, args) => {
  const p = parseArgs(args, { flags: FORMAT });
  checkEmpty(p.positionals);
  // juju apiserver/facades/agent/uniter/uniter.go, oneGoalState: the units of this unit's own
  // application (as goalStateUnits filters them for this unit's name), then every non-peer relation.
  const units = goalStateUnits(ctx.state, ctx.app, ctx.unit.name);
  const relations = goalStateRelations(ctx.state, ctx.app.name, ctx.unit.name);
  // goal-state defaults to yaml and only knows json|yaml.
  return formatOutput({ units, relations }, stringFlag(p, "format") ?? "yaml");
};

interface GoalStateStatus {
  status: string;
  since: string;
}

/** uniter.go goalStateUnits: every unit of `app` except subordinates whose principal is not
 * `principalName` (so a subordinate, passing its own name, never sees its own application's units,
 * itself included); Dead units (here: removed) dropped; a Dying unit's status is "dying", any other
 * unit's is its workload status. */
function goalStateUnits(
  state: ModelState,
  app: AppState,
  principalName: string,
): Record<string, GoalStateStatus> {
  const result: Record<string, GoalStateStatus> = {};
  for (const name of app.units) {
    const unit = state.units[name]!;
    if (unit.principal !== undefined && unit.principal !== principalName) continue;
    if (unit.removed) continue;
    result[name] = { status: unit.dying ? "dying" : unit.status.status, since: unit.status.since };
  }
  return result;
}

/** uniter.go goalStateRelations: for each relation of the application (app.Relations(): every one that
 * still exists, whether or not this unit is in its scope), peers skipped, keyed by our endpoint name:
 * the other application with the relation's status, and that application's units as goalStateUnits
 * gives them for this unit's name. The Go code starts from result[<remote endpoint name>] (a shared map)
 * before merging into result[<our endpoint name>]; JavaScript objects alias the same way. */
function goalStateRelations(
  state: ModelState,
  appName: string,
  unitName: string,
): Record<string, Record<string, GoalStateStatus>> {
  const result: Record<string, Record<string, GoalStateStatus>> = {};
  for (const rel of state.relations) {
    if (rel.broken || !rel.endpoints.some((e) => e.app === appName)) continue;
    if (rel.endpoints.length === 1) continue;
    const resultEndpointName = rel.endpoints.find((e) => e.app === appName)!.endpoint;
    // Relation status (core/status): "joined" once a unit entered scope, "joining" before.
    const relationStatus: GoalStateStatus = {
      status: rel.units.length > 0 || rel.departed.length > 0 ? "joined" : "joining",
      since: state.applications[appName]!.status.since,
    };
    for (const e of rel.endpoints) {
      if (e.app === appName) continue;
      const relationGoalState = result[e.endpoint] ?? {};
      relationGoalState[e.app] = relationStatus;
      const other = state.applications[e.app];
      if (other) Object.assign(relationGoalState, goalStateUnits(state, other, unitName));
      const unitsGoalState = result[resultEndpointName] ?? {};
      Object.assign(unitsGoalState, relationGoalState);
      result[resultEndpointName] = unitsGoalState;
    }
  }
  return result;
}

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
  // A subordinate shares its principal's machine, so its address on any binding is the machine's
  // (one network, no spaces, in this emulator); --ingress-address prints that one value (juju
  // internal/worker/uniter/runner/jujuc/network-get.go; docs hook-command network-get).
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
