/** `{ a: "x", b: "" }` → `a=x,b=` (equality-based API label selector). */
export function labelSelector(labels: Readonly<Record<string, string>>): string {
  return Object.entries(labels)
    .map(([key, value]) => `${key}=${value}`)
    .join(",");
}
