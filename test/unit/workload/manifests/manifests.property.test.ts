// Property: for any valid spec, every rendered object passes the official schema and carries our labels.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import type { V1DaemonSet } from "@kubernetes/client-node";
import fc from "fast-check";
import { ownedLabels, sharedLabels } from "../../../../src/workload/manifests/labels.ts";
import { buildAuthenticatorObjects } from "../../../../src/workload/manifests/objects.ts";
import {
  parseServerVersion,
  reservedPrefixBackends,
} from "../../../../src/workload/manifests/server-version.ts";
import {
  type AuthenticatorSpec,
  BACKEND_MODES,
  type BackendMode,
  PARTITIONS,
  PRIORITY_CLASSES,
} from "../../../../src/workload/manifests/spec.ts";
import { CERT_PEM, KEY_PEM } from "./fixtures.ts";
import { validateAgainstOfficialSchema } from "./schema.ts";

const word = fc.stringMatching(/^[a-z][a-z0-9]{0,9}$/);
const appName = fc.array(word, { minLength: 1, maxLength: 3 }).map((parts) => parts.join("-"));
const accountId = fc.stringMatching(/^\d{12}$/);
const groups = fc.array(
  fc.stringMatching(/^[a-z:]{1,12}$/).filter((g) => g.trim() !== ""),
  { maxLength: 3 },
);
const backendModes = fc.shuffledSubarray([...BACKEND_MODES], { minLength: 1 }) as fc.Arbitrary<BackendMode[]>;

const spec: fc.Arbitrary<AuthenticatorSpec> = fc
  .record({
    appName,
    namespace: fc.option(word, { nil: undefined }),
    port: fc.integer({ min: 1024, max: 65535 }).filter((p) => p !== 21363),
    clusterId: fc.stringMatching(/^[A-Za-z0-9.-]{1,40}$/),
    backendModes,
    partition: fc.constantFrom(...PARTITIONS),
    priorityClassName: fc.constantFrom(...PRIORITY_CLASSES),
    memoryMi: fc.integer({ min: 64, max: 2048 }),
    tag: fc
      .tuple(fc.constantFrom(6, 7), fc.integer({ min: 0, max: 40 }), fc.constantFrom("", "_ck1", "-alpha.0"))
      .map(([minor, patch, suffix]) => `v0.${minor}.${patch}${suffix}`),
    roles: fc.array(fc.tuple(accountId, word, word, groups), { maxLength: 3 }),
    accounts: fc.array(accountId, { maxLength: 3 }),
    prefixes: fc.array(fc.constantFrom("system:", "eks:", "aws:"), { maxLength: 2 }),
  })
  .map((r) => ({
    appName: r.appName,
    ...(r.namespace !== undefined && { namespace: r.namespace }),
    image: `registry.example/aws-iam-authenticator:${r.tag}`,
    port: r.port,
    clusterId: r.clusterId,
    backendModes: r.backendModes,
    partition: r.partition,
    priorityClassName: r.priorityClassName,
    resources: { limits: { memory: `${r.memoryMi}Mi` }, requests: { memory: "64Mi" } },
    // Valid specs only: prefixes where this version's backends enforce them.
    reservedUsernamePrefixes:
      reservedPrefixBackends(r.backendModes, parseServerVersion(r.tag)).length > 0 ? r.prefixes : [],
    tls: { certPem: CERT_PEM, keyPem: KEY_PEM },
    ...(r.backendModes.includes("MountedFile") && {
      mappings: {
        mapRoles: r.roles.map(([account, role, username, g]) => ({
          rolearn: `arn:${r.partition}:iam::${account}:role/${role}`,
          username,
          groups: g,
        })),
        mapAccounts: r.accounts,
      },
    }),
  }));

describe("manifests (property)", () => {
  it("every rendered object validates against the official schema and carries our labels", () => {
    fc.assert(
      fc.property(spec, (input) => {
        const objects = buildAuthenticatorObjects(input);
        for (const obj of objects) {
          validateAgainstOfficialSchema(obj);
          const expected =
            obj.kind === "CustomResourceDefinition" ? sharedLabels() : ownedLabels(input.appName);
          for (const [key, value] of Object.entries(expected))
            assert.equal(obj.metadata?.labels?.[key], value);
        }
        const ds = objects.at(-1) as V1DaemonSet;
        const args = ds.spec?.template.spec?.containers[0]?.args ?? [];
        assert.ok(args.includes(`--backend-mode=${input.backendModes?.join(",")}`));
        assert.ok(!args.some((a) => a.includes("IAMIdentityMappingCRD")));
      }),
      { numRuns: 150 },
    );
  });

  it("rendering is deterministic for any valid spec", () => {
    fc.assert(
      fc.property(spec, (input) => {
        assert.deepStrictEqual(
          buildAuthenticatorObjects(input),
          buildAuthenticatorObjects(structuredClone(input)),
        );
      }),
      { numRuns: 50 },
    );
  });
});
