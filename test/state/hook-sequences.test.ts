/** Property: whatever order operators and Juju deliver events in, the deployment settles
 * to the same place — no hook fails, every unit agrees on the cluster ID and the certificate,
 * the status follows from the final configuration alone, and one more round of hooks writes
 * nothing (a fixed point). */
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import fc from "fast-check";
import { heldBy, peerAppBag, statusOf, UNITS, withProvider } from "../support/certificates.ts";
import { csrProvider } from "../support/providers.ts";

type Event =
  | { kind: "config"; port: number; ttl: string }
  | { kind: "bad-config" }
  | { kind: "update-status" }
  | { kind: "leader"; unit: number }
  | { kind: "upgrade" }
  | { kind: "reissue" };

const events: fc.Arbitrary<Event> = fc.oneof(
  fc.record({
    kind: fc.constant("config" as const),
    port: fc.constantFrom(21362, 21400),
    ttl: fc.constantFrom("", "1m0s"),
  }),
  fc.constant({ kind: "bad-config" as const }),
  fc.constant({ kind: "update-status" as const }),
  fc.record({ kind: fc.constant("leader" as const), unit: fc.integer({ min: 0, max: 2 }) }),
  fc.constant({ kind: "upgrade" as const }),
  fc.constant({ kind: "reissue" as const }),
);

const NO_KUBE =
  "waiting: no Kubernetes credentials at /root/.kube/config yet (the control plane writes them)";

describe("hook sequences", () => {
  test("any order of config changes, leader changes, upgrades and re-issues converges", async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(events, { minLength: 1, maxLength: 6 }), async (sequence) => {
        const provider = csrProvider({ flavour: "self-signed" });
        const { d, certificates } = await withProvider(provider, "self-signed-certificates:certificates");
        let configValid = true;
        for (const event of sequence) {
          if (event.kind === "config") {
            await d.configure("aws-iam", { port: event.port, "token-webhook-cache-ttl": event.ttl });
            configValid = true;
          } else if (event.kind === "bad-config") {
            await d.configure("aws-iam", { port: 21363 });
            configValid = false;
          } else if (event.kind === "update-status") {
            await d.updateStatus("aws-iam");
          } else if (event.kind === "leader") {
            await d.setLeader(UNITS[event.unit]!);
          } else if (event.kind === "upgrade") {
            await d.upgrade("aws-iam");
          } else {
            provider.standIn.rotateCa();
            await d.pokeStandIn("self-signed-certificates", certificates);
          }
        }
        await d.settle();

        const failed = d.log.filter((step) => step.result !== undefined && step.result.exitCode !== 0);
        assert.deepEqual(
          failed.map((step) => `${step.description}: ${step.result!.stderr}`),
          [],
        );

        const statuses = new Set(UNITS.map((unit) => statusOf(d, unit)));
        assert.equal(statuses.size, 1, `units disagree: ${[...statuses].join(" / ")}`);
        const [status] = statuses;
        if (configValid) assert.equal(status, NO_KUBE);
        else assert.match(status!, /^blocked: invalid config: port must be/);

        if (configValid) {
          const fingerprint = peerAppBag(d)["tls-fingerprint"];
          assert.ok(fingerprint, "the leader shared a certificate");
          for (const unit of UNITS) assert.equal(heldBy(d, unit).recorded, fingerprint, unit);
        }
        assert.ok(peerAppBag(d)["generated-cluster-id"], "the cluster ID was generated once and shared");

        const again = await d.updateStatus("aws-iam");
        const writes = again.flatMap((step) =>
          (step.result?.calls ?? []).filter((call) => /-set$|^secret-(add|set|remove)/.test(call.tool)),
        );
        assert.deepEqual(
          writes.map((call) => call.tool),
          [],
          "a settled deployment is a fixed point",
        );
      }),
      { numRuns: 12, endOnFailure: true },
    );
  });
});
