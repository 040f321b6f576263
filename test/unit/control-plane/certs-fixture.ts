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

/** A serving certificate and its key, signed by `ca` in `dir`, with the given subjectAltName. */
function makeLeaf(dir: string, ca: string, name: string, san: string): { certPem: string; keyPem: string } {
  openssl(dir, [
    "req",
    "-new",
    "-newkey",
    "ec",
    "-pkeyopt",
    "ec_paramgen_curve:prime256v1",
    "-nodes",
    "-subj",
    `/CN=${name}`,
    "-keyout",
    `${name}.key`,
    "-out",
    `${name}.csr`,
  ]);
  writeFileSync(join(dir, `${name}.ext`), `basicConstraints=CA:FALSE\nsubjectAltName=${san}\n`);
  openssl(dir, [
    "x509",
    "-req",
    "-in",
    `${name}.csr`,
    "-CA",
    `${ca}.crt`,
    "-CAkey",
    `${ca}.key`,
    "-days",
    "2",
    "-extfile",
    `${name}.ext`,
    "-out",
    `${name}.crt`,
  ]);
  const read = (f: string) => readFileSync(join(dir, f), "utf8");
  return { certPem: read(`${name}.crt`), keyPem: read(`${name}.key`) };
}

export function makeTestCerts(): TestCerts {
  const dir = mkdtempSync(join(tmpdir(), "cp-certs-"));
  try {
    makeCa(dir, "ca");
    makeCa(dir, "other-ca");
    const leaf = makeLeaf(dir, "ca", "leaf", "IP:127.0.0.1");
    const read = (f: string) => readFileSync(join(dir, f), "utf8");
    return { caPem: read("ca.crt"), otherCaPem: read("other-ca.crt"), leafPem: leaf.certPem };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

export interface ServingCerts {
  readonly caPem: string;
  readonly otherCaPem: string;
  /** Signed by caPem, SAN IP:127.0.0.1 (what the charm requests). */
  readonly loopback: { readonly certPem: string; readonly keyPem: string };
  /** Signed by caPem, SAN DNS:localhost only. */
  readonly nameOnly: { readonly certPem: string; readonly keyPem: string };
}

/** A CA, another CA, and two serving certificates (with keys) signed by the first. */
export function makeServingCerts(): ServingCerts {
  const dir = mkdtempSync(join(tmpdir(), "cp-serving-"));
  try {
    makeCa(dir, "ca");
    makeCa(dir, "other-ca");
    const read = (f: string) => readFileSync(join(dir, f), "utf8");
    return {
      caPem: read("ca.crt"),
      otherCaPem: read("other-ca.crt"),
      loopback: makeLeaf(dir, "ca", "loopback", "IP:127.0.0.1"),
      nameOnly: makeLeaf(dir, "ca", "name-only", "DNS:localhost"),
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
