/** Test double of the aws-iam-authenticator server's HTTPS side, started from the files it really
 * reads (cert.pem and key.pem of its state dir, i.e. the Kubernetes Secret's bytes) and answering as
 * kubernetes-sigs/aws-iam-authenticator pkg/server/server.go does:
 * - cert.pem/key.pem are loaded as tls.LoadX509KeyPair reads them (Go's encoding/pem: a block starts
 *   at the beginning of a line and its END line holds nothing else), every CERTIFICATE block is served
 *   as the chain; TLS 1.2 minimum (New: tls.Config{MinVersion: tls.VersionTLS12});
 * - /authenticate (authenticateEndpoint): not POST → 405 "expected POST"; a body that does not decode
 *   into an authentication/v1beta1 TokenReview → 400 (every request is decoded as v1beta1, whatever
 *   its apiVersion says); a token that does not verify or whose identity maps to nobody → 403 with
 *   tokenReviewDenyJSON, json.Marshal of a TokenReview with Authenticated false: omitempty drops
 *   apiVersion, kind and `authenticated`, leaving
 *   {"metadata":{"creationTimestamp":null},"spec":{},"status":{"user":{}}}; a mapped identity → 200
 *   with json.NewEncoder(w).Encode(TokenReview{Status: {Authenticated: true, User: …}}) (trailing
 *   newline); JSON bodies carry "application/json; charset=UTF-8".
 * - /healthz → "ok"; anything else → the ServeMux's 404.
 * STS is not emulated: `users` says which tokens verify and map, and to whom. */
import { createServer, type Server } from "node:https";
import type { AddressInfo } from "node:net";

export interface MappedUser {
  readonly username: string;
  readonly uid: string;
  readonly groups: readonly string[];
  /** arn, canonicalArn, sessionName, accessKeyId (set for loggable identities). */
  readonly extra?: Readonly<Record<string, readonly string[]>>;
}

export interface AuthenticatorDouble {
  readonly url: string;
  readonly port: number;
  /** apiVersion of every TokenReview it decoded (what the caller sent; ignored by the server). */
  readonly received: string[];
  close(): Promise<void>;
}

export const DENY_BODY = '{"metadata":{"creationTimestamp":null},"spec":{},"status":{"user":{}}}';
const JSON_TYPE = "application/json; charset=UTF-8";

/** Go's pem.Decode over a whole file: the blocks it finds, in order, with their type. A BEGIN line
 * glued to the previous END line is not at a line start, and the END line then carries trailing
 * text: Go skips that block and never finds the glued one. */
export function goPemBlocks(text: string): Array<{ type: string; pem: string }> {
  const out: Array<{ type: string; pem: string }> = [];
  const begin = /(^|\n)-----BEGIN ([A-Z0-9 ]+)-----[^\n]*\n/g;
  for (let m = begin.exec(text); m !== null; m = begin.exec(text)) {
    const type = m[2]!;
    const end = `\n-----END ${type}-----`;
    const at = text.indexOf(end, m.index + m[0].length - 1);
    if (at === -1) continue;
    const after = text.slice(at + end.length);
    const restOfLine = after.split("\n", 1)[0] ?? "";
    if (restOfLine.trim() !== "") continue; // decodeError: try the next BEGIN
    const start = m.index + (m[1] === "\n" ? 1 : 0);
    out.push({ type, pem: `${text.slice(start, at + end.length)}\n` });
    begin.lastIndex = at + end.length;
  }
  return out;
}

/** tls.LoadX509KeyPair's reading of the two files; throws with Go's message when it would. */
export function loadX509KeyPair(certFile: string, keyFile: string): { cert: string; key: string } {
  const certs = goPemBlocks(certFile).filter((b) => b.type === "CERTIFICATE");
  if (certs.length === 0) throw new Error("tls: failed to find any PEM data in certificate input");
  const key = goPemBlocks(keyFile).find((b) => b.type === "PRIVATE KEY" || b.type.endsWith(" PRIVATE KEY"));
  if (key === undefined) throw new Error("tls: failed to find any PEM data in key input");
  return { cert: certs.map((b) => b.pem).join(""), key: key.pem };
}

export function startAuthenticatorDouble(options: {
  readonly certFile: string;
  readonly keyFile: string;
  readonly users: Readonly<Record<string, MappedUser>>;
  readonly port?: number;
}): Promise<AuthenticatorDouble> {
  const { cert, key } = loadX509KeyPair(options.certFile, options.keyFile);
  const received: string[] = [];
  const server: Server = createServer({ cert, key, minVersion: "TLSv1.2" }, (req, res) => {
    const send = (status: number, type: string, body: string) => {
      res.writeHead(status, { "content-type": type });
      res.end(body);
    };
    const path = (req.url ?? "").split("?")[0];
    if (path === "/healthz") return send(200, "text/plain; charset=utf-8", "ok");
    if (path !== "/authenticate") return send(404, "text/plain; charset=utf-8", "404 page not found\n");
    if (req.method !== "POST") return send(405, "text/plain; charset=utf-8", "expected POST\n");
    let body = "";
    req.setEncoding("utf8");
    req.on("data", (chunk: string) => {
      body += chunk;
    });
    req.on("end", () => {
      const token = decodeV1beta1Token(body);
      if (token === undefined) {
        return send(400, "text/plain; charset=utf-8", "expected a request body to be a TokenReview\n");
      }
      received.push(apiVersionOf(body));
      const user = options.users[token];
      if (user === undefined) return send(403, JSON_TYPE, DENY_BODY);
      const status = {
        authenticated: true,
        user: {
          username: user.username,
          uid: user.uid,
          groups: [...user.groups],
          ...(user.extra !== undefined && Object.keys(user.extra).length > 0
            ? { extra: Object.fromEntries(Object.entries(user.extra).sort(([a], [b]) => (a < b ? -1 : 1))) }
            : {}),
        },
      };
      send(
        200,
        JSON_TYPE,
        `${JSON.stringify({ metadata: { creationTimestamp: null }, spec: {}, status })}\n`,
      );
    });
  });
  return new Promise((resolve, reject) => {
    server.once("error", reject);
    server.listen(options.port ?? 0, "127.0.0.1", () => {
      const port = (server.address() as AddressInfo).port;
      resolve({
        url: `https://127.0.0.1:${port}/authenticate`,
        port,
        received,
        close: () => new Promise<void>((done) => server.close(() => done())),
      });
    });
  });
}

/** encoding/json into authenticationv1beta1.TokenReview: unknown fields and apiVersion/kind values
 * are ignored; a wrong JSON type for an object or the token is an error; null leaves the zero value. */
function decodeV1beta1Token(body: string): string | undefined {
  let value: unknown;
  try {
    value = JSON.parse(body);
  } catch {
    return undefined;
  }
  if (value === null) return "";
  if (typeof value !== "object" || Array.isArray(value)) return undefined;
  const spec = (value as Record<string, unknown>)["spec"];
  if (spec === undefined || spec === null) return "";
  if (typeof spec !== "object" || Array.isArray(spec)) return undefined;
  const token = (spec as Record<string, unknown>)["token"];
  if (token === undefined || token === null) return "";
  return typeof token === "string" ? token : undefined;
}

function apiVersionOf(body: string): string {
  try {
    const v = (JSON.parse(body) as Record<string, unknown> | null)?.["apiVersion"];
    return typeof v === "string" ? v : "";
  } catch {
    return "";
  }
}
