// Waits (bounded) until a CRD is Established, so nothing that uses its API starts before the API exists.
import type { KubernetesObject, V1CustomResourceDefinition } from "@kubernetes/client-node";
import type { KubeClient } from "./client.ts";
import { KubeNotReady } from "./errors.ts";
import type { Sleep } from "./retry.ts";

export interface PollOptions {
  readonly timeoutMs: number;
  readonly pollMs: number;
  readonly sleep: Sleep;
}

export function isEstablished(object: KubernetesObject | undefined): boolean {
  const conditions = (object as V1CustomResourceDefinition | undefined)?.status?.conditions ?? [];
  return conditions.some((condition) => condition.type === "Established" && condition.status === "True");
}

/**
 * Resolves once `applied` (the apply response) or a later GET shows Established=True; polls at most
 * timeoutMs/pollMs times and then throws KubeNotReady.
 */
export async function waitForCrdEstablished(
  client: KubeClient,
  applied: KubernetesObject,
  options: PollOptions,
): Promise<void> {
  if (isEstablished(applied)) return;
  const name = applied.metadata?.name ?? "";
  const polls = Math.max(1, Math.ceil(options.timeoutMs / options.pollMs));
  for (let i = 0; i < polls; i++) {
    await options.sleep(options.pollMs);
    const live = await client.read({
      apiVersion: applied.apiVersion ?? "",
      kind: "CustomResourceDefinition",
      name,
    });
    if (isEstablished(live)) return;
  }
  throw new KubeNotReady(`CustomResourceDefinition ${name} is not Established after ${options.timeoutMs} ms`);
}
