// Reads a rendered kubeconfig back with the real kubectl and with @kubernetes/client-node.
import { execFileSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { KubeConfig } from "@kubernetes/client-node";

/** `kubectl config view --minify --raw -o json`: fails unless current-context resolves to a cluster and user. */
export function kubectlView(kubeconfig: string): unknown {
  const dir = mkdtempSync(join(tmpdir(), "cp-kubeconfig-"));
  try {
    const file = join(dir, "config");
    writeFileSync(file, kubeconfig, { mode: 0o600 });
    const out = execFileSync(
      "kubectl",
      ["config", "view", "--kubeconfig", file, "--minify", "--raw", "-o", "json"],
      {
        encoding: "utf8",
        stdio: ["ignore", "pipe", "pipe"],
        env: { PATH: process.env["PATH"] ?? "", HOME: dir },
      },
    );
    return JSON.parse(out) as unknown;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

export function clientNodeLoad(kubeconfig: string): KubeConfig {
  const kc = new KubeConfig();
  kc.loadFromString(kubeconfig);
  return kc;
}
