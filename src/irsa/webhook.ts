// The amazon-eks-pod-identity-webhook as this charm runs it: typed objects only, no I/O.
//
// Where it runs, and why: a hostNetwork DaemonSet on the control-plane nodes, called by each API server at
// https://127.0.0.1:<port>/mutate and serving the authenticator's own certificate (SAN 127.0.0.1, already in
// the charm's Secret). kube-apiserver accepts a `url` webhook on an IP and warns only that 127.0.0.1 needs the
// webhook "on all hosts which run an apiserver" (k8s.io/api admissionregistration/v1 WebhookClientConfig.URL;
// url checked by k8s.io/apiserver pkg/util/webhook/validation.go ValidateWebhookURL: https, host, no user
// info, query or fragment) — exactly what a control-plane DaemonSet gives. The alternative, a `service`
// reference, needs a second certificate with <svc>.<ns>.svc SANs from the certificates relation, and CK runs
// kube-apiserver with --enable-aggregator-routing=true (charm-lib-kubernetes-snaps configure_apiserver), so
// the API server would dial a pod IP from the endpoints (cmd/kube-apiserver buildServiceResolver →
// NewEndpointServiceResolver): every pod creation would then depend on the CNI routing from the host. On
// loopback it depends on nothing but the local pod, and failurePolicy Ignore covers that pod being down.
//
// Its informer reaches the API server the in-cluster way: with --kubeconfig and --master unset, main.go's
// clientcmd.BuildConfigFromFlags falls back to rest.InClusterConfig, i.e. KUBERNETES_SERVICE_HOST, the
// ClusterIP of the default/kubernetes Service. From the host network that ClusterIP is only routed by the
// host's kube-proxy, which CK runs on every control-plane machine too (charm-kubernetes-control-plane
// src/charm.py configure_kube_proxy).
//
// Cost of hostNetwork: upstream binds ":<port>" and ":<metrics-port>" (main.go), so both listen on every
// interface of the control-plane hosts. /mutate only computes a JSON patch from service-account annotations
// anyone in the cluster can read; /metrics holds request counters. Neither holds a credential.
import type {
  V1ClusterRole,
  V1ClusterRoleBinding,
  V1Container,
  V1DaemonSet,
  V1MutatingWebhookConfiguration,
  V1Probe,
  V1ServiceAccount,
} from "@kubernetes/client-node";
import { normaliseCaPem } from "../control-plane/ca-pem.ts";
import {
  CONTROL_PLANE_TOLERATIONS,
  lockedDownContainerSecurityContext,
  nonRootPodSecurityContext,
} from "../workload/manifests/daemon-set.ts";
import {
  LABEL_COMPONENT,
  LABEL_INSTANCE,
  LABEL_MANAGED_BY,
  LABEL_NAME,
  MANAGED_BY,
  ownedLabels,
} from "../workload/manifests/labels.ts";
import { objectNames } from "../workload/manifests/names.ts";
import type { OwnedKind } from "../workload/manifests/owned-kinds.ts";
import { CERT_FILE_NAME, KEY_FILE_NAME } from "../workload/manifests/secret.ts";
import { DEFAULT_NAMESPACE, DEFAULT_NODE_SELECTOR } from "../workload/manifests/spec.ts";
import { type IrsaSettings, WEBHOOK_METRICS_PORT, WEBHOOK_PORT } from "./settings.ts";

export interface WebhookSpec {
  /** Juju application name: prefixes and labels every object, like the authenticator's. */
  readonly appName: string;
  readonly settings: IrsaSettings;
  /** The CA(s) the authenticator's served chain verifies against: the certificates relation's CA. */
  readonly caPem: string;
}

export const WEBHOOK_COMPONENT = "irsa-webhook";
export const CONTAINER_NAME = "pod-identity-webhook";
/** Upstream's webhook name (deploy/mutatingwebhook.yaml), so existing dashboards and audit queries still match. */
export const WEBHOOK_NAME = "pod-identity-webhook.amazonaws.com";
/** Upstream's objectSelector label: a pod carrying it is never sent to the webhook. */
export const SKIP_LABEL_SUFFIX = "skip-pod-identity-webhook";
/** Namespaces whose pods are never sent to the webhook: the cluster's own, and the charm's. */
export const EXCLUDED_NAMESPACES = ["kube-system", "kube-public", "kube-node-lease"] as const;
/**
 * A hung webhook delays every pod creation by this much before failurePolicy Ignore lets it through
 * (default 10s; allowed 1..30, pkg/apis/admissionregistration/validation validateMutatingWebhook).
 */
