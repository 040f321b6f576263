// The Kubernetes client as the old reconcile path loads it (one dynamic import). Loading this module
// loads @kubernetes/client-node: import it dynamically, and only in hooks that talk to the cluster.
// Only what src/ uses through it; tests import the modules themselves.

export { nodeWorkload, summariseNodes } from "../workload/node-status.ts";
export { applyDesired } from "./apply.ts";
export type { KubeClient } from "./client.ts";
export { describeRef } from "./client.ts";
export { connect } from "./connect.ts";
export { teardown } from "./delete-owned.ts";
export { KubeError } from "./errors.ts";
