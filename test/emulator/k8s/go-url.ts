/**
 * Go's net/url Parse and URL.String, which kube-apiserver's URL checks read (WHATWG `new URL` answers
 * differently: it finds a host in `https:///p` and `https:/h/p`, where Go's Host is ""). Follows golang/go
 * src/net/url/url.go: Parse, parse, getScheme, parseAuthority, parseHost, validUserinfo, validOptionalPort,
 * stringContainsCTLByte, unescape, escape, shouldEscape, setPath/setFragment, EscapedPath, EscapedFragment,
 * Userinfo.String, URL.String (with OmitHost, golang.org/issue/46059: parse sets it for `scheme:/path`).
 * Go works on bytes, so this does too (UTF-8); error texts are Go's, `parse "<url>": <reason>`.
 * Not emulated: the IP-literal checks newer Go adds inside `[...]` hosts.
 */

type Mode = "path" | "host" | "zone" | "userPassword" | "fragment";

export interface GoUrl {
  scheme: string;
  opaque: string;
  user?: { username: string; password?: string };
  host: string;
  path: string;
  rawPath: string;
  omitHost: boolean;
  forceQuery: boolean;
  rawQuery: string;
  fragment: string;
  rawFragment: string;
}

export type GoParsed = { ok: true; url: GoUrl } | { ok: false; error: string };

const enc = new TextEncoder();
const dec = new TextDecoder();
const isAlnum = (c: number): boolean =>
  (c >= 0x61 && c <= 0x7a) || (c >= 0x41 && c <= 0x5a) || (c >= 0x30 && c <= 0x39);
const isHex = (c: number): boolean => /^[0-9a-fA-F]$/.test(String.fromCharCode(c));
const has = (chars: string, c: number): boolean => c < 0x80 && chars.includes(String.fromCharCode(c));

/** strconv.Quote, for `%q`: ASCII controls escaped, other text as is (all of it printable here). */
export function goQuote(s: string): string {
  const named: Record<string, string> = {
    "\x07": "\\a",
    "\b": "\\b",
    "\f": "\\f",
    "\n": "\\n",
    "\r": "\\r",
    "\t": "\\t",
    "\v": "\\v",
    '"': '\\"',
    "\\": "\\\\",
  };
  let out = "";
  for (const ch of s) {
    const c = ch.codePointAt(0)!;
    out += named[ch] ?? (c < 0x20 || c === 0x7f ? `\\x${c.toString(16).padStart(2, "0")}` : ch);
  }
  return `"${out}"`;
}

function shouldEscape(c: number, mode: Mode): boolean {
  if (isAlnum(c)) return false;
  if ((mode === "host" || mode === "zone") && has("!$&'()*+,;=:[]<>\"", c)) return false;
  if (has("-_.~", c)) return false;
  if (has("$&+,/:;=?@", c)) {
    if (mode === "path") return c === 0x3f;
    if (mode === "userPassword") return has("@/?:", c);
    if (mode === "fragment") return false;
  }
  if (mode === "fragment" && has("!()*", c)) return false;
  return true;
}

function goEscape(s: string, mode: Mode): string {
  let out = "";
  for (const b of enc.encode(s)) {
    out += shouldEscape(b, mode)
      ? `%${b.toString(16).toUpperCase().padStart(2, "0")}`
      : String.fromCharCode(b);
  }
  return out;
}

/** The unescaped text, or Go's error (EscapeError / InvalidHostError). */
function goUnescape(s: string, mode: Mode): { ok: true; value: string } | { ok: false; error: string } {
  const b = enc.encode(s);
  const text = (from: number, to: number) => dec.decode(b.subarray(from, to));
  const out: number[] = [];
  for (let i = 0; i < b.length; ) {
    const c = b[i]!;
    if (c === 0x25) {
      if (i + 2 >= b.length || !isHex(b[i + 1]!) || !isHex(b[i + 2]!)) {
        return { ok: false, error: `invalid URL escape ${goQuote(text(i, Math.min(i + 3, b.length)))}` };
      }
      const v = Number.parseInt(text(i + 1, i + 3), 16);
      if (mode === "host" && v >> 4 < 8 && text(i, i + 3) !== "%25") {
        return { ok: false, error: `invalid URL escape ${goQuote(text(i, i + 3))}` };
      }
      if (mode === "zone" && text(i, i + 3) !== "%25" && v !== 0x20 && shouldEscape(v, "host")) {
        return { ok: false, error: `invalid URL escape ${goQuote(text(i, i + 3))}` };
      }
      out.push(v);
      i += 3;
      continue;
    }
    if ((mode === "host" || mode === "zone") && c < 0x80 && shouldEscape(c, mode)) {
      return { ok: false, error: `invalid character ${goQuote(text(i, i + 1))} in host name` };
    }
    out.push(c);
    i += 1;
  }
  return { ok: true, value: dec.decode(new Uint8Array(out)) };
}

