// One server per control-plane host on the host network, bound to 127.0.0.1:<port>, so each API server's
// token webhook reaches its local instance without CNI or kube-proxy.
import type {
  V1Container,
  V1DaemonSet,
  V1PodSecurityContext,
  V1PodSpec,
  V1Probe,
  V1SecurityContext,
  V1Toleration,
} from "@kubernetes/client-node";
import { CHECKSUM_ANNOTATION } from "./checksum.ts";
import { CONFIG_DIR, CONFIG_PATH, LISTEN_ADDRESS, STATE_DIR } from "./config-map.ts";
import { LABEL_COMPONENT, ownedLabels, selectorLabels } from "./labels.ts";
import { objectNames } from "./names.ts";
import { needsApiAccess } from "./service-account.ts";
import type { ResolvedSpec } from "./spec.ts";
import { usesSsoMatching } from "./validate-mappings.ts";

export const CONTAINER_NAME = "aws-iam-authenticator";
/** UID/GID of upstream's distroless "nonroot" base image, which also owns the binary (upstream Dockerfile). */
const NONROOT_ID = 65532;

/** Every pod the charm runs: the distroless nonroot user, and the runtime's default seccomp profile. */
export function nonRootPodSecurityContext(): V1PodSecurityContext {
  return {
    runAsNonRoot: true,
    runAsUser: NONROOT_ID,
    runAsGroup: NONROOT_ID,
    // Group-owns the secret files so UID 65532 can read key.pem at mode 0440.
    fsGroup: NONROOT_ID,
    seccompProfile: { type: "RuntimeDefault" },
  };
}

/** Every container the charm runs: identity and seccomp are set once for the pod (nonRootPodSecurityContext);
 * these are the container-only controls. */
export function lockedDownContainerSecurityContext(): V1SecurityContext {
  return {
    privileged: false,
    allowPrivilegeEscalation: false,
    readOnlyRootFilesystem: true,
    capabilities: { drop: ["ALL"] },
  };
}

/** Both control-plane taint generations, plus upstream's CriticalAddonsOnly; the nodeSelector still limits placement. */
export const CONTROL_PLANE_TOLERATIONS: readonly V1Toleration[] = [
  { key: "node-role.kubernetes.io/control-plane", operator: "Exists", effect: "NoSchedule" },
  { key: "node-role.kubernetes.io/master", operator: "Exists", effect: "NoSchedule" },
  { key: "CriticalAddonsOnly", operator: "Exists" },
];

/**
 * Probes hit /healthz over HTTPS on the serving port at 127.0.0.1 (kubelet runs on the host, and the docs
 * prescribe host 127.0.0.1 for hostNetwork pods bound to loopback). Not the fixed plain-HTTP :21363 listener:
 * it answers "ok" on any path whether or not the TLS listener serves, and being one fixed port for every
 * instance on the host, a second deployment's probe would land on the first deployment's server.
 */
function healthProbe(port: number, periodSeconds: number, failureThreshold: number): V1Probe {
  return {
    httpGet: { host: LISTEN_ADDRESS, port, path: "/healthz", scheme: "HTTPS" },
    periodSeconds,
    timeoutSeconds: 3,
    failureThreshold,
    successThreshold: 1,
  };
}

/** `server` args: the backend chain via --backend-mode (the IAMIdentityMappingCRD gate is inert since v0.5). */
export function serverArgs(spec: ResolvedSpec): string[] {
  return [
    "server",
    `--config=${CONFIG_PATH}`,
    `--backend-mode=${spec.backendModes.join(",")}`,
    "--log-format=json",
    ...(usesSsoMatching(spec.mappings) ? ["--feature-gates=SSORoleMatch=true"] : []),
  ];
}

