/** CK's auth-webhook as kube-apiserver meets it, for a token none of CK's own checks (admin token,
 * known_tokens.csv, kube-system secrets) matched, with its secrets loaded. Both generations run the same
 * code (charmed-kubernetes/charm-kubernetes-control-plane templates/auth-webhook.py for 1.29+,
 * templates/cdk.master.auth-webhook.py for 1.28):
 * - webhook(): `req = await request.json()` (the API server's review, keys in its order), then
 *   `req['status'] = {'authenticated': False}`; AWS_IAM_ENDPOINT, KEYSTONE_ENDPOINT and
 *   CUSTOM_AUTHN_ENDPOINT are asked in that order with that dict, the first yes wins; no yes → nak():
 *   aiohttp.web.json_response(req), 200 with the review and authenticated false.
 * - forward_request(): aiohttp session.post(url, json=review, timeout=10) with aiohttp's default SSL
 *   context (Python's ssl.create_default_context: the system trust store, and before Python 3.13 no
 *   VERIFY_X509_PARTIAL_CHAIN, so a path must end in a self-signed certificate the store holds); on
 *   aiohttp.ClientSSLError it posts again with verify_ssl=False. Timeouts and connection errors →
 *   False. Then `'authenticated' in resp['status']` guards only KeyError/TypeError/ValueError on
 *   resp['status'] itself; `resp['status']['authenticated']` is outside the try, so an answer whose
 *   status lacks `authenticated` (the upstream server's 403 deny body) raises KeyError out of the
 *   handler, and aiohttp answers 500 text/plain "500 Internal Server Error\n\nServer got itself in
 *   trouble" (aio-libs/aiohttp web_protocol.py RequestHandler.handle_error), skipping every endpoint
 *   after this one.
 * - Both the forwarded body (aiohttp client.py ClientSession._request: payload.JsonPayload(json,
 *   dumps=self._json_serialize), json.dumps by default) and the answer (aiohttp web_response.py
 *   json_response: `dumps=json.dumps`, content_type "application/json", and Response adds
 *   "; charset=utf-8" for text) are Python's json.dumps with its defaults (python-json.ts).
 * Test machines have no system CA bundle: the trust store is the CA files the charm put in
 * /usr/local/share/ca-certificates. */
import { readdirSync, readFileSync } from "node:fs";
import { request } from "node:https";
import { join } from "node:path";
import type { TLSSocket } from "node:tls";
import { pyJsonDumps } from "./python-json.ts";

export const HOST_CA_DIR = "usr/local/share/ca-certificates";
export const INTERNAL_ERROR_BODY = "500 Internal Server Error\n\nServer got itself in trouble";

/** spec.audiences under CK: kube-apiserver's API audiences, which default to the service account issuer
 * when --api-audiences is not given (kubernetes/kubernetes pkg/kubeapiserver/options/authentication.go
 * BuiltInAuthenticationOptions.ApplyTo / ToAuthenticationConfig), and CK sets only
 * service-account-issuer=https://kubernetes.default.svc (charmed-kubernetes/charm-lib-kubernetes-snaps
 * charms/kubernetes_snaps.py configure_apiserver; reactive/kubernetes_control_plane.py on release_1.28). */
export const CK_API_AUDIENCES: readonly string[] = ["https://kubernetes.default.svc"];

/** The body kube-apiserver's token webhook client POSTs under CK, byte for byte:
 * - version: --authentication-token-webhook-version defaults to "v1beta1" (authentication.go WithWebHook)
 *   and CK never sets it (configure_apiserver; the reactive charm on release_1.28 neither). The "/v1" path
 *   in the 1.29+ auth-webhook kubeconfig (src/auth_webhook.py configure, api_ver "v1") is only a URL: the
 *   review sent there is still v1beta1.
 * - content: staging/src/k8s.io/apiserver/plugin/pkg/authenticator/token/webhook/webhook.go
 *   AuthenticateToken builds Spec{Token, Audiences: the request's audiences} (the authentication filter
 *   puts the API audiences on every request, staging/src/k8s.io/apiserver/pkg/endpoints/filters/
 *   authentication.go withAuthentication) and tokenReviewV1beta1Client.Create sends
 *   v1beta1.TokenReview{Spec: v1SpecToV1beta1Spec(...)}.
 * - bytes: the client's JSON serializer (k8s.io/apimachinery runtime/serializer/json json.go doEncode:
 *   json.NewEncoder(w).Encode, so a trailing newline) over k8s.io/api authentication/v1beta1 types.go
 *   TokenReview: kind and apiVersion (TypeMeta), metadata with the zero creationTimestamp as null, spec,
 *   and a status whose omitempty fields all drop, leaving an empty user. Go's encoder also escapes <, > and
 *   & (JSON.stringify does not); tokens and audiences never hold them. */
