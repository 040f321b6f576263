import { redact } from "../util/redact.ts";
import type { HookTools, LogLevel } from "./hook-tools.ts";

/** Logging through juju-log, with every line redacted first. Each line is a
 * round trip to the unit agent, so the charm logs changes and failures, not
 * every step of a reconcile that found nothing to do. */
export class Logger {
  readonly #tools: HookTools;

  constructor(tools: HookTools) {
    this.#tools = tools;
  }

  info(message: string): Promise<void> {
    return this.#log("INFO", message);
  }

  warning(message: string): Promise<void> {
    return this.#log("WARNING", message);
  }

  error(message: string): Promise<void> {
    return this.#log("ERROR", message);
  }

  async #log(level: LogLevel, message: string): Promise<void> {
    try {
      await this.#tools.jujuLog(level, redact(message));
    } catch {
      // A log line that cannot be delivered must not fail the hook; stderr reaches the unit log.
      process.stderr.write(`${level} ${redact(message)}\n`);
    }
  }
}
