/** Shared fixtures for the emulator's own tests: aws-iam (from this repo's metadata)
 * beside a reactive control plane, three units each, related and peered. */
import { REACTIVE_CONTROL_PLANE_META } from "../charms/reactive-control-plane.ts";
import { charmMetaFromYaml, loadCharmMeta } from "./charm-meta.ts";
import type { HookSpec } from "./core.ts";
import { beginHook, runTool } from "./core.ts";
import { type EmulatedModel, ModelBuilder } from "./model-builder.ts";
import type { ModelState } from "./model-state.ts";
import { REPO_ROOT } from "./tool-shims.ts";

/** Our endpoints (metadata.yaml) with a fixed config and action set, so these tests do
 * not change when the charm's config.yaml/actions.yaml do. */
export function awsIamMeta() {
  const fromRepo = loadCharmMeta(REPO_ROOT);
  return {
    ...fromRepo,
    config: {
      image: { type: "string" as const, default: "aws-iam-authenticator:v0.7" },
      replicas: { type: "int" as const, default: 2 },
      debug: { type: "boolean" as const, default: false },
      ratio: { type: "float" as const },
    },
    actions: {
      "get-kubeconfig": { params: { user: { type: "string" } }, required: ["user"] },
    },
  };
}

export const EASYRSA_META = charmMetaFromYaml({
  name: "easyrsa",
  provides: { client: { interface: "tls-certificates" } },
});

export interface Fixture {
  model: EmulatedModel;
  state: ModelState;
  awsIam: number;
  peers: number;
}

/** kcp/0..2 with aws-iam/0..2 on their machines; aws-iam/0 leads. */
export function related(): Fixture {
  const b = new ModelBuilder();
  b.addApplication(REACTIVE_CONTROL_PLANE_META, { standIn: true });
  b.addApplication(awsIamMeta());
  for (let i = 0; i < 3; i++) {
    const p = b.addUnit("kubernetes-control-plane");
    b.addUnit("aws-iam", { principal: p });
  }
  const awsIam = b.addRelation({
    endpoints: ["aws-iam:aws-iam", "kubernetes-control-plane:aws-iam"],
    unitData: { "kubernetes-control-plane/0": { api_server_state: "true" } },
    appData: { "kubernetes-control-plane": { shared: "x" } },
  });
  const peers = b.addRelation({ endpoints: ["aws-iam:aws-iam-peers"] });
  const model = b.build();
  return { model, state: model.state, awsIam, peers };
}

/** Runs tools inside a hook opened for `unit`. */
export function open(state: ModelState, spec: Partial<HookSpec> & { unit: string }) {
  beginHook(state, { hookName: "update-status", ...spec });
  return (tool: string, args: string[], stdin = "") => runTool(state, tool, args, stdin);
}
