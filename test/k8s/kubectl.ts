// Runs the real kubectl asynchronously: the emulator serves from this same process, so a synchronous
// child would block the very event loop that has to answer it.
import { spawn } from "node:child_process";

export function runKubectl(
  kubeconfig: string,
  cacheDir: string,
  args: string[],
  input?: string,
): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn("kubectl", [
      "--kubeconfig",
      kubeconfig,
      "--cache-dir",
      cacheDir,
      "--request-timeout=10s",
      ...args,
    ]);
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (chunk: Buffer) => {
      stdout += chunk.toString();
    });
    child.stderr.on("data", (chunk: Buffer) => {
      stderr += chunk.toString();
    });
    child.on("error", reject);
    child.on("close", (code) => {
      if (code === 0) resolve(stdout);
      else reject(new Error(`kubectl ${args.join(" ")} exited ${code}: ${stderr}`));
    });
    child.stdin.end(input ?? "");
  });
}
