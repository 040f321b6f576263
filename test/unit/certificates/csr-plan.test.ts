import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { planCsr, renewAt } from "../../../src/certificates/csr-plan.ts";
import { createCsrPem, generatePrivateKeyPem } from "../../../src/certificates/keys.ts";
import { desiredRequests } from "../../../src/certificates/request.ts";

const request = desiredRequests()[0]!;
const key = generatePrivateKeyPem();
const csr = createCsrPem(request, key);
const active = { notBefore: "2026-01-01T00:00:00.000Z", notAfter: "2026-04-01T00:00:00.000Z" };
const now = new Date("2026-01-10T00:00:00Z");

describe("planCsr", () => {
  it("asks for a CSR when none exists, the request or the key changed, or a re-request is due", () => {
    assert.deepEqual(planCsr({ request, keyPem: key, now }), { action: "new-csr", reason: "missing" });
    const wider = desiredRequests({ extraSans: ["10.1.1.1"] })[0]!;
    assert.deepEqual(planCsr({ request: wider, keyPem: key, currentCsrPem: csr, now }), {
      action: "new-csr",
      reason: "request-changed",
    });
    assert.deepEqual(planCsr({ request, keyPem: generatePrivateKeyPem(), currentCsrPem: csr, now }), {
      action: "new-csr",
      reason: "key-changed",
    });
    assert.deepEqual(planCsr({ request, keyPem: key, currentCsrPem: csr, reRequest: true, now }), {
      action: "new-csr",
      reason: "re-request",
    });
  });

  /** The current CSR for the active certificate, made at `csrCreatedAt`, asked about at `at`. */
  const planFor = (csrCreatedAt: string, at: Date) =>
    planCsr({ request, keyPem: key, currentCsrPem: csr, active, csrCreatedAt, now: at });

  it("keeps the CSR otherwise", () => {
    assert.deepEqual(planFor("2025-12-31T00:00:00Z", now), { action: "keep" });
  });

  it("renews once when 1/3 of the validity is left", () => {
    assert.equal(renewAt(active).toISOString(), "2026-03-02T00:00:00.000Z");
    const late = new Date("2026-03-05T00:00:00Z");
    assert.deepEqual(planFor("2025-12-31T00:00:00Z", late), { action: "new-csr", reason: "renewal" });
    assert.deepEqual(
      planFor("2026-03-03T00:00:00Z", late),
      { action: "keep" },
      "the renewal CSR is not renewed",
    );
  });
});
