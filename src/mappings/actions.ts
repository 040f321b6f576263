// The mapping actions as functions the actions dispatcher calls with one line each:
// (params, input, deps) → ActionOutcome. They read (and for add/remove-mapping write) through the
// KubeClient the dispatcher hands them; all the deciding is in the pure modules of this folder.
// Nothing here puts a token or a key into a result, a message or a log line.
import type { KubernetesObject } from "@kubernetes/client-node";
import type { CharmConfig } from "../config/charm-config.ts";
import { currentCluster } from "../control-plane/kubeconfig-cluster.ts";
import type { KindRef, KubeClient, ObjectRef } from "../k8s/client.ts";
import { KubeError, KubeRejected } from "../k8s/errors.ts";
import type { ActionOutcome, ActionParams } from "../util/action-outcome.ts";
import { parseAwsAuth } from "./aws-auth.ts";
import {
  IAM_IDENTITY_MAPPING_API_VERSION,
  type IamIdentityMapping,
  parseGroupsParam,
  planAddMapping,
  planRemoveMapping,
} from "./identity-mapping.ts";
import { listMappings, listMappingsResults } from "./list.ts";
import {
  buildTokenReviewRequest,
  checkToken,
  interpretTokenReview,
  type TokenReviewRequest,
} from "./token-review.ts";

/** What the operator's aws-auth ConfigMap is (EKS's name; the charm only reads it). */
export const AWS_AUTH_REF: ObjectRef = {
  apiVersion: "v1",
  kind: "ConfigMap",
  namespace: "kube-system",
  name: "aws-auth",
};
export const IAM_IDENTITY_MAPPING_KIND: KindRef = {
  apiVersion: IAM_IDENTITY_MAPPING_API_VERSION,
  kind: "IAMIdentityMapping",
};
/** The field manager add-mapping applies with (server-side apply); one per application. */
export function mappingFieldManager(appName: string): string {
  return `${appName}-mappings`;
}

export interface MappingsActionInput {
  readonly appName: string;
  /** Parsed and valid (the dispatcher's withValidConfig). */
  readonly config: CharmConfig;
}

export interface HttpAnswer {
  readonly status: number;
  readonly body: string;
}

export interface MappingsActionDeps {
  /** The client on this machine's admin kubeconfig, or the adapter's error saying why there is none. */
  readonly kube: () => Promise<KubeClient | Error>;
  /** Machine files (read only): the webhook kubeconfig carries the CA this node's authenticator verifies with. */
  readonly readFile: (machinePath: string) => Promise<string | undefined>;
  /** One HTTPS POST, verifying the server against `caPem` only (post-token-review.ts postTokenReview). */
  readonly post: (request: TokenReviewRequest, caPem: string) => Promise<HttpAnswer>;
}

const isClient = (kube: KubeClient | Error): kube is KubeClient => !(kube instanceof Error);

async function client(deps: MappingsActionDeps): Promise<KubeClient | ActionOutcome> {
  const kube = await deps.kube();
  if (isClient(kube)) return kube;
  return { ok: false, message: `no Kubernetes client: ${kube.message}` };
}

function isOutcome(value: KubeClient | ActionOutcome): value is ActionOutcome {
  return "ok" in value;
}

/** Every IAMIdentityMapping, or undefined when the CRD is not installed (LIST answers 404). */
async function identityMappings(kube: KubeClient): Promise<IamIdentityMapping[] | undefined> {
  try {
    const items: KubernetesObject[] = await kube.listOwned("", [IAM_IDENTITY_MAPPING_KIND]);
    // The API server validated them against the CRD's schema: spec.arn and spec.username are required.
    return items as unknown as IamIdentityMapping[];
  } catch (error) {
    if (error instanceof KubeRejected && error.code === 404) return undefined;
    throw error;
  }
}

/** The message of a Kubernetes failure an action reports (never Secret data: the adapter scrubs it);
 * anything else is a bug and is rethrown. */
function kubeFailure(error: unknown): string {
  if (error instanceof KubeError) return error.message;
  throw error;
}

const rulesOf = (config: CharmConfig) => {
  const spec = config.mappingSettings;
  return { spec, rules: { partition: spec.partition, reservedPrefixes: spec.reservedUsernamePrefixes } };
};

