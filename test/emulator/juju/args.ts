/** A small gnuflag look-alike: Juju's hook tools accept `-x`/`--x` for every flag,
 * `--flag=value` or `--flag value`, flags interspersed with positionals, and `--`. */
import { usageError } from "./tool-error.ts";

export type FlagKind = "bool" | "string";

export interface FlagSpec {
  /** Flag name (without dashes) to kind; aliases map a short name to its long one. */
  readonly flags: Record<string, FlagKind>;
  readonly aliases?: Record<string, string>;
}

export interface ParsedArgs {
  readonly flags: Map<string, string | boolean>;
  readonly positionals: string[];
}

export function parseArgs(args: readonly string[], spec: FlagSpec): ParsedArgs {
  const flags = new Map<string, string | boolean>();
  const positionals: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const arg = args[i]!;
    if (arg === "--") {
      positionals.push(...args.slice(i + 1));
      break;
    }
    if (!arg.startsWith("-") || arg === "-") {
      positionals.push(arg);
      continue;
    }
    const body = arg.replace(/^--?/, "");
    const eq = body.indexOf("=");
    const rawName = eq === -1 ? body : body.slice(0, eq);
    const name = spec.aliases?.[rawName] ?? rawName;
    const kind = spec.flags[name];
    if (kind === undefined) throw usageError(`option provided but not defined: ${arg.split("=")[0]}`);
    if (kind === "bool") {
      if (eq === -1) {
        flags.set(name, true);
        continue;
      }
      const value = body.slice(eq + 1);
      if (value !== "true" && value !== "false") {
        throw usageError(`invalid value "${value}" for flag -${rawName}: parse error`);
      }
      flags.set(name, value === "true");
      continue;
    }
    if (eq !== -1) {
      flags.set(name, body.slice(eq + 1));
    } else {
      if (i + 1 >= args.length) throw usageError(`option needs an argument: ${arg}`);
      flags.set(name, args[++i]!);
    }
  }
  return { flags, positionals };
}

export function stringFlag(parsed: ParsedArgs, name: string): string | undefined {
  const value = parsed.flags.get(name);
  return typeof value === "string" ? value : undefined;
}

export function boolFlag(parsed: ParsedArgs, name: string): boolean {
  return parsed.flags.get(name) === true;
}

/** Juju's cmd.CheckEmpty. */
export function checkEmpty(rest: readonly string[]): void {
  if (rest.length > 0) throw usageError(`unrecognized args: ${JSON.stringify(rest)}`);
}
