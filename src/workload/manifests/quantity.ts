// Just enough of Kubernetes' resource.Quantity to validate the charm's cpu/memory settings early.

const MEMORY = /^(\d+(?:\.\d+)?)(Ki|Mi|Gi|Ti|k|M|G|T)?$/;
const CPU = /^(?:\d+m|\d+(?:\.\d+)?)$/;

const MEMORY_FACTORS: Readonly<Record<string, number>> = {
  "": 1,
  k: 1e3,
  M: 1e6,
  G: 1e9,
  T: 1e12,
  Ki: 1024,
  Mi: 1024 ** 2,
  Gi: 1024 ** 3,
  Ti: 1024 ** 4,
};

/** Bytes for a memory quantity such as "64Mi" or "1G"; undefined when the text is not one we accept. */
export function memoryBytes(quantity: string): number | undefined {
  const match = MEMORY.exec(quantity);
  if (!match) return undefined;
  const factor = MEMORY_FACTORS[match[2] ?? ""];
  return factor === undefined ? undefined : Number(match[1]) * factor;
}

/** Whether a CPU quantity is in a form the API accepts ("250m", "1", "0.5"). */
export function isCpuQuantity(quantity: string): boolean {
  return CPU.test(quantity);
}
