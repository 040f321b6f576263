import assert from "node:assert/strict";
import { describe, it } from "node:test";
import type { V1Container, V1DaemonSet } from "@kubernetes/client-node";
import {
  buildDaemonSet,
  serverArgs,
  TERMINATION_GRACE_SECONDS,
} from "../../../../src/workload/manifests/daemon-set.ts";
import { resolveSpec } from "../../../../src/workload/manifests/resolve-spec.ts";
import type { AuthenticatorSpec } from "../../../../src/workload/manifests/spec.ts";
import { rolloutEstimate } from "../../../support/rollout.ts";
import { BASE_SPEC, specWith } from "./fixtures.ts";
import { validateAgainstOfficialSchema } from "./schema.ts";

const CHECKSUM = "a".repeat(64);

function daemonSet(spec: AuthenticatorSpec = BASE_SPEC): V1DaemonSet {
  return buildDaemonSet(resolveSpec(spec), CHECKSUM);
}

function onlyContainer(ds: V1DaemonSet): V1Container {
  const containers = ds.spec?.template.spec?.containers ?? [];
  assert.equal(containers.length, 1);
  return containers[0] as V1Container;
}

describe("buildDaemonSet", () => {
  it("runs on the host network of control-plane nodes only, resolving through the host", () => {
    const pod = daemonSet().spec?.template.spec;
    assert.equal(pod?.hostNetwork, true);
    assert.equal(pod?.dnsPolicy, "Default");
    assert.deepStrictEqual(pod?.nodeSelector, { "node-role.kubernetes.io/control-plane": "" });
  });

  it("tolerates both control-plane taint generations and CriticalAddonsOnly, nothing broader", () => {
    assert.deepStrictEqual(daemonSet().spec?.template.spec?.tolerations, [
      { key: "node-role.kubernetes.io/control-plane", operator: "Exists", effect: "NoSchedule" },
      { key: "node-role.kubernetes.io/master", operator: "Exists", effect: "NoSchedule" },
      { key: "CriticalAddonsOnly", operator: "Exists" },
    ]);
  });

  it("uses the configured system priority class", () => {
    assert.equal(daemonSet().spec?.template.spec?.priorityClassName, "system-cluster-critical");
    const nodeCritical = daemonSet(specWith({ priorityClassName: "system-node-critical" }));
    assert.equal(nodeCritical.spec?.template.spec?.priorityClassName, "system-node-critical");
  });

  it("locks the container down as far as host networking allows", () => {
    const ds = daemonSet();
    assert.deepStrictEqual(onlyContainer(ds).securityContext, {
      privileged: false,
      allowPrivilegeEscalation: false,
      readOnlyRootFilesystem: true,
      capabilities: { drop: ["ALL"] },
    });
    assert.deepStrictEqual(ds.spec?.template.spec?.securityContext, {
      runAsNonRoot: true,
      runAsUser: 65532,
      runAsGroup: 65532,
      fsGroup: 65532,
      seccompProfile: { type: "RuntimeDefault" },
    });
    const pod = ds.spec?.template.spec;
    assert.equal(pod?.hostPID, undefined);
    assert.equal(pod?.hostIPC, undefined);
    assert.ok(!pod?.volumes?.some((v) => v.hostPath), "no hostPath volumes");
  });

  it("probes /healthz over HTTPS on 127.0.0.1:<port>, not the shared plain-HTTP 21363", () => {
    const container = onlyContainer(daemonSet(specWith({ port: 30100 })));
    const httpGet = { host: "127.0.0.1", port: 30100, path: "/healthz", scheme: "HTTPS" };
    assert.deepStrictEqual(container.readinessProbe, {
      httpGet,
      periodSeconds: 5,
      timeoutSeconds: 3,
      failureThreshold: 2,
      successThreshold: 1,
    });
    assert.deepStrictEqual(container.livenessProbe, {
      httpGet,
      periodSeconds: 10,
      timeoutSeconds: 3,
      failureThreshold: 3,
      successThreshold: 1,
      initialDelaySeconds: 10,
    });
    assert.deepStrictEqual(container.ports, [{ name: "https", containerPort: 30100, protocol: "TCP" }]);
  });

  it("runs `server` with the config file and --backend-mode, never the inert CRD feature gate", () => {
    const args = onlyContainer(
      daemonSet(specWith({ backendModes: ["EKSConfigMap", "CRD", "MountedFile"] })),
    ).args;
    assert.deepStrictEqual(args, [
      "server",
      "--config=/etc/aws-iam-authenticator/config.yaml",
      "--backend-mode=EKSConfigMap,CRD,MountedFile",
      "--log-format=json",
    ]);
    assert.ok(!args?.some((a) => a.startsWith("--feature-gates")), "no feature gate without SSO mappings");
  });

  it("turns on only the SSORoleMatch gate when an sso mapping needs it", () => {
    const spec = resolveSpec(
      specWith({
        mappings: {
          mapRoles: [{ sso: { permissionSetName: "Dev", accountID: "111122223333" }, username: "d" }],
        },
      }),
    );
    const gates = serverArgs(spec).filter((a) => a.startsWith("--feature-gates"));
    assert.deepStrictEqual(gates, ["--feature-gates=SSORoleMatch=true"]);
  });

  it("sets realistic requests and a memory limit well above upstream's OOM-prone 20Mi", () => {
    assert.deepStrictEqual(onlyContainer(daemonSet()).resources, {
      requests: { cpu: "25m", memory: "64Mi" },
      limits: { memory: "256Mi" },
    });
  });

  it("mounts the config read-only and the certificate as the state dir, key group-readable only", () => {
    const ds = daemonSet();
    assert.deepStrictEqual(onlyContainer(ds).volumeMounts, [
      { name: "config", mountPath: "/etc/aws-iam-authenticator", readOnly: true },
      { name: "state", mountPath: "/var/aws-iam-authenticator", readOnly: true },
    ]);
    assert.deepStrictEqual(ds.spec?.template.spec?.volumes, [
      { name: "config", configMap: { name: "aws-iam-authenticator", defaultMode: 0o444 } },
      { name: "state", secret: { secretName: "aws-iam-authenticator-tls", defaultMode: 0o440 } },
    ]);
  });

  it("rolls one node at a time and never surges (two pods cannot bind one host port)", () => {
    assert.deepStrictEqual(daemonSet().spec?.updateStrategy, {
      type: "RollingUpdate",
      rollingUpdate: { maxUnavailable: 1, maxSurge: 0 },
    });
  });

  it("puts the checksum on the pod template so config/cert changes roll the pods", () => {
    assert.deepStrictEqual(daemonSet().spec?.template.metadata?.annotations, { "checksum/config": CHECKSUM });
  });

  it("mounts the API token only when a backend calls the API", () => {
    assert.equal(
      daemonSet(specWith({ backendModes: ["MountedFile"] })).spec?.template.spec
        ?.automountServiceAccountToken,
      false,
    );
    assert.equal(
      daemonSet(specWith({ backendModes: ["CRD"] })).spec?.template.spec?.automountServiceAccountToken,
      true,
    );
    assert.equal(daemonSet().spec?.template.spec?.serviceAccountName, "aws-iam-authenticator");
  });

  it("selects its pods by name+instance only, and the template matches the selector", () => {
    const ds = daemonSet(specWith({ appName: "iam-b" }));
    const selector = ds.spec?.selector.matchLabels ?? {};
    assert.deepStrictEqual(selector, {
      "app.kubernetes.io/name": "aws-iam-authenticator",
      "app.kubernetes.io/instance": "iam-b",
    });
    const templateLabels = ds.spec?.template.metadata?.labels ?? {};
    for (const [key, value] of Object.entries(selector)) assert.equal(templateLabels[key], value);
  });

  it("uses the configured image and validates against the official DaemonSet schema", () => {
    const ds = daemonSet(specWith({ image: "registry.example/aws-iam-authenticator:v0.7.18" }));
    assert.equal(onlyContainer(ds).image, "registry.example/aws-iam-authenticator:v0.7.18");
    validateAgainstOfficialSchema(ds);
  });
});

describe("rolling update time", () => {
  it("three nodes roll in 75 s at worst: one at a time, 10 s grace (the server ignores SIGTERM) + 5 s readiness + 10 s minReady", () => {
    const ds = buildDaemonSet(resolveSpec(BASE_SPEC), "c");
    assert.equal(ds.spec?.template.spec?.terminationGracePeriodSeconds, TERMINATION_GRACE_SECONDS);
    const estimate = rolloutEstimate(ds, 3);
    assert.deepEqual(estimate.parts, { grace: 10, readiness: 5, minReady: 10, maxUnavailable: 1 });
    assert.equal(estimate.totalSeconds, 75);
    // With Kubernetes' default 30 s grace the same rollout would take a minute longer.
    const { terminationGracePeriodSeconds: _, ...withoutGrace } = ds.spec!.template.spec!;
    const defaulted = {
      ...ds,
      spec: { ...ds.spec!, template: { ...ds.spec!.template, spec: withoutGrace } },
    };
    assert.equal(rolloutEstimate(defaulted, 3).totalSeconds, 135);
  });
});
