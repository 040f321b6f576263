/** Stand-in for the current (ops) kubernetes-control-plane (1.29+): it has no aws-iam
 * endpoint, so aws-iam attaches over Juju's implicit `juju-info` (container scope on
 * our side). It writes nothing itself: Juju provides the address keys. */
import { charmMetaFromYaml } from "../juju/charm-meta.ts";
import type { RelationView, RelationWrites, RemoteCharm } from "../juju/remote-charm.ts";

export const OPS_CONTROL_PLANE_META = charmMetaFromYaml({
  name: "kubernetes-control-plane",
  subordinate: false,
  provides: { "kube-control": { interface: "kube-control" } },
  config: {},
});

export class OpsControlPlane implements RemoteCharm {
  readonly charm = "kubernetes-control-plane";
  readonly events: string[] = [];

  async onRelationEvent(view: RelationView): Promise<RelationWrites> {
    this.events.push(
      `${view.event?.kind ?? "changed"}${view.event?.remoteUnit ? `(${view.event.remoteUnit})` : ""}`,
    );
    return this.forwardingWrites(view);
  }

  /** Where the auth-webhook forwarding to aws-iam (authn-webhook-endpoint) will go
   * once a later issue models it; today the ops control plane does nothing here. */
  protected forwardingWrites(_view: RelationView): RelationWrites {
    return {};
  }
}
