/** Fault injection by request matcher, and the request log / counters tests assert on. */

export interface RequestInfo {
  method: string;
  /** URL path without the query string. */
  path: string;
  query: URLSearchParams;
  contentType: string;
}

export interface FaultRule {
  method?: string;
  /** Exact path, or a pattern tested against the path. */
  path?: string | RegExp;
  match?: (req: RequestInfo) => boolean;
  /** How many matching requests the fault hits (default: all until removed). */
  times?: number;
  /** Answer with this code and a Status body (500 InternalError, 503 ServiceUnavailable, 504 Timeout, 429...). */
  status?: number;
  message?: string;
  /** Wait this long first; without `status` the request is then served normally. */
  delayMs?: number;
  /** Drop the connection without an answer (the client sees ECONNRESET / socket hang up). */
  reset?: boolean;
}

export class Faults {
  private rules: { rule: FaultRule; left: number }[] = [];

  /** Add a rule; returns a function that removes it. */
  add(rule: FaultRule): () => void {
    const entry = { rule, left: rule.times ?? Number.POSITIVE_INFINITY };
    this.rules.push(entry);
    return () => {
      this.rules = this.rules.filter((r) => r !== entry);
    };
  }

  clear(): void {
    this.rules = [];
  }

  /** The first live rule matching this request (consuming one of its `times`). */
  take(req: RequestInfo): FaultRule | undefined {
    const hit = this.rules.find(({ rule, left }) => {
      if (left <= 0) return false;
      if (rule.method && rule.method.toUpperCase() !== req.method) return false;
      if (typeof rule.path === "string" && rule.path !== req.path) return false;
      if (rule.path instanceof RegExp && !rule.path.test(req.path)) return false;
      return !rule.match || rule.match(req);
    });
    if (hit) hit.left--;
    return hit?.rule;
  }
}

export interface RequestRecord {
  method: string;
  path: string;
  /** Raw query string without "?" ("" if none). */
  query: string;
  contentType: string;
  userAgent: string;
  /** HTTP status answered (0 if the connection was dropped). */
  status: number;
  faulted: boolean;
}

const WRITE_METHODS = new Set(["POST", "PUT", "PATCH", "DELETE"]);

export class RequestLog {
  readonly entries: RequestRecord[] = [];

  get total(): number {
    return this.entries.length;
  }

  /** Write requests (POST/PUT/PATCH/DELETE), whatever their outcome. */
  get writes(): number {
    return this.writeEntries().length;
  }

  writeEntries(): RequestRecord[] {
    return this.entries.filter((e) => WRITE_METHODS.has(e.method));
  }

  /** Write counts keyed by path, e.g. {"/api/v1/namespaces/kube-system/configmaps/x": 2}. */
  get writesByPath(): Record<string, number> {
    const out: Record<string, number> = {};
    for (const e of this.writeEntries()) out[e.path] = (out[e.path] ?? 0) + 1;
    return out;
  }

  reset(): void {
    this.entries.length = 0;
  }
}
