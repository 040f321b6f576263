/** Each emulated cluster has its own CA, as real clusters do: one cluster's CA does not verify another. */
import assert from "node:assert/strict";
import { request } from "node:https";
import { after, before, describe, it } from "node:test";
import { type KubeApiEmulator, startKubeApiEmulator } from "./emulator.ts";

function version(api: KubeApiEmulator, ca: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = request(
      `${api.url}/version`,
      { ca, agent: false, headers: { authorization: `Bearer ${api.token}` } },
      (res) => {
        res.resume();
        res.on("end", () => resolve(res.statusCode ?? 0));
      },
    );
    req.on("error", reject);
    req.end();
  });
}

describe("emulator TLS", () => {
  let a: KubeApiEmulator;
  let b: KubeApiEmulator;
  before(async () => {
    [a, b] = await Promise.all([startKubeApiEmulator(), startKubeApiEmulator()]);
  });
  after(async () => {
    await Promise.all([a.close(), b.close()]);
  });

  it("gives each emulator a CA of its own, which its kubeconfig carries", async () => {
    assert.notEqual(a.caPem, b.caPem);
    assert.equal(await version(a, a.caPem), 200);
    assert.equal(await version(b, b.caPem), 200);
    await assert.rejects(version(b, a.caPem), /signature|unable to verify|self.signed|certificate/i);
  });
});
