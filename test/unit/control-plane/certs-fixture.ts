// Throwaway CA and leaf certificates made with the real openssl, for tests that need PEMs.
import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

export interface TestCerts {
  caPem: string;
  otherCaPem: string;
  leafPem: string;
}

function openssl(dir: string, args: string[]): void {
  execFileSync("openssl", args, { cwd: dir, stdio: "pipe" });
}

function makeCa(dir: string, name: string): void {
  openssl(dir, [
    "req",
    "-x509",
    "-newkey",
    "ec",
    "-pkeyopt",
    "ec_paramgen_curve:prime256v1",
    "-nodes",
    "-subj",
    `/CN=${name}`,
    "-days",
    "2",
    "-keyout",
    `${name}.key`,
    "-out",
    `${name}.crt`,
    "-addext",
    "basicConstraints=critical,CA:TRUE",
  ]);
}

export function makeTestCerts(): TestCerts {
  const dir = mkdtempSync(join(tmpdir(), "cp-certs-"));
  try {
    makeCa(dir, "ca");
    makeCa(dir, "other-ca");
    openssl(dir, [
      "req",
      "-new",
      "-newkey",
      "ec",
      "-pkeyopt",
      "ec_paramgen_curve:prime256v1",
      "-nodes",
      "-subj",
      "/CN=leaf",
      "-keyout",
      "leaf.key",
      "-out",
      "leaf.csr",
    ]);
    writeFileSync(join(dir, "ext"), "basicConstraints=CA:FALSE\nsubjectAltName=IP:127.0.0.1\n");
    openssl(dir, [
      "x509",
      "-req",
      "-in",
      "leaf.csr",
      "-CA",
      "ca.crt",
      "-CAkey",
      "ca.key",
      "-days",
      "2",
      "-extfile",
      "ext",
      "-out",
      "leaf.crt",
    ]);
    const read = (f: string) => readFileSync(join(dir, f), "utf8");
    return { caPem: read("ca.crt"), otherCaPem: read("other-ca.crt"), leafPem: read("leaf.crt") };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
