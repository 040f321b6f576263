// Which Kubernetes node is this machine, found the way kubelet registered it. Charmed Kubernetes starts
// kubelet with --node-ip=<unit address> and --hostname-override=get_node_name(fqdn) (charm-lib-kubernetes-
// snaps, configure_kubelet / get_node_name: getfqdn().lower() with the AWS external cloud provider,
// gethostname().lower() elsewhere); kubelet publishes the node IP as InternalIP and the override as the
// Hostname address and the kubernetes.io/hostname label (kubernetes/kubernetes pkg/kubelet/nodestatus/
// setters.go, NodeAddress). On AWS the node is `ip-10-0-0-5.ec2.internal` while /etc/hostname says
// `ip-10-0-0-5`: the address is the one identity both worlds share.
import type { V1Node } from "@kubernetes/client-node";

/** What this machine knows about itself. */
export interface MachineIdentity {
  /** The unit's address on its control-plane relation's binding (network-get); undefined if unknown. */
  readonly address: string | undefined;
  /** Lower-cased hostname and FQDN (deduplicated). */
  readonly names: readonly string[];
}

export type NodeMatch =
  | { readonly node: string; readonly rule: "InternalIP" | "name" | "hostname-label" }
  | { readonly node: undefined; readonly problem: string };

const HOSTNAME_LABEL = "kubernetes.io/hostname";

/** First the node whose InternalIP is the unit's address, then by name, then by hostname label. */
export function matchNode(nodes: readonly V1Node[], self: MachineIdentity): NodeMatch {
  const named = nodes.filter((node) => node.metadata?.name);
  if (self.address !== undefined) {
    const byIp = named.find((node) =>
      (node.status?.addresses ?? []).some((a) => a.type === "InternalIP" && a.address === self.address),
    );
    if (byIp) return { node: byIp.metadata!.name!, rule: "InternalIP" };
  }
  const names = self.names.map((name) => name.toLowerCase());
  const byName = named.find((node) => names.includes(node.metadata!.name!.toLowerCase()));
  if (byName) return { node: byName.metadata!.name!, rule: "name" };
  const byLabel = named.find((node) => {
    const label = node.metadata?.labels?.[HOSTNAME_LABEL];
    return label !== undefined && names.includes(label.toLowerCase());
  });
  if (byLabel) return { node: byLabel.metadata!.name!, rule: "hostname-label" };
  const alternatives = names.join(" or ");
  const rules = [
    self.address !== undefined
      ? `no node has InternalIP ${self.address}`
      : "this unit's address is unknown (network-get gave none)",
    `no node is named ${alternatives}`,
    `no node is labelled ${HOSTNAME_LABEL}=${alternatives}`,
  ];
  return {
    node: undefined,
    problem:
      `this machine is not a Kubernetes node yet: ${rules.join("; ")} ` +
      `(${named.length} node(s) registered); check that kubelet runs here and registered with the API server`,
  };
}
