// Hand-built pod and DaemonSet shapes for the pure status tests (as the kubelet and controller report them).
import type { V1ContainerStatus, V1Pod } from "@kubernetes/client-node";
import type { DaemonSetState } from "../../src/k8s/client.ts";

export const CONTAINER = "aws-iam-authenticator";

export function daemonSet(overrides: Partial<DaemonSetState> = {}): DaemonSetState {
  return {
    namespace: "kube-system",
    name: "aws-iam-authenticator",
    generation: 2,
    observedGeneration: 2,
    desired: 3,
    ready: 3,
    updated: 3,
    image: "registry.example/authenticator:v2",
    ...overrides,
  };
}

export interface PodShape {
  node?: string;
  image?: string;
  generation?: string;
  ready?: boolean;
  status?: Partial<V1ContainerStatus>;
}

export function pod(shape: PodShape = {}): V1Pod {
  const image = shape.image ?? "registry.example/authenticator:v2";
  const ready = shape.ready ?? true;
  return {
    metadata: {
      name: `ds-${shape.node ?? "cp-0"}`,
      labels: { "pod-template-generation": shape.generation ?? "2" },
    },
    spec: { nodeName: shape.node ?? "cp-0", containers: [{ name: CONTAINER, image }] },
    status: {
      conditions: [{ type: "Ready", status: ready ? "True" : "False" }],
      containerStatuses: [
        {
          name: CONTAINER,
          image,
          imageID: "",
          ready,
          restartCount: 0,
          state: ready ? { running: {} } : { waiting: { reason: "ContainerCreating" } },
          ...shape.status,
        },
      ],
    },
  };
}
