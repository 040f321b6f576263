/** Public surface of the Kubernetes API emulator (test-only). */
export type { Cluster } from "./cluster.ts";
export type { EmulatorOptions, KubeconfigOptions } from "./emulator.ts";
export { KubeApiEmulator, startKubeApiEmulator } from "./emulator.ts";
export type { FaultRule, RequestInfo, RequestRecord } from "./faults.ts";
export type { Obj } from "./json.ts";
export type { PodBehaviour } from "./kubelet.ts";
export type { NodeOptions } from "./nodes.ts";
