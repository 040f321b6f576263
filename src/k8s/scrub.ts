// Keeps Secret data out of anything we log or show: the API server may echo field values in its messages.
import type { KubernetesObject } from "@kubernetes/client-node";
import { redact } from "../util/redact.ts";

/** A value and each substantial line of it: a server may quote one line of a PEM body. */
function withLines(value: string): string[] {
  const lines = value
    .split(/\r?\n/)
    .map((line) => line.trim())
    .filter((line) => line.length >= 16 && !line.startsWith("-----"));
  return [value, ...lines];
}

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
      values.push(value, ...withLines(Buffer.from(value, "base64").toString("utf8")));
    }
    for (const value of Object.values(stringData ?? {})) values.push(...withLines(value));
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