export const TIMEOUT_SECONDS = 3;
const CERT_DIR = "/etc/webhook/certs";
const LOOPBACK = "127.0.0.1";
const RBAC_GROUP = "rbac.authorization.k8s.io";

/** Object names: "<app>-irsa-webhook" stays within 63 characters for the appName ≤ 49 the authenticator allows. */
export function webhookObjectName(appName: string): string {
  return `${appName}-${WEBHOOK_COMPONENT}`;
}

/** The URL every API server calls: its own host's instance. */
export function webhookUrl(): string {
  return `https://${LOOPBACK}:${WEBHOOK_PORT}/mutate`;
}

function labels(appName: string): Record<string, string> {
  return { ...ownedLabels(appName), [LABEL_COMPONENT]: WEBHOOK_COMPONENT };
}

/**
 * The pods' selector must not overlap the authenticator DaemonSet's ({name: aws-iam-authenticator, instance}),
 * or each DaemonSet would count the other's pods; so the pods carry the upstream name instead.
 */
export function webhookSelectorLabels(appName: string): Record<string, string> {
  return { [LABEL_NAME]: "amazon-eks-pod-identity-webhook", [LABEL_INSTANCE]: appName };
}

export function buildWebhookServiceAccount(spec: WebhookSpec): V1ServiceAccount {
  return {
    apiVersion: "v1",
    kind: "ServiceAccount",
    metadata: {
      name: webhookObjectName(spec.appName),
      namespace: DEFAULT_NAMESPACE,
      labels: labels(spec.appName),
    },
  };
}

/**
 * Read-only service accounts, nothing else: with --in-cluster=false the webhook reads its certificate from
 * files (no certificatesigningrequests, no secrets: deploy/auth.yaml grants those only for the deprecated
 * in-cluster mode), and without --watch-config-map it reads no ConfigMap. Its informer lists and watches
 * service accounts cluster-wide, and pkg/cache/cache.go gets one on a cache miss.
 */
export function buildWebhookRbac(spec: WebhookSpec): [V1ClusterRole, V1ClusterRoleBinding] {
  const name = webhookObjectName(spec.appName);
  return [
    {
      apiVersion: `${RBAC_GROUP}/v1`,
      kind: "ClusterRole",
      metadata: { name, labels: labels(spec.appName) },
      rules: [{ apiGroups: [""], resources: ["serviceaccounts"], verbs: ["get", "list", "watch"] }],
    },
    {
      apiVersion: `${RBAC_GROUP}/v1`,
      kind: "ClusterRoleBinding",
      metadata: { name, labels: labels(spec.appName) },
      roleRef: { apiGroup: RBAC_GROUP, kind: "ClusterRole", name },
      subjects: [{ kind: "ServiceAccount", name, namespace: DEFAULT_NAMESPACE }],
    },
  ];
}

/** Flags of upstream main.go, in a fixed order so the pod template only changes when a setting does. */
export function webhookArgs(spec: WebhookSpec): string[] {
  const s = spec.settings;
  return [
    // Certificates from files, reloaded on change (controller-runtime certwatcher); no CSR API.
    "--in-cluster=false",
    `--tls-cert=${CERT_DIR}/${CERT_FILE_NAME}`,
    `--tls-key=${CERT_DIR}/${KEY_FILE_NAME}`,
    "--tls-min-version=1.2",
    `--port=${WEBHOOK_PORT}`,
    `--metrics-port=${WEBHOOK_METRICS_PORT}`,
    `--namespace=${DEFAULT_NAMESPACE}`,
    `--annotation-prefix=${s.annotationPrefix}`,
    `--token-audience=${s.tokenAudience}`,
    `--sts-regional-endpoint=${s.stsRegionalEndpoints}`,
    ...(s.defaultRegion !== undefined ? [`--aws-default-region=${s.defaultRegion}`] : []),
  ];
}