function validOptionalPort(port: string): boolean {
  return port === "" || /^:[0-9]*$/.test(port);
}

function parseHost(host: string): { ok: true; value: string } | { ok: false; error: string } {
  if (host.startsWith("[")) {
    const i = host.lastIndexOf("]");
    if (i < 0) return { ok: false, error: "missing ']' in host" };
    const colonPort = host.slice(i + 1);
    if (!validOptionalPort(colonPort))
      return { ok: false, error: `invalid port ${goQuote(colonPort)} after host` };
    const zone = host.slice(0, i).indexOf("%25");
    if (zone >= 0) {
      const parts = [
        goUnescape(host.slice(0, zone), "host"),
        goUnescape(host.slice(zone, i), "zone"),
        goUnescape(host.slice(i), "host"),
      ];
      for (const p of parts) if (!p.ok) return p;
      return { ok: true, value: parts.map((p) => (p.ok ? p.value : "")).join("") };
    }
  } else {
    const i = host.lastIndexOf(":");
    if (i !== -1 && !validOptionalPort(host.slice(i))) {
      return { ok: false, error: `invalid port ${goQuote(host.slice(i))} after host` };
    }
  }
  return goUnescape(host, "host");
}

const USERINFO = /^[A-Za-z0-9\-._:~!$&'()*+,;=%@]*$/;

function parseAuthority(url: GoUrl, authority: string): string | undefined {
  const i = authority.lastIndexOf("@");
  const host = parseHost(i < 0 ? authority : authority.slice(i + 1));
  if (!host.ok) return host.error;
  url.host = host.value;
  if (i < 0) return undefined;
  const userinfo = authority.slice(0, i);
  if (!USERINFO.test(userinfo)) return "net/url: invalid userinfo";
  const colon = userinfo.indexOf(":");
  const username = goUnescape(colon < 0 ? userinfo : userinfo.slice(0, colon), "userPassword");
  if (!username.ok) return username.error;
  if (colon < 0) {
    url.user = { username: username.value };
    return undefined;
  }
  const password = goUnescape(userinfo.slice(colon + 1), "userPassword");
  if (!password.ok) return password.error;
  url.user = { username: username.value, password: password.value };
  return undefined;
}

/** getScheme: [a-zA-Z][a-zA-Z0-9+-.]* before the first ':', else no scheme. */
function getScheme(raw: string): { scheme: string; rest: string } | string {
  for (let i = 0; i < raw.length; i++) {
    const c = raw[i]!;
    if (/[a-zA-Z]/.test(c)) continue;
    if (/[0-9+\-.]/.test(c)) {
      if (i === 0) return { scheme: "", rest: raw };
      continue;
    }
    if (c === ":") {
      if (i === 0) return "missing protocol scheme";
      return { scheme: raw.slice(0, i), rest: raw.slice(i + 1) };
    }
    return { scheme: "", rest: raw };
  }
  return { scheme: "", rest: raw };
}

function parse(raw: string): GoUrl | string {
  // biome-ignore lint/suspicious/noControlCharactersInRegex: Go refuses exactly these bytes.
  if (/[\x00-\x1f\x7f]/.test(raw)) return "net/url: invalid control character in URL";
  const url: GoUrl = {
    scheme: "",
    opaque: "",
    host: "",
    path: "",
    rawPath: "",
    omitHost: false,
    forceQuery: false,
    rawQuery: "",
    fragment: "",
    rawFragment: "",
  };
  if (raw === "*") {
    url.path = "*";
    return url;
  }
  const split = getScheme(raw);
  if (typeof split === "string") return split;
  url.scheme = split.scheme.toLowerCase();
  let rest = split.rest;
  if (rest.endsWith("?") && rest.split("?").length === 2) {
    url.forceQuery = true;
    rest = rest.slice(0, -1);
  } else {
    const q = rest.indexOf("?");
    if (q >= 0) [rest, url.rawQuery] = [rest.slice(0, q), rest.slice(q + 1)];
  }
  if (!rest.startsWith("/")) {
    if (url.scheme !== "") {
      url.opaque = rest;
      return url;
    }
    if ((rest.split("/")[0] ?? "").includes(":")) return "first path segment in URL cannot contain colon";
  }
  if ((url.scheme !== "" || !rest.startsWith("///")) && rest.startsWith("//")) {
    let authority = rest.slice(2);
    rest = "";
    const slash = authority.indexOf("/");
    if (slash >= 0) [authority, rest] = [authority.slice(0, slash), authority.slice(slash)];
    const problem = parseAuthority(url, authority);
    if (problem) return problem;
  } else if (url.scheme !== "" && rest.startsWith("/")) {
    url.omitHost = true;
  }
  const path = goUnescape(rest, "path");
  if (!path.ok) return path.error;
  url.path = path.value;
  url.rawPath = goEscape(path.value, "path") === rest ? "" : rest;
  return url;
}

/** url.Parse. */
export function goParseUrl(raw: string): GoParsed {
  const hash = raw.indexOf("#");
  const [u, frag] = hash < 0 ? [raw, ""] : [raw.slice(0, hash), raw.slice(hash + 1)];
  const url = parse(u);
  if (typeof url === "string") return { ok: false, error: `parse ${goQuote(u)}: ${url}` };
  if (frag === "") return { ok: true, url };
  const fragment = goUnescape(frag, "fragment");
  if (!fragment.ok) return { ok: false, error: `parse ${goQuote(raw)}: ${fragment.error}` };
  url.fragment = fragment.value;
  url.rawFragment = goEscape(fragment.value, "fragment") === frag ? "" : frag;
  return { ok: true, url };
}

/** Userinfo.String: "user" or "user:password", escaped. */
export function goUserString(user: { username: string; password?: string }): string {
  const name = goEscape(user.username, "userPassword");
  return user.password === undefined ? name : `${name}:${goEscape(user.password, "userPassword")}`;
}

/** validEncoded: no byte that would need escaping, sub-delims, ':', '@', '[', ']' and '%' aside. */
function validEncoded(s: string, mode: Mode): boolean {
  for (const b of enc.encode(s)) {
    if (has("!$&'()*+,;=:@[]%", b)) continue;
    if (shouldEscape(b, mode)) return false;
  }
  return true;
}

function escapedPart(raw: string, value: string, mode: Mode): string {
  if (raw !== "" && validEncoded(raw, mode)) {
    const back = goUnescape(raw, mode);
    if (back.ok && back.value === value) return raw;
  }
  return value === "*" && mode === "path" ? "*" : goEscape(value, mode);
}

/** URL.String. */
export function goUrlString(u: GoUrl): string {
  let out = u.scheme === "" ? "" : `${u.scheme}:`;
  if (u.opaque !== "") {
    out += u.opaque;
  } else {
    if (u.scheme !== "" || u.host !== "" || u.user !== undefined) {
      if (!(u.omitHost && u.host === "" && u.user === undefined)) {
        if (u.host !== "" || u.path !== "" || u.user !== undefined) out += "//";
        if (u.user !== undefined) out += `${goUserString(u.user)}@`;
        if (u.host !== "") out += goEscape(u.host, "host");
      }
    }
    const path = escapedPart(u.rawPath, u.path, "path");
    if (path !== "" && !path.startsWith("/") && u.host !== "") out += "/";
    if (out === "" && (path.split("/")[0] ?? "").includes(":")) out += "./";
    out += path;
  }
  if (u.forceQuery || u.rawQuery !== "") out += `?${u.rawQuery}`;
  if (u.fragment !== "") out += `#${escapedPart(u.rawFragment, u.fragment, "fragment")}`;
  return out;
}