/** list-mappings: every source the configured backends read, in backend order, and which entry answers. */
export async function listMappingsAction(
  _params: ActionParams,
  input: MappingsActionInput,
  deps: MappingsActionDeps,
): Promise<ActionOutcome> {
  const { spec, rules } = rulesOf(input.config);
  const modes = input.config.backendModes;
  const needsCluster = modes.includes("CRD") || modes.includes("EKSConfigMap");
  let crd: IamIdentityMapping[] | undefined;
  let awsAuth: ReturnType<typeof parseAwsAuth> | undefined;
  const notes: string[] = [];
  if (needsCluster) {
    const kube = await client(deps);
    if (isOutcome(kube)) return kube;
    try {
      if (modes.includes("CRD")) {
        crd = await identityMappings(kube);
        if (crd === undefined)
          notes.push("the IAMIdentityMapping CRD is not installed: the CRD backend serves nothing");
      }
      if (modes.includes("EKSConfigMap")) {
        const configMap = (await kube.read(AWS_AUTH_REF)) as { data?: Record<string, string> } | undefined;
        if (configMap === undefined)
          notes.push("kube-system/aws-auth does not exist: the EKSConfigMap backend serves nothing");
        else awsAuth = parseAwsAuth(configMap.data ?? {}, rules);
      }
    } catch (error) {
      return { ok: false, message: kubeFailure(error) };
    }
  }
  const listed = listMappings({
    backendModes: modes,
    ...(crd !== undefined && { crd }),
    ...(awsAuth !== undefined && { awsAuth }),
    config: spec.mappings,
    rules,
  });
  const results = { ...listMappingsResults(listed, awsAuth?.notServed ?? []) };
  if (notes.length > 0) results["notes"] = notes.join("\n");
  return { ok: true, results };
}

const flag = (value: unknown): boolean => value === true || value === "true";

/** add-mapping: creates or updates the IAMIdentityMapping for an ARN, refusing others' objects without force. */
export async function addMappingAction(
  params: ActionParams,
  input: MappingsActionInput,
  deps: MappingsActionDeps,
): Promise<ActionOutcome> {
  const { spec } = rulesOf(input.config);
  const kube = await client(deps);
  if (isOutcome(kube)) return kube;
  try {
    const existing = await identityMappings(kube);
    if (existing === undefined) {
      return {
        ok: false,
        message:
          "the IAMIdentityMapping CRD is not installed yet: the leader installs it with the authenticator; run add-mapping again once the unit is active",
      };
    }
    const plan = planAddMapping({
      appName: input.appName,
      partition: spec.partition,
      reservedPrefixes: spec.reservedUsernamePrefixes,
      arn: params["arn"],
      username: params["username"],
      groups: parseGroupsParam(typeof params["groups"] === "string" ? params["groups"] : ""),
      force: flag(params["force"]),
      existing,
    });
    if (plan.kind === "fail") return { ok: false, message: plan.message };
    const results: Record<string, string> = {};
    if (!input.config.backendModes.includes("CRD")) {
      results["warning"] =
        `backend-mode is "${input.config.backendModes.join(",")}": the server does not read IAMIdentityMapping objects until CRD is added to it`;
    }
    if (plan.kind === "unchanged")
      return { ok: true, results: { ...results, name: plan.name, result: "unchanged" } };
    await kube.apply([plan.object as unknown as KubernetesObject], mappingFieldManager(input.appName));
    return {
      ok: true,
      results: {
        ...results,
        name: plan.object.metadata.name,
        result: plan.takesOver
          ? "taken over"
          : existing.some((o) => o.metadata.name === plan.object.metadata.name)
            ? "updated"
            : "created",
      },
    };
  } catch (error) {
    return { ok: false, message: kubeFailure(error) };
  }
}

/** remove-mapping: deletes every IAMIdentityMapping that maps the ARN (others' only with force). */
export async function removeMappingAction(
  params: ActionParams,
  input: MappingsActionInput,
  deps: MappingsActionDeps,
): Promise<ActionOutcome> {
  const kube = await client(deps);
  if (isOutcome(kube)) return kube;
  try {
    const existing = (await identityMappings(kube)) ?? [];
    const plan = planRemoveMapping({
      appName: input.appName,
      arn: params["arn"],
      force: flag(params["force"]),
      existing,
    });
    if (plan.kind === "fail") return { ok: false, message: plan.message };
    const deleted: string[] = [];
    for (const name of plan.names) {
      if (await kube.delete({ ...IAM_IDENTITY_MAPPING_KIND, name })) deleted.push(name);
    }
    return { ok: true, results: { deleted: deleted.join(","), count: String(deleted.length) } };
  } catch (error) {
    return { ok: false, message: kubeFailure(error) };
  }
}

/**
 * verify-token: the TokenReview the API server would send, to this node's authenticator, verified with the
 * CA the control plane trusts it with. The token is checked first (never sent when the server would refuse
 * it unread) and appears in no result or message.
 */
export async function verifyTokenAction(
  params: ActionParams,
  input: MappingsActionInput & { readonly webhookKubeconfigPath: string },
  deps: MappingsActionDeps,
): Promise<ActionOutcome> {
  const token = params["token"];
  const check = checkToken(token);
  if (!check.ok) return { ok: false, message: check.message };
  const text = await deps.readFile(input.webhookKubeconfigPath);
  const caPem = text === undefined ? undefined : currentCluster(text)?.caPem;
  if (caPem === undefined) {
    return {
      ok: false,
      message: `no CA in ${input.webhookKubeconfigPath} yet: this unit has no certificate in place; run verify-token once it is active`,
    };
  }
  let answer: HttpAnswer;
  try {
    answer = await deps.post(buildTokenReviewRequest(token as string, input.config.port), caPem);
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    return {
      ok: false,
      message: `no answer from the authenticator on 127.0.0.1:${input.config.port}: ${reason.split(token as string).join("<token>")}`,
    };
  }
  return interpretTokenReview(answer.status, answer.body, token as string);
}