/** /healthz on the TLS port answers "ok" once the server listens (main.go); kubelet probes loopback. */
function probe(periodSeconds: number, failureThreshold: number): V1Probe {
  return {
    httpGet: { host: LOOPBACK, port: WEBHOOK_PORT, path: "/healthz", scheme: "HTTPS" },
    periodSeconds,
    timeoutSeconds: 3,
    failureThreshold,
    successThreshold: 1,
  };
}

function container(spec: WebhookSpec): V1Container {
  return {
    name: CONTAINER_NAME,
    image: spec.settings.webhookImage,
    imagePullPolicy: "IfNotPresent",
    // The image's entrypoint is /go-runner with CMD /webhook (Dockerfile); run the binary itself, as
    // upstream's deploy/deployment-base.yaml does.
    command: ["/webhook"],
    args: webhookArgs(spec),
    ports: [
      { name: "https", containerPort: WEBHOOK_PORT, protocol: "TCP" },
      { name: "metrics", containerPort: WEBHOOK_METRICS_PORT, protocol: "TCP" },
    ],
    readinessProbe: probe(5, 2),
    livenessProbe: { ...probe(10, 3), initialDelaySeconds: 10 },
    // The informer keeps every service account, stripped to name and prefixed annotations (main.go).
    resources: { requests: { cpu: "10m", memory: "32Mi" }, limits: { memory: "128Mi" } },
    securityContext: lockedDownContainerSecurityContext(),
    volumeMounts: [{ name: "certs", mountPath: CERT_DIR, readOnly: true }],
  };
}

/**
 * The webhook on every control-plane host. It mounts the authenticator's own TLS Secret (cert.pem/key.pem),
 * so there is no second certificate to request, store or renew; a renewed certificate is picked up from the
 * volume without a restart. maxSurge 0: two pods cannot bind the same host port.
 */
export function buildWebhookDaemonSet(spec: WebhookSpec): V1DaemonSet {
  const selector = webhookSelectorLabels(spec.appName);
  return {
    apiVersion: "apps/v1",
    kind: "DaemonSet",
    metadata: {
      name: webhookObjectName(spec.appName),
      namespace: DEFAULT_NAMESPACE,
      labels: labels(spec.appName),
    },
    spec: {
      selector: { matchLabels: selector },
      updateStrategy: { type: "RollingUpdate", rollingUpdate: { maxUnavailable: 1, maxSurge: 0 } },
      minReadySeconds: 5,
      revisionHistoryLimit: 5,
      template: {
        metadata: {
          labels: { ...selector, [LABEL_MANAGED_BY]: MANAGED_BY, [LABEL_COMPONENT]: WEBHOOK_COMPONENT },
        },
        spec: {
          serviceAccountName: webhookObjectName(spec.appName),
          // The informer talks to the API server with this token (client-go in-cluster config).
          automountServiceAccountToken: true,
          hostNetwork: true,
          dnsPolicy: "Default",
          // No other Service's variables; KUBERNETES_SERVICE_HOST/PORT, which the in-cluster config needs,
          // kubelet sets whatever this says (kubernetes pkg/kubelet/kubelet_pods.go getServiceEnvVarMap).
          enableServiceLinks: false,
          priorityClassName: "system-cluster-critical",
          nodeSelector: { ...DEFAULT_NODE_SELECTOR },
          tolerations: CONTROL_PLANE_TOLERATIONS.map((toleration) => ({ ...toleration })),
          securityContext: nonRootPodSecurityContext(),
          containers: [container(spec)],
          volumes: [
            { name: "certs", secret: { secretName: objectNames(spec.appName).secret, defaultMode: 0o440 } },
          ],
        },
      },
    },
  };
}

/**
 * Which AdmissionReview version the API server sends. It picks the first listed version it knows
 * (k8s.io/apiserver admission/plugin/webhook/request/admissionreview.go CreateAdmissionObjects) and, for v1
 * only, refuses a response without apiVersion/kind (VerifyAdmissionResponse: "expected webhook response of
 * admission.k8s.io/v1, Kind=AdmissionReview"). Every released webhook up to v0.6.17 answers a v1beta1-typed
 * review without TypeMeta (pkg/handler/handler.go); PR #310, merged after v0.6.17 and not yet in a release,
 * echoes the request's TypeMeta. So v1beta1 only: it works with both, and v1 would fail every call to a
 * released image (silently, under failurePolicy Ignore).
 */