export function apiServerTokenReview(token: string, audiences: readonly string[] = CK_API_AUDIENCES): string {
  return `${JSON.stringify({
    kind: "TokenReview",
    apiVersion: "authentication.k8s.io/v1beta1",
    metadata: { creationTimestamp: null },
    spec: { token, ...(audiences.length > 0 ? { audiences } : {}) },
    status: { user: {} },
  })}\n`;
}

export interface AuthWebhookAnswer {
  /** What CK's auth-webhook answers kube-apiserver. */
  readonly httpStatus: number;
  readonly contentType: string;
  readonly body: string;
  /** The review it answers with (JSON answers only). */
  readonly review?: { status?: Record<string, unknown> } & Record<string, unknown>;
  /** Per endpoint asked: how TLS went and what came back. */
  readonly forwards: readonly Forward[];
}

export interface Forward {
  readonly url: string;
  /** "verified" by the trust store, "unverified" after the SSL-error retry, or "failed" (no answer). */
  readonly tls: "verified" | "unverified" | "failed";
  /** Why the verified attempt (or the whole forward) failed. */
  readonly error?: string;
  readonly httpStatus?: number;
  readonly body?: string;
}

/** The auth-webhook handling one TokenReview for `token`; endpoints in template order. */
export async function ckAuthWebhook(
  endpoints: { readonly awsIam?: string; readonly keystone?: string; readonly custom?: string },
  token: string,
  trustStore: readonly string[],
): Promise<AuthWebhookAnswer> {
  // request.json(): a dict in the body's key order; assigning `status` keeps its place.
  const review = JSON.parse(apiServerTokenReview(token)) as Record<string, unknown>;
  review["status"] = { authenticated: false };
  const forwards: Forward[] = [];
  for (const url of [endpoints.awsIam, endpoints.keystone, endpoints.custom]) {
    if (url === undefined || url === "") continue;
    const forward = await post(url, pyJsonDumps(review), trustStore);
    forwards.push(forward);
    if (forward.body === undefined) continue; // "Failed to contact server": False
    let resp: unknown;
    let status: unknown;
    try {
      resp = JSON.parse(forward.body);
      status = pyIndex(resp, "status");
      pyContains(status, "authenticated");
    } catch {
      continue; // "Invalid response from server": False
    }
    if (!isDict(status) || !("authenticated" in status)) {
      // KeyError (or TypeError) out of forward_request: the handler fails.
      return { httpStatus: 500, contentType: "text/plain", body: INTERNAL_ERROR_BODY, forwards };
    }
    if (pyTruthy(status["authenticated"])) {
      review["status"] = status;
      return jsonResponse(review, forwards);
    }
  }
  review["status"] = { authenticated: false };
  return jsonResponse(review, forwards);
}

/** Every CA file the machine's trust store would add. */
export function hostTrustStore(machineRoot: string): string[] {
  const dir = join(machineRoot, HOST_CA_DIR);
  let names: string[];
  try {
    names = readdirSync(dir);
  } catch {
    return [];
  }
  return names.filter((name) => name.endsWith(".crt")).map((name) => readFileSync(join(dir, name), "utf8"));
}

function jsonResponse(review: Record<string, unknown>, forwards: Forward[]): AuthWebhookAnswer {
  return {
    httpStatus: 200,
    contentType: "application/json; charset=utf-8",
    body: pyJsonDumps(review),
    review: review as AuthWebhookAnswer["review"] & Record<string, unknown>,
    forwards,
  };
}

