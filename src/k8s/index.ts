// The Kubernetes adapter as the leader's teardown loads it (one dynamic import). Loading this module
// loads @kubernetes/client-node: import it dynamically, and only where a hook talks to the cluster.
// Only what src/ uses through it; tests import the modules themselves.

export { connectText } from "./connect.ts";
export { teardown } from "./delete-owned.ts";
