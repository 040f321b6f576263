/** Node objects the way a kubeadm/Charmed Kubernetes cluster registers them. Charmed Kubernetes starts
 * kubelet with --node-ip=<unit address> --hostname-override=<get_node_name(fqdn)> (charm-lib-kubernetes-snaps
 * charms/kubernetes_snaps.py, configure_kubelet): the node is named after the override, labelled
 * kubernetes.io/hostname with it, and publishes InternalIP <node-ip> and Hostname <override>
 * (kubernetes/kubernetes pkg/kubelet/nodestatus/setters.go, NodeAddress). With an external cloud provider
 * kubelet only annotates the node IP and "relies on the external cloud provider to supply the
 * addresses" (same function); on AWS that adds the instance's private DNS name as InternalDNS (taken
 * from AWS's documented instance metadata, not from cloud-provider-aws source). */
import type { Obj } from "./json.ts";

export interface NodeOptions {
  name: string;
  controlPlane?: boolean;
  labels?: Record<string, string>;
  /** Extra taints; control-plane nodes always get node-role.kubernetes.io/control-plane:NoSchedule. */
  taints?: { key: string; value?: string; effect: "NoSchedule" | "PreferNoSchedule" | "NoExecute" }[];
  ready?: boolean;
  internalIP?: string;
  /** The InternalDNS address (AWS: the instance's private DNS name); none by default. */
  internalDNS?: string;
}

export const CONTROL_PLANE_LABEL = "node-role.kubernetes.io/control-plane";

export function nodeObject(opts: NodeOptions, index: number): Obj {
  const taints: Obj[] = [...(opts.taints ?? [])];
  if (opts.controlPlane) taints.unshift({ key: CONTROL_PLANE_LABEL, effect: "NoSchedule" });
  const ready = opts.ready ?? true;
  return {
    apiVersion: "v1",
    kind: "Node",
    metadata: {
      name: opts.name,
      labels: {
        "kubernetes.io/arch": "amd64",
        "kubernetes.io/hostname": opts.name,
        "kubernetes.io/os": "linux",
        ...(opts.controlPlane ? { [CONTROL_PLANE_LABEL]: "" } : {}),
        ...opts.labels,
      },
    },
    spec: taints.length > 0 ? { taints } : {},
    status: {
      addresses: [
        // Workers sit on another subnet, so no worker shares an address with a control-plane machine.
        { type: "InternalIP", address: opts.internalIP ?? `10.0.${opts.controlPlane ? 0 : 1}.${10 + index}` },
        ...(opts.internalDNS ? [{ type: "InternalDNS", address: opts.internalDNS }] : []),
        { type: "Hostname", address: opts.name },
      ],
      conditions: [
        {
          type: "Ready",
          status: ready ? "True" : "False",
          reason: ready ? "KubeletReady" : "KubeletNotReady",
          message: ready ? "kubelet is posting ready status" : "container runtime network not ready",
          lastHeartbeatTime: new Date().toISOString().replace(/\.\d+Z$/, "Z"),
          lastTransitionTime: new Date().toISOString().replace(/\.\d+Z$/, "Z"),
        },
      ],
      nodeInfo: {
        architecture: "amd64",
        containerRuntimeVersion: "containerd://1.7.22",
        kubeletVersion: "v1.32.0",
        kubeProxyVersion: "v1.32.0",
        operatingSystem: "linux",
        osImage: "Ubuntu 22.04.5 LTS",
      },
    },
  };
}
