// Which IP version a string is, as node:net's isIP answers (dotted-quad IPv4 without leading zeros; RFC 4291
// text IPv6 with at most one "::", an optional trailing IPv4, and an optional %zone). Why not isIP itself:
// its IPv6 check is one very large regular expression that V8 compiles on first use, several milliseconds
// of every hook that checks a SAN or a common name; this answers the common case (a DNS name) at once.
// test/unit/util/ip.test.ts holds it equal to isIP over random strings.

const DECIMAL_OCTET = /^(?:25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9]?[0-9])$/;
const HEX_GROUP = /^[0-9a-fA-F]{1,4}$/;
const ZONE = /^[0-9a-zA-Z.:-]+$/;

function isIPv4(text: string): boolean {
  const octets = text.split(".");
  return octets.length === 4 && octets.every((octet) => DECIMAL_OCTET.test(octet));
}

/** How many 16-bit groups a run of colon-separated groups stands for (an IPv4 tail counts 2); -1: invalid. */
function groupCount(run: string, ipv4TailAllowed: boolean): number {
  if (run === "") return 0;
  const parts = run.split(":");
  let groups = 0;
  for (const [i, part] of parts.entries()) {
    if (HEX_GROUP.test(part)) groups += 1;
    else if (ipv4TailAllowed && i === parts.length - 1 && isIPv4(part)) groups += 2;
    else return -1;
  }
  return groups;
}

function isIPv6(text: string): boolean {
  const percent = text.indexOf("%");
  if (percent !== -1 && !ZONE.test(text.slice(percent + 1))) return false;
  const address = percent === -1 ? text : text.slice(0, percent);
  const halves = address.split("::");
  if (halves.length > 2) return false;
  if (halves.length === 1) return groupCount(address, true) === 8;
  const [head = "", tail = ""] = halves;
  const before = groupCount(head, false);
  const after = groupCount(tail, true);
  // "::" stands for at least one group.
  return before >= 0 && after >= 0 && before + after <= 7;
}

/** 4, 6, or 0 when the text is neither (a DNS name, say). */
export function ipFamily(text: string): 0 | 4 | 6 {
  if (text.includes(":")) return isIPv6(text) ? 6 : 0;
  return isIPv4(text) ? 4 : 0;
}