function container(spec: ResolvedSpec): V1Container {
  return {
    name: CONTAINER_NAME,
    image: spec.image,
    imagePullPolicy: "IfNotPresent",
    args: serverArgs(spec),
    // Declared so the scheduler's host-port check refuses a second pod on the same host port.
    ports: [{ name: "https", containerPort: spec.port, protocol: "TCP" }],
    readinessProbe: healthProbe(spec.port, 5, 2),
    livenessProbe: { ...healthProbe(spec.port, 10, 3), initialDelaySeconds: 10 },
    resources: { requests: { ...spec.resources.requests }, limits: { ...spec.resources.limits } },
    securityContext: lockedDownContainerSecurityContext(),
    volumeMounts: [
      { name: "config", mountPath: CONFIG_DIR, readOnly: true },
      { name: "state", mountPath: STATE_DIR, readOnly: true },
    ],
  };
}

/**
 * The server ignores the first SIGTERM (cmd/aws-iam-authenticator/server.go uses
 * signals.SetupSignalHandler: the first signal only cancels the context, pkg/server/server.go Run keeps
 * serving; a second signal exits), and kubelet sends one SIGTERM, then SIGKILL after this period. So
 * every pod in a rolling update lives exactly this long after deletion, serving all the while. The
 * only thing the period buys is time for requests already in flight, and CK's auth-webhook gives up
 * on a forwarded request after 10 s (templates/auth-webhook.py forward_request, timeout = 10): longer
 * would only slow every rollout (the default 30 s adds a minute over three nodes) for nothing.
 */
export const TERMINATION_GRACE_SECONDS = 10;

function podSpec(spec: ResolvedSpec): V1PodSpec {
  const names = objectNames(spec.appName);
  return {
    serviceAccountName: names.serviceAccount,
    automountServiceAccountToken: needsApiAccess(spec),
    hostNetwork: true,
    terminationGracePeriodSeconds: TERMINATION_GRACE_SECONDS,
    // The host resolver finds STS without depending on CoreDNS (ClusterFirst would silently mean this anyway).
    dnsPolicy: "Default",
    // No Service variables; the in-cluster config (CRD and EKSConfigMap backends) still finds the API
    // server: kubelet sets KUBERNETES_SERVICE_HOST/PORT whatever this says (kubernetes
    // pkg/kubelet/kubelet_pods.go getServiceEnvVarMap).
    enableServiceLinks: false,
    priorityClassName: spec.priorityClassName,
    nodeSelector: { ...spec.nodeSelector },
    tolerations: CONTROL_PLANE_TOLERATIONS.map((toleration) => ({ ...toleration })),
    securityContext: nonRootPodSecurityContext(),
    containers: [container(spec)],
    volumes: [
      { name: "config", configMap: { name: names.configMap, defaultMode: 0o444 } },
      { name: "state", secret: { secretName: names.secret, defaultMode: 0o440 } },
    ],
  };
}

/**
 * The DaemonSet; `checksum` (from configChecksum) rolls the pods on config or certificate changes.
 * maxSurge must be 0: two pods cannot bind the same host port, and one node at a time keeps the others serving.
 */
export function buildDaemonSet(spec: ResolvedSpec, checksum: string): V1DaemonSet {
  const labels = { ...ownedLabels(spec.appName), [LABEL_COMPONENT]: "server" };
  return {
    apiVersion: "apps/v1",
    kind: "DaemonSet",
    metadata: { name: objectNames(spec.appName).daemonSet, namespace: spec.namespace, labels },
    spec: {
      selector: { matchLabels: selectorLabels(spec.appName) },
      updateStrategy: { type: "RollingUpdate", rollingUpdate: { maxUnavailable: 1, maxSurge: 0 } },
      // A new pod must stay ready this long before the rollout moves to the next control-plane node.
      minReadySeconds: 10,
      revisionHistoryLimit: 5,
      template: {
        metadata: { labels: { ...labels }, annotations: { [CHECKSUM_ANNOTATION]: checksum } },
        spec: podSpec(spec),
      },
    },
  };
}
