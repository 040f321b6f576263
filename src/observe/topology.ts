import { blocked, type Status } from "../plan/status.ts";
import type { JujuSnapshot, RelationSnapshot } from "./juju.ts";

/** Which kubernetes-control-plane generation this unit is attached to. */
export type ControlPlane =
  | { readonly generation: "legacy"; readonly relation: RelationSnapshot }
  | { readonly generation: "current"; readonly relation: RelationSnapshot };

const INTEGRATE_CONTROL_PLANE =
  "integrate with kubernetes-control-plane: `juju integrate aws-iam:juju-info kubernetes-control-plane:juju-info` " +
  "(1.29 and later) or `juju integrate aws-iam:aws-iam kubernetes-control-plane:aws-iam` (1.28 and older)";

/** The control-plane relation in use, or why there is none usable. */
export function controlPlaneOf(snapshot: JujuSnapshot): ControlPlane | Status {
  const legacy = live(snapshot.legacyControlPlane);
  const current = live(snapshot.controlPlane);
  if (legacy && current) {
    const app = legacy.remoteApp ?? "kubernetes-control-plane";
    return blocked(
      `related to ${app} over both aws-iam and juju-info; keep one: ` +
        `\`juju remove-relation ${snapshot.context.appName}:juju-info ${current.remoteApp ?? app}:juju-info\``,
    );
  }
  if (legacy) return { generation: "legacy", relation: legacy };
  if (current) return { generation: "current", relation: current };
  return blocked(INTEGRATE_CONTROL_PLANE);
}

/** The command that relates us to a certificate provider, with the other providers' endpoints. */
export function integrateCertificates(appName: string): string {
  return `\`juju integrate ${appName}:certificates easyrsa:client\` (vault 1.15+: vault:vault-pki; the reactive vault ≤ 1.8: vault:certificates)`;
}

/** The certificates relation, or what to run to add it. */
export function certificatesOf(snapshot: JujuSnapshot): RelationSnapshot | Status {
  const relation = live(snapshot.certificates);
  if (relation) return relation;
  return blocked(`missing certificates relation: ${integrateCertificates(snapshot.context.appName)}`);
}

export function isStatus(value: object): value is Status {
  return "name" in value && "message" in value;
}

function live(relation: RelationSnapshot | undefined): RelationSnapshot | undefined {
  return relation && !relation.breaking ? relation : undefined;
}
