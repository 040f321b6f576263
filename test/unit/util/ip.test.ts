import assert from "node:assert/strict";
import { isIP } from "node:net";
import { describe, it } from "node:test";
import fc from "fast-check";
import { ipFamily } from "../../../src/util/ip.ts";

const CASES = [
  "127.0.0.1",
  "10.0.0.11",
  "255.255.255.255",
  "256.1.1.1",
  "01.2.3.4",
  "1.2.3",
  "1.2.3.4.",
  "::",
  "::1",
  "1::",
  "fe80::1%eth0",
  "fe80::1%",
  "2001:db8::",
  "2001:0db8:0000:0000:0000:ff00:0042:8329",
  "1:2:3:4:5:6:7:8",
  "1:2:3:4:5:6:7::",
  "1:2:3:4:5:6:7:8:9",
  "1:2:3:4:5:6::7:8",
  "::ffff:10.0.0.1",
  "1:2:3:4:5:6:1.2.3.4",
  "1:2:3:4:5:6:7:1.2.3.4",
  "1::2::3",
  ":::",
  "12345::",
  "aws-iam-authenticator",
  "ip-10-0-0-11.ec2.internal",
  "",
];

describe("ipFamily", () => {
  it("answers as node:net isIP on addresses, near misses and names", () => {
    for (const text of CASES) assert.equal(ipFamily(text), isIP(text), JSON.stringify(text));
  });

  it("answers as node:net isIP on random strings of address characters", () => {
    const char = fc.constantFrom(..."0123456789abcdefABCDEFgz:.%-");
    const ipv4 = fc.tuple(fc.nat(300), fc.nat(300), fc.nat(300), fc.nat(300)).map((o) => o.join("."));
    const group = fc.stringMatching(/^[0-9a-f]{1,5}$/);
    const ipv6 = fc
      .tuple(
        fc.array(group, { maxLength: 9 }),
        fc.boolean(),
        fc.array(group, { maxLength: 9 }),
        fc.option(ipv4),
      )
      .map(([a, gap, b, tail]) => `${a.join(":")}${gap ? "::" : ":"}${b.join(":")}${tail ? `:${tail}` : ""}`);
    fc.assert(
      fc.property(fc.oneof(fc.string({ unit: char, maxLength: 45 }), ipv4, ipv6), (text) => {
        assert.equal(ipFamily(text), isIP(text), JSON.stringify(text));
      }),
      { numRuns: 20_000 },
    );
  });
});
