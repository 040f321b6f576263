/** The one writer: diffs against what the hook observed, status by the severity rule, written once. */
import assert from "node:assert/strict";
import { randomBytes } from "node:crypto";
import { describe, it } from "node:test";
import { commitJuju, commitLocal, commitSecret } from "../../../src/commit/commit.ts";
import { readPublished } from "../../../src/commit/status.ts";
import { type CharmDeps, DEFAULT_ROLLOUT_POLL_MS, DEFAULT_ROLLOUT_WAIT_MS } from "../../../src/deps.ts";
import { parseHookContext } from "../../../src/juju/context.ts";
import { HookToolError } from "../../../src/juju/errors.ts";
import { HookTools } from "../../../src/juju/hook-tools.ts";
import { Logger } from "../../../src/juju/logger.ts";
import type { ToolRunner } from "../../../src/juju/runner.ts";
import type { RelationSnapshot } from "../../../src/observe/juju.ts";
import type { FullObservation } from "../../../src/observe/needs.ts";
import type { Plan } from "../../../src/plan/plan.ts";
import { blocked, waiting } from "../../../src/plan/status.ts";
import { MemoryFiles } from "../../support/memory-files.ts";

const context = parseHookContext({
  JUJU_UNIT_NAME: "aws-iam/0",
  JUJU_MODEL_NAME: "ck",
  JUJU_VERSION: "3.6.14",
  JUJU_DISPATCH_PATH: "hooks/update-status",
  JUJU_HOOK_NAME: "update-status",
});

function relation(
  ref: string,
  local: Record<string, string>,
  app?: Record<string, string>,
): RelationSnapshot {
  return {
    ref,
    endpoint: ref.split(":")[0]!,
    remoteApp: "x",
    remoteUnits: [],
    remoteUnitData: {},
    remoteAppData: {},
    localUnitData: local,
    localAppData: app,
    breaking: false,
  };
}

function setUp() {
  const calls: string[][] = [];
  const runner: ToolRunner = {
    async run(tool, args, stdin) {
      calls.push([tool, ...args, ...(stdin ? [stdin] : [])]);
      return "";
    },
  };
  const tools = new HookTools(runner);
  const files = new MemoryFiles();
  const deps: CharmDeps = {
    tools,
    log: new Logger(tools),
    files,
    now: () => new Date(0),
    randomBytes,
    machineNames: async () => [],
    rolloutWaitMs: DEFAULT_ROLLOUT_WAIT_MS,
    rolloutPollMs: DEFAULT_ROLLOUT_POLL_MS,
    sleep: async () => {},
    kubeClient: {},
    generateKey: () => {
      throw new Error("commit makes no keys");
    },
  };
  const observed: FullObservation = {
    context,
    juju: {
      context,
      leader: true,
      config: {},
      legacyControlPlane: undefined,
      controlPlane: undefined,
      certificates: relation("certificates:3", { a: "1", b: "2" }),
      peers: relation("aws-iam-peers:1", {}, { "generated-cluster-id": "c1" }),
    },
    peerApp: { clusterId: "c1" },
    now: new Date(0),
    files: { "/etc/x": "same" },
  };
  return { calls, deps, files, observed };
}

/** No cluster step in these plans: a client request would be a bug. */
const LOCAL = {
  pruneKinds: [],
  kube: () => Promise.reject(new Error("no Kubernetes client expected")),
};

const plan: Plan = {
  unitData: { "certificates:3": { a: "1", b: "3", c: "" } },
  peerApp: { clusterId: "c1", appliedHash: "h" },
  files: { "/etc/x": { content: "same", mode: 0o644 } },
  unitStatus: [waiting("waiting for x"), blocked("config is wrong"), blocked("second")],
  workloadVersion: "v1",
};

describe("commitJuju", () => {
  it("writes only the changed keys, once per bag, then the most severe status (first of equals)", async () => {
    const { calls, deps, observed } = setUp();
    await commitLocal(plan, observed, deps, LOCAL);
    await commitJuju(plan, observed, deps, { previous: {} });
    assert.deepEqual(calls, [
      ["relation-set", "-r", "certificates:3", "--file", "-", '{"b":"3"}'],
      ["relation-set", "-r", "aws-iam-peers:1", "--app", "--file", "-", '{"applied-hash":"h"}'],
      ["status-set", "--application=false", "blocked", "--", "config is wrong"],
      ["status-set", "--application=true", "blocked", "--", "config is wrong"],
      ["application-version-set", "--", "v1"],
    ]);
  });

  it("given everything already as wanted and the status cached then it makes no hook-tool call", async () => {
    const { calls, deps, files, observed } = setUp();
    const settled: Plan = {
      ...plan,
      unitData: { "certificates:3": { a: "1", b: "2" } },
      peerApp: { clusterId: "c1" },
    };
    await commitJuju(settled, observed, deps, { previous: {} });
    const previous = await readPublished(files, "aws-iam/0");
    calls.length = 0;
    await commitLocal(settled, observed, deps, LOCAL);
    await commitJuju(settled, observed, deps, { previous });
    assert.deepEqual(calls, []);
  });
});

describe("commitSecret", () => {
  const withSecret: Plan = {
    secret: {
      label: "authenticator-tls",
      description: "d",
      content: { chain: "x" },
      shareIdAs: "tlsSecretId",
    },
    workloadVersion: "v1",
  };

  it("refuses to add the secret when the hook never looked for it", async () => {
    const { deps, observed } = setUp();
    await assert.rejects(commitSecret(withSecret, observed, deps), /not read/);
  });

  it("adds it when looked for and absent, and hands its id to the peer bag", async () => {
    const { calls, deps, observed } = setUp();
    const result = await commitSecret(withSecret, { ...observed, tlsSecretRead: true }, deps);
    assert.equal(calls[0]?.[0], "secret-add");
    assert.deepEqual(result, { kind: "written", peerApp: { tlsSecretId: "" } });
  });

  it("given Juju refusing its size then the hook's plan is only a blocked status naming the value", async () => {
    const { deps, observed } = setUp();
    const refusing: ToolRunner = {
      async run(tool, args) {
        throw new HookToolError(
          tool,
          args,
          1,
          'ERROR secret content for key "chain" too large: 9000 bytes\n',
        );
      },
    };
    const tools = new HookTools(refusing);
    const result = await commitSecret(withSecret, { ...observed, tlsSecretRead: true }, { ...deps, tools });
    assert.equal(result.kind, "refused");
    const status = result.kind === "refused" ? result.plan.unitStatus?.[0] : undefined;
    assert.equal(status?.name, "blocked");
    assert.match(
      status?.message ?? "",
      /^the certificate chain is 9000 bytes base64-encoded, more than Juju 3\.6\.14/,
    );
  });
});