async function post(url: string, body: string, trustStore: readonly string[]): Promise<Forward> {
  try {
    const answer = await once(url, body, trustStore);
    return { url, tls: "verified", httpStatus: answer.status, body: answer.body };
  } catch (error) {
    if (!isSslError(error)) return { url, tls: "failed", error: describe(error) };
    try {
      const answer = await once(url, body, undefined);
      return { url, tls: "unverified", error: describe(error), httpStatus: answer.status, body: answer.body };
    } catch (again) {
      return { url, tls: "failed", error: describe(again) };
    }
  }
}

class SslError extends Error {
  readonly code: string;
  constructor(code: string, message: string) {
    super(message);
    this.code = code;
  }
}

/** One POST; `trustStore` undefined means verify_ssl=False. */
function once(
  url: string,
  body: string,
  trustStore: readonly string[] | undefined,
): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    if (trustStore !== undefined && trustStore.length === 0) {
      // An empty store verifies nothing (and Node would fall back to its bundled roots instead).
      reject(new SslError("UNABLE_TO_GET_ISSUER_CERT_LOCALLY", "unable to get local issuer certificate"));
      return;
    }
    const req = request(
      url,
      {
        method: "POST",
        headers: { "content-type": "application/json", "content-length": Buffer.byteLength(body) },
        timeout: 10_000,
        // A fresh connection each time: aiohttp's session lives for one forward.
        agent: false,
        ...(trustStore === undefined ? { rejectUnauthorized: false } : { ca: [...trustStore] }),
      },
      (res) => {
        let text = "";
        res.setEncoding("utf8");
        res.on("data", (chunk: string) => {
          text += chunk;
        });
        res.on("end", () => resolve({ status: res.statusCode ?? 0, body: text }));
      },
    );
    if (trustStore !== undefined) {
      req.on("socket", (socket) => {
        socket.once("secureConnect", () => {
          // Node accepts any certificate in `ca` as an anchor; OpenSSL without partial chain only a
          // self-signed one. The verified path Node built must end in a self-signed certificate.
          const top = topOfChain((socket as TLSSocket).getPeerCertificate(true));
          if (top !== undefined && top.issuerCertificate !== top) {
            req.destroy(new SslError("UNABLE_TO_GET_ISSUER_CERT", "unable to get issuer certificate"));
          }
        });
      });
    }
    req.on("timeout", () => req.destroy(new Error("Timed out contacting server")));
    req.on("error", reject);
    req.end(body);
  });
}

type PeerCert = ReturnType<TLSSocket["getPeerCertificate"]> & { issuerCertificate?: PeerCert };

function topOfChain(cert: PeerCert | undefined): PeerCert | undefined {
  let cur = cert;
  for (let i = 0; cur !== undefined && i < 10; i++) {
    const up = cur.issuerCertificate;
    if (up === undefined || up === cur || up.fingerprint256 === cur.fingerprint256) return up ?? cur;
    cur = up;
  }
  return cur;
}

/** aiohttp.ClientSSLError: certificate verification and TLS handshake failures. */
function isSslError(error: unknown): boolean {
  const code = (error as { code?: unknown })?.code;
  return (
    error instanceof SslError ||
    (typeof code === "string" && /CERT|SSL|TLS|SELF_SIGNED|ISSUER|SIGNATURE|ALTNAME|VERIFY/.test(code))
  );
}

function describe(error: unknown): string {
  const code = (error as { code?: unknown })?.code;
  const message = error instanceof Error ? error.message : String(error);
  return typeof code === "string" ? `${code}: ${message}` : message;
}

function isDict(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** value[key] as Python evaluates it for a str key: dicts → KeyError when absent, others TypeError. */
function pyIndex(value: unknown, key: string): unknown {
  if (isDict(value)) {
    if (!(key in value)) throw new Error(`KeyError: '${key}'`);
    return value[key];
  }
  throw new Error("TypeError");
}

/** `needle in value`: dict keys, list items, substrings; TypeError for anything else. */
function pyContains(value: unknown, needle: string): boolean {
  if (isDict(value)) return needle in value;
  if (Array.isArray(value)) return value.includes(needle);
  if (typeof value === "string") return value.includes(needle);
  throw new Error("TypeError");
}

function pyTruthy(value: unknown): boolean {
  if (Array.isArray(value)) return value.length > 0;
  if (isDict(value)) return Object.keys(value).length > 0;
  return Boolean(value);
}
