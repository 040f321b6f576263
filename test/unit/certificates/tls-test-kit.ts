/** Shared helpers for the tls tests: a hand-built RelationView, one requirer↔provider round trip
 * through the pure requirer functions, and `openssl verify`. */
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { execa } from "execa";
import { type CertificateRequest, type Databag, requesterWrites } from "../../../src/certificates/request.ts";
import { type ParsedAnswers, parseAnswers } from "../../../src/certificates/response.ts";
import type { RelationView, RemoteCharm } from "../../emulator/juju/remote-charm.ts";

export const UNIT = "aws-iam/0";

export interface Round {
  readonly requirerBag: Databag;
  readonly providerApp: Databag;
  readonly providerUnits: Record<string, Databag>;
  readonly answers: ParsedAnswers;
}

/** Publishes our request, lets the provider answer once, and parses what came back. `previous`
 * carries the provider's databags from an earlier round (a stand-in returns only what it writes). */
export async function roundTrip(
  provider: RemoteCharm,
  opts: {
    requests: readonly CertificateRequest[];
    csrs?: Record<string, string>;
    providerApp?: string;
    providerUnits?: readonly string[];
    previous?: Round;
  },
): Promise<Round> {
  const csrs = opts.csrs ?? {};
  const requirerBag = stripEmpty(
    requesterWrites({ unitName: UNIT, requests: opts.requests, csrs, certificateName: "cert-uuid" }),
  );
  const app = opts.providerApp ?? provider.charm;
  const units = opts.providerUnits ?? [`${app}/0`];
  const view: RelationView = {
    relationId: 7,
    endpoint: "client",
    app,
    units,
    remoteApp: "aws-iam",
    remoteUnits: [UNIT],
    appData: opts.previous?.providerApp ?? {},
    unitData: opts.previous?.providerUnits ?? {},
    remoteAppData: {},
    remoteUnitData: { [UNIT]: requirerBag },
    machineRoot: () => tmpdir(),
  };
  const writes = await provider.onRelationEvent(view);
  const providerApp = stripEmpty({ ...view.appData, ...(writes.appData ?? {}) });
  const providerUnits: Record<string, Databag> = {};
  for (const u of units)
    providerUnits[u] = stripEmpty({ ...(view.unitData[u] ?? {}), ...(writes.unitData?.[u] ?? {}) });
  const answers = parseAnswers({
    unitName: UNIT,
    requests: opts.requests,
    csrs,
    remoteApp: app,
    remoteAppData: providerApp,
    remoteUnitData: providerUnits,
  });
  return { requirerBag, providerApp, providerUnits, answers };
}

function stripEmpty(bag: Readonly<Databag>): Databag {
  return Object.fromEntries(Object.entries(bag).filter(([, v]) => v !== ""));
}

/** `openssl verify [-partial_chain] -CAfile ca [-untrusted chain] cert`; resolves to openssl's stdout.
 * `partialChain`: any certificate in `ca` may end the path, as in Go's crypto/x509 (kube-apiserver,
 * client-go), which accepts every certificate in its root pool as an anchor; without it OpenSSL (and
 * Python before 3.13, CK's auth-webhook) needs a self-signed one. */
export async function opensslVerify(
  caPem: string,
  certPem: string,
  intermediates: readonly string[] = [],
  options: { readonly partialChain?: boolean } = {},
): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), "tls-verify-"));
  try {
    await writeFile(join(dir, "ca.pem"), `${caPem}\n`);
    await writeFile(join(dir, "cert.pem"), `${certPem}\n`);
    const untrusted = intermediates.length > 0 ? ["-untrusted", join(dir, "chain.pem")] : [];
    if (intermediates.length > 0) await writeFile(join(dir, "chain.pem"), `${intermediates.join("\n")}\n`);
    const { stdout } = await execa("openssl", [
      "verify",
      ...(options.partialChain === true ? ["-partial_chain"] : []),
      "-CAfile",
      join(dir, "ca.pem"),
      ...untrusted,
      join(dir, "cert.pem"),
    ]);
    return stdout;
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
