/** The HTTPS front: bearer-token auth, fault injection, the request log, and JSON/Status replies. */
import type { IncomingMessage, ServerResponse } from "node:http";
import { setTimeout as sleep } from "node:timers/promises";
import type { Cluster } from "./cluster.ts";
import { ApiError, forCode, unauthorized } from "./errors.ts";
import type { Faults, RequestLog, RequestRecord } from "./faults.ts";
import { type ApiRequest, route } from "./http-routes.ts";

export interface FrontDeps {
  cluster: Cluster;
  token: () => string;
  faults: Faults;
  log: RequestLog;
  serverAddress: () => string;
}

const WRITES = new Set(["POST", "PUT", "PATCH", "DELETE"]);

function send(
  res: ServerResponse,
  record: RequestRecord,
  code: number,
  body: unknown,
  extra: { contentType?: string | undefined; headers?: Record<string, string> | undefined } = {},
): void {
  record.status = code;
  const text = typeof body === "string" ? body : JSON.stringify(body);
  res.writeHead(code, {
    ...extra.headers,
    "Content-Type":
      extra.contentType ?? (typeof body === "string" ? "text/plain; charset=utf-8" : "application/json"),
    "Content-Length": Buffer.byteLength(text),
    ...(code === 429 ? { "Retry-After": "1" } : {}),
  });
  res.end(text);
}

/** The error reading a request's body rejects with when its client hung up before sending all of it: Node's
 * server destroys the request with ECONNRESET "aborted" (nodejs/node lib/_http_server.js, socketOnClose →
 * abortIncoming). The request record keeps status 0 ("dropped"). */
function isClientAbort(error: unknown, req: IncomingMessage): boolean {
  return (error as NodeJS.ErrnoException | undefined)?.code === "ECONNRESET" && req.socket.destroyed;
}

async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const c of req) chunks.push(c as Buffer);
  return Buffer.concat(chunks).toString("utf8");
}

export function createFront(deps: FrontDeps): (req: IncomingMessage, res: ServerResponse) => Promise<void> {
  return async (req, res) => {
    const url = new URL(req.url ?? "/", "https://emulator");
    const contentType = (req.headers["content-type"] ?? "").split(";")[0]!.trim().toLowerCase();
    const record: RequestRecord = {
      method: req.method ?? "GET",
      path: url.pathname,
      query: url.search.replace(/^\?/, ""),
      contentType,
      userAgent: req.headers["user-agent"] ?? "",
      status: 0,
      faulted: false,
    };
    deps.log.entries.push(record);
    try {
      const fault = deps.faults.take({
        method: record.method,
        path: record.path,
        query: url.searchParams,
        contentType,
      });
      if (fault) {
        record.faulted = true;
        if (fault.delayMs) await sleep(fault.delayMs);
        if (fault.reset) {
          req.socket.destroy();
          return;
        }
        if (fault.status) throw forCode(fault.status, fault.message);
      }
      if (req.headers.authorization !== `Bearer ${deps.token()}`) throw unauthorized();
      const apiReq: ApiRequest = {
        method: record.method,
        path: record.path,
        query: url.searchParams,
        contentType,
        accept: req.headers.accept ?? "",
        userAgent: record.userAgent,
        body: await readBody(req),
      };
      deps.cluster.reconcileIfChanged();
      const out = route(deps.cluster, apiReq, deps.serverAddress());
      if (WRITES.has(record.method)) deps.cluster.reconcile();
      send(res, record, out.code, out.body, { contentType: out.contentType, headers: out.headers });
    } catch (e) {
      // The client hung up mid-request (e.g. its per-attempt timeout fired while the body was read):
      // what it sees is the dropped connection, so there is nothing to answer and nothing to report.
      if (isClientAbort(e, req)) return;
      const err =
        e instanceof ApiError
          ? e
          : new ApiError(500, "InternalError", `Internal error occurred: ${String(e)}`);
      if (!(e instanceof ApiError)) console.error("kube-api-emulator:", e);
      if (!res.headersSent && !res.destroyed) send(res, record, err.code, err.toStatus());
    }
  };
}
