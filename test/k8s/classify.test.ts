import assert from "node:assert/strict";
import { describe, test } from "node:test";
import type { KubernetesObject } from "@kubernetes/client-node";
import { classify } from "../../src/k8s/classify.ts";
import { KubeRejected, KubeUnreachable } from "../../src/k8s/errors.ts";
import { withRetry } from "../../src/k8s/retry.ts";
import { scrub, secretValues } from "../../src/k8s/scrub.ts";

function apiException(code: number, body: unknown): Error {
  return Object.assign(new Error(`HTTP-Code: ${code} Body: ${JSON.stringify(body)} token: abcdefghijk`), {
    code,
    body: JSON.stringify(body),
  });
}

describe("classify", () => {
  test("4xx is rejected with the Status reason and message, never the raw exception text", () => {
    const result = classify(apiException(403, { reason: "Forbidden", message: "no" }), "list Secret");
    assert.equal(result.kind, "rejected");
    assert.ok(result.kind === "rejected" && result.error instanceof KubeRejected);
    assert.equal(result.error.message, "list Secret rejected (403 Forbidden): no");
  });

  test("5xx and 429 are transient", () => {
    for (const code of [500, 503, 504, 429]) {
      assert.equal(classify(apiException(code, { reason: "X" }), "get").kind, "transient");
    }
  });

  test("socket errors and aborts are transient with a short cause", () => {
    const refused = Object.assign(new Error("request failed, reason: connect ECONNREFUSED"), {
      name: "FetchError",
      code: "ECONNREFUSED",
    });
    const aborted = Object.assign(new Error("The operation was aborted."), { name: "AbortError" });
    const refusedResult = classify(refused, "get");
    const abortedResult = classify(aborted, "get");
    assert.ok(refusedResult.kind === "transient" && refusedResult.error.detail === "ECONNREFUSED");
    assert.ok(abortedResult.kind === "transient" && abortedResult.error.detail === "timeout");
  });

  test("anything else is a bug and is left alone", () => {
    assert.equal(classify(new TypeError("x is undefined"), "get").kind, "unknown");
    assert.equal(classify("string", "get").kind, "unknown");
  });
});

describe("withRetry", () => {
  test("retries transient failures at most twice, backing off", async () => {
    const waits: number[] = [];
    let calls = 0;
    const failing = () => {
      calls++;
      return Promise.reject(apiException(503, { reason: "ServiceUnavailable" }));
    };
    await assert.rejects(
      withRetry("get", failing, { retries: 2, backoffMs: 100, sleep: async (ms) => void waits.push(ms) }),
      (error: unknown) => error instanceof KubeUnreachable && /after 3 attempts/.test(error.message),
    );
    assert.equal(calls, 3);
    assert.deepEqual(waits, [100, 200]);
  });

  test("does not retry a rejection", async () => {
    let calls = 0;
    const rejected = () => {
      calls++;
      return Promise.reject(apiException(409, { reason: "Conflict" }));
    };
    await assert.rejects(
      withRetry("apply", rejected, { retries: 2, backoffMs: 1, sleep: async () => {} }),
      KubeRejected,
    );
    assert.equal(calls, 1);
  });
});

describe("scrub", () => {
  const key = "-----BEGIN PRIVATE KEY-----\nMIIEvQIBADANBgkqhkiG9w0BAQEFAASC\n-----END PRIVATE KEY-----\n";
  const secret = {
    apiVersion: "v1",
    kind: "Secret",
    data: { "key.pem": Buffer.from(key).toString("base64") },
  };

  test("collects base64 values, decoded values and their lines; ignores other kinds", () => {
    const values = secretValues([
      secret,
      { apiVersion: "v1", kind: "ConfigMap", data: { a: "visible-config" } } as KubernetesObject,
    ]);
    assert.ok(values.includes(secret.data["key.pem"]));
    assert.ok(values.includes(key));
    assert.ok(values.includes("MIIEvQIBADANBgkqhkiG9w0BAQEFAASC"));
    assert.ok(!values.includes("visible-config"));
  });

  test("replaces every secret value and redacts PEM blocks and tokens", () => {
    const values = secretValues([secret]);
    const text = `bad ${secret.data["key.pem"]} line MIIEvQIBADANBgkqhkiG9w0BAQEFAASC and ${key} bearer abcdefghijklmnop`;
    const out = scrub(text, values);
    assert.ok(!out.includes("MIIEvQIBADANBgkqhkiG9w0BAQEFAASC"));
    assert.ok(!out.includes(secret.data["key.pem"]));
    assert.ok(!out.includes("abcdefghijklmnop"));
  });
});
