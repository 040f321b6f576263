// Synchronous file calls: node:fs/promises would load a dozen more modules into every hook (machine/files.ts).

import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { isRecord } from "../util/is-record.ts";
import { nodeOs } from "../util/lazy-module.ts";
import { HookToolError, SecretTooLarge } from "./errors.ts";
import type { ToolRunner } from "./runner.ts";

/** Every value in a relation databag, charm state or secret is a string. */
export type Databag = Record<string, string>;
export type StatusName = "active" | "blocked" | "maintenance" | "waiting";
export type LogLevel = "DEBUG" | "INFO" | "WARNING" | "ERROR";

export interface GoalState {
  readonly units: Readonly<Record<string, string>>;
  /** Our endpoint name → related application or unit name → status. */
  readonly relations: Readonly<Record<string, Readonly<Record<string, string>>>>;
}

export interface SecretInfo {
  readonly id: string;
  readonly revision: number;
  readonly label: string | undefined;
}

/** One typed function per hook tool the charm uses. Each builds argv (always
 * --format=json on getters), runs it through the injected runner and checks
 * the shape of what came back. Nothing here decides anything. */
export class HookTools {
  readonly #runner: ToolRunner;

  constructor(runner: ToolRunner) {
    this.#runner = runner;
  }

  async #json(tool: string, args: readonly string[]): Promise<unknown> {
    const stdout = await this.#runner.run(tool, args);
    try {
      return JSON.parse(stdout.trim() || "null");
    } catch (cause) {
      throw new HookToolError(tool, args, 0, `output is not JSON: ${stdout.slice(0, 200)}`, cause);
    }
  }

  // --- relations -----------------------------------------------------------

  /** Relation refs ("endpoint:id") of an endpoint's live relations. */
  async relationIds(endpoint: string): Promise<string[]> {
    return stringArray("relation-ids", await this.#json("relation-ids", ["--format=json", endpoint]));
  }

  /** Remote units in scope. */
  async relationList(ref: string): Promise<string[]> {
    return stringArray("relation-list", await this.#json("relation-list", ["--format=json", "-r", ref]));
  }

  /** The remote application's name. */
  async relationApp(ref: string): Promise<string | undefined> {
    const app = await this.#json("relation-list", ["--format=json", "--app", "-r", ref]);
    return typeof app === "string" && app !== "" ? app : undefined;
  }

  /** A whole unit databag in one call. */
  async relationGetUnit(ref: string, unit: string): Promise<Databag> {
    return databag("relation-get", await this.#json("relation-get", ["--format=json", "-r", ref, "-", unit]));
  }

  /** A whole application databag in one call. */
  async relationGetApp(ref: string, app: string): Promise<Databag> {
    const args = ["--format=json", "-r", ref, "--app", "-", app];
    return databag("relation-get", await this.#json("relation-get", args));
  }

  /** Merges keys into our unit (or, as leader, app) databag; "" deletes a key. */
  async relationSet(ref: string, data: Databag, scope: "unit" | "app"): Promise<void> {
    const args = scope === "app" ? ["-r", ref, "--app", "--file", "-"] : ["-r", ref, "--file", "-"];
    await this.#runner.run("relation-set", args, JSON.stringify(data));
  }

  // --- config, leadership, status -----------------------------------------

  async configGet(): Promise<Record<string, unknown>> {
    const config = await this.#json("config-get", ["--format=json"]);
    return isRecord(config) ? config : {};
  }

  async isLeader(): Promise<boolean> {
    return (await this.#json("is-leader", ["--format=json"])) === true;
  }

  /** Leader settings (Juju's leader-get): every unit may read them. */
  async leaderGet(): Promise<Databag> {
    return databag("leader-get", await this.#json("leader-get", ["--format=json"]));
  }

  /** Leader only; "" deletes a key. */
  async leaderSet(data: Databag): Promise<void> {
    const pairs = Object.entries(data).map(([key, value]) => `${key}=${value}`);
    if (pairs.length > 0) await this.#runner.run("leader-set", pairs);
  }

  async statusSet(status: StatusName, message: string, scope: "unit" | "app"): Promise<void> {
    await this.#runner.run("status-set", [`--application=${scope === "app"}`, status, "--", message]);
  }

  async applicationVersionSet(version: string): Promise<void> {
    await this.#runner.run("application-version-set", ["--", version]);
  }

  async jujuLog(level: LogLevel, message: string): Promise<void> {
    await this.#runner.run("juju-log", ["--log-level", level, "--", message]);
  }

  /** Juju's goal state: unit name → status ("dying" for a Dying unit), and per endpoint of ours the
   * related applications and their units. A subordinate's `units` is always empty (juju
   * apiserver/facades/agent/uniter/uniter.go, goalStateUnits skips units with another principal). */
  async goalState(): Promise<GoalState> {
    const goal = await this.#json("goal-state", ["--format=json"]);
    const statuses = (value: unknown): Record<string, string> =>
      Object.fromEntries(
        Object.entries(isRecord(value) ? value : {}).map(([name, entry]) => [
          name,
          isRecord(entry) && typeof entry["status"] === "string" ? entry["status"] : "unknown",
        ]),
      );
    const relations = isRecord(goal) && isRecord(goal["relations"]) ? goal["relations"] : {};
    return {
      units: statuses(isRecord(goal) ? goal["units"] : undefined),
      relations: Object.fromEntries(
        Object.entries(relations).map(([name, entries]) => [name, statuses(entries)]),
      ),
    };
  }

  /** This unit's ingress address on an endpoint's binding (network-get --ingress-address). */
  async ingressAddress(endpoint: string): Promise<string | undefined> {
    const address = await this.#json("network-get", ["--format=json", "--ingress-address", endpoint]);
    return typeof address === "string" && address !== "" ? address : undefined;
  }

  // --- secrets -------------------------------------------------------------

  /** Creates an application-owned secret; values go through 0600 temp files, never argv. */
  async secretAdd(content: Databag, options: { label: string; description?: string }): Promise<string> {
    const extra = options.description ? ["--description", options.description] : [];
    const uri = await this.#withContentFiles(content, (pairs) =>
      this.#run("secret-add", ["--owner", "application", "--label", options.label, ...extra, ...pairs]),
    );
    return uri.trim();
  }

  /** Adds a new revision with the given content. */
  async secretSet(id: string, content: Databag): Promise<void> {
    await this.#withContentFiles(content, (pairs) => this.#run("secret-set", [id, ...pairs]));
  }

  /** Reads a secret by id or label; `refresh` tracks and returns the latest revision. */
  async secretGet(
    ref: { id?: string; label?: string },
    options: { refresh?: boolean } = {},
  ): Promise<Databag> {
    const args = ["--format=json", ...(ref.id ? [ref.id] : []), ...(ref.label ? ["--label", ref.label] : [])];
    if (!options.refresh) return databag("secret-get", await this.#json("secret-get", args));
    try {
      return databag("secret-get", await this.#json("secret-get", [...args, "--refresh"]));
    } catch (error) {
      // Juju 3.1.0–3.1.6, 3.2.x, 3.3.0: the owner may not --refresh, and always reads the latest revision
      // anyway (handled the same way by canonical/data-platform-libs, data_interfaces.py _juju_secrets_get).
      if (!(error instanceof HookToolError && error.isOwnerCannotRefresh)) throw error;
      return databag("secret-get", await this.#json("secret-get", args));
    }
  }

  /** Owner-side metadata of a secret we own; undefined when it does not exist. */
  async secretInfoGet(ref: { label: string }): Promise<SecretInfo | undefined> {
    try {
      const info = await this.#json("secret-info-get", ["--format=json", "--label", ref.label]);
      if (!isRecord(info)) return undefined;
      const [id, entry] = Object.entries(info)[0] ?? [];
      if (!id || !isRecord(entry)) return undefined;
      return {
        // Juju keys the answer by the bare ID; the URI form is what the other tools take.
        id: id.startsWith("secret:") ? id : `secret:${id}`,
        revision: typeof entry["revision"] === "number" ? entry["revision"] : 0,
        label: typeof entry["label"] === "string" ? entry["label"] : undefined,
      };
    } catch (error) {
      if (error instanceof HookToolError && error.isNotFound) return undefined;
      throw error;
    }
  }

  async secretRemove(id: string, revision?: number): Promise<void> {
    await this.#runner.run(
      "secret-remove",
      revision === undefined ? [id] : [id, "--revision", String(revision)],
    );
  }

  /** secret-add/secret-set: Juju's size refusal becomes a SecretTooLarge the reconcile reports. */
  async #run(tool: string, args: readonly string[]): Promise<string> {
    try {
      return await this.#runner.run(tool, args);
    } catch (error) {
      const tooLarge = error instanceof HookToolError ? SecretTooLarge.from(error) : undefined;
      throw tooLarge ?? error;
    }
  }

  async #withContentFiles<T>(content: Databag, use: (pairs: string[]) => Promise<T>): Promise<T> {
    const dir = mkdtempSync(join(nodeOs().tmpdir(), "aws-iam-secret-"));
    try {
      const pairs: string[] = [];
      for (const [key, value] of Object.entries(content)) {
        const file = join(dir, key);
        writeFileSync(file, value, { mode: 0o600 });
        pairs.push(`${key}#file=${file}`);
      }
      return await use(pairs);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }

  // --- actions -------------------------------------------------------------

  async actionGet(): Promise<Record<string, unknown>> {
    const params = await this.#json("action-get", ["--format=json"]);
    return isRecord(params) ? params : {};
  }

  /** Results as flat dotted keys (action-set's own syntax for nesting). */
  async actionSet(results: Record<string, string>): Promise<void> {
    const pairs = Object.entries(results).map(([key, value]) => `${key}=${value}`);
    if (pairs.length > 0) await this.#runner.run("action-set", pairs);
  }

  async actionFail(message: string): Promise<void> {
    await this.#runner.run("action-fail", ["--", message]);
  }
}

function stringArray(tool: string, value: unknown): string[] {
  if (value === null) return [];
  if (!Array.isArray(value) || !value.every((item) => typeof item === "string")) {
    throw new HookToolError(tool, [], 0, `expected a JSON list of strings, got ${JSON.stringify(value)}`);
  }
  return value;
}

function databag(tool: string, value: unknown): Databag {
  if (value === null) return {};
  if (!isRecord(value)) throw new HookToolError(tool, [], 0, "expected a JSON mapping");
  const bag: Databag = {};
  for (const [key, item] of Object.entries(value)) {
    bag[key] = typeof item === "string" ? item : JSON.stringify(item);
  }
  return bag;
}
