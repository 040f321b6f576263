// Keeps Secret data out of anything we log or show: the API server may echo field values in its messages.
import type { KubernetesObject } from "@kubernetes/client-node";
import { redact } from "../util/redact.ts";

/** Every value (base64 and decoded) in the data/stringData of the Secrets among `objects`. */
export function secretValues(objects: readonly KubernetesObject[]): string[] {
  const values: string[] = [];
  for (const object of objects) {
    if (object.kind !== "Secret") continue;
    const { data, stringData } = object as {
      data?: Record<string, string>;
      stringData?: Record<string, string>;
    };
    for (const value of Object.values(data ?? {})) {
      values.push(value, Buffer.from(value, "base64").toString("utf8"));
    }
    values.push(...Object.values(stringData ?? {}));
  }
  // Longest first so a decoded value is not left half-replaced by a shorter one it contains.
  return values.filter((value) => value.length >= 4).sort((a, b) => b.length - a.length);
}

/** `text` with every secret value replaced and PEM blocks/tokens redacted. */
export function scrub(text: string, secrets: readonly string[] = []): string {
  let out = text;
  for (const value of secrets) out = out.split(value).join("<redacted>");
  return redact(out);
}