export const ADMISSION_REVIEW_VERSIONS = ["v1beta1"] as const;

/**
 * Pod CREATE goes to the local webhook. Nothing here can block a pod: failurePolicy Ignore admits the pod
 * unmutated when the webhook is down, slow (TIMEOUT_SECONDS) or wrong; and the cluster's own namespaces
 * (matched on kubernetes.io/metadata.name, which the API server resets to the namespace's name on every
 * create and update, so no one can change it: kubernetes pkg/registry/core/namespace/strategy.go
 * namespaceStrategy.Canonicalize) and pods labelled <prefix>/skip-pod-identity-webhook are never even sent.
 */
export function buildMutatingWebhookConfiguration(spec: WebhookSpec): V1MutatingWebhookConfiguration {
  const caPem = normaliseCaPem(spec.caPem, "the certificates relation's CA");
  const excluded = [...new Set<string>([...EXCLUDED_NAMESPACES, DEFAULT_NAMESPACE])];
  return {
    apiVersion: "admissionregistration.k8s.io/v1",
    kind: "MutatingWebhookConfiguration",
    metadata: { name: webhookObjectName(spec.appName), labels: labels(spec.appName) },
    webhooks: [
      {
        name: WEBHOOK_NAME,
        clientConfig: { url: webhookUrl(), caBundle: Buffer.from(caPem, "utf8").toString("base64") },
        // Every field the API server would default is set, so what is read back equals what was applied.
        rules: [
          {
            operations: ["CREATE"],
            apiGroups: [""],
            apiVersions: ["v1"],
            resources: ["pods"],
            scope: "Namespaced",
          },
        ],
        failurePolicy: "Ignore",
        matchPolicy: "Equivalent",
        sideEffects: "None",
        timeoutSeconds: TIMEOUT_SECONDS,
        admissionReviewVersions: [...ADMISSION_REVIEW_VERSIONS],
        // Another mutating webhook may add containers after this one ran. Running it again adds nothing
        // twice: it adds each env var only where it is missing and the token mount only where no mount has
        // its name, and the token volume only when the pod lacks it (amazon-eks-pod-identity-webhook
        // v0.6.17 pkg/handler/handler.go Modifier.addEnvToContainer and getPodSpecPatch).
        reinvocationPolicy: "IfNeeded",
        namespaceSelector: {
          matchExpressions: [{ key: "kubernetes.io/metadata.name", operator: "NotIn", values: excluded }],
        },
        objectSelector: {
          matchExpressions: [
            { key: `${spec.settings.annotationPrefix}/${SKIP_LABEL_SUFFIX}`, operator: "DoesNotExist" },
          ],
        },
      },
    ],
  };
}

/** Every IRSA object in apply order: identity, its rights, the workload, then the hook that calls it. */
export function buildIrsaObjects(
  spec: WebhookSpec,
): [V1ServiceAccount, V1ClusterRole, V1ClusterRoleBinding, V1DaemonSet, V1MutatingWebhookConfiguration] {
  return [
    buildWebhookServiceAccount(spec),
    ...buildWebhookRbac(spec),
    buildWebhookDaemonSet(spec),
    buildMutatingWebhookConfiguration(spec),
  ];
}

/**
 * The kind the authenticator's OWNED_KINDS lacks; a pruner that lists these by ownedLabelSelector(app) finds
 * every IRSA object (the others are ServiceAccount, ClusterRole(Binding) and DaemonSet, already listed).
 * Delete the MutatingWebhookConfiguration first so no API server calls a webhook that is going away.
 */
export const IRSA_OWNED_KINDS: readonly OwnedKind[] = [
  {
    apiVersion: "admissionregistration.k8s.io/v1",
    kind: "MutatingWebhookConfiguration",
    namespaced: false,
    listPath: "/apis/admissionregistration.k8s.io/v1/mutatingwebhookconfigurations",
    prune: true,
  },
];
