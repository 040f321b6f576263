/** Helpers shared by the emulator's own tests. */
import assert from "node:assert/strict";
import { type ApiException, KubeConfig, KubernetesObjectApi } from "@kubernetes/client-node";
import type { KubeApiEmulator } from "./emulator.ts";
import { isObj, type Obj } from "./json.ts";

export function clientsFor(api: KubeApiEmulator): { kc: KubeConfig; objects: KubernetesObjectApi } {
  const kc = new KubeConfig();
  kc.loadFromFile(api.kubeconfigPath);
  return { kc, objects: KubernetesObjectApi.makeApiClient(kc) };
}

/** Await a call expected to fail with an API Status; returns the Status body. */
export async function statusOf(call: Promise<unknown>, code: number): Promise<Obj> {
  try {
    await call;
  } catch (e) {
    // Typed and generic clients throw different ApiException classes; both carry code and body.
    const err = e as ApiException<unknown>;
    assert.equal(err.code, code, `HTTP code (${String(e)})`);
    const body: unknown = typeof err.body === "string" ? JSON.parse(err.body) : err.body;
    assert.ok(isObj(body));
    assert.equal(body["kind"], "Status");
    assert.equal(body["code"], code);
    return body;
  }
  assert.fail("expected the call to fail");
}

export function md(o: unknown): Obj {
  assert.ok(isObj(o) && isObj(o["metadata"]), "object with metadata");
  return o["metadata"] as Obj;
}
