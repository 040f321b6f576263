/** A throwaway CA and a serving certificate for 127.0.0.1 (Go's TLS stack, used by kubectl,
 * insists on an IP SAN). Keys come from node:crypto (fast, native, or the run's key set); node-forge builds
 * the X.509. */
import { randomBytes } from "node:crypto";
import forge from "node-forge";
import { runKeyOrFresh } from "../run-keys.ts";

export interface TlsMaterial {
  caPem: string;
  certPem: string;
  keyPem: string;
}

function rsaKeys(): {
  privateKey: forge.pki.rsa.PrivateKey;
  publicKey: forge.pki.rsa.PublicKey;
  pem: string;
} {
  const privateKey = runKeyOrFresh();
  const pem = privateKey.export({ type: "pkcs1", format: "pem" }).toString();
  const priv = forge.pki.privateKeyFromPem(pem) as forge.pki.rsa.PrivateKey;
  return { privateKey: priv, publicKey: forge.pki.setRsaPublicKey(priv.n, priv.e), pem };
}

function baseCert(publicKey: forge.pki.PublicKey, cn: string): forge.pki.Certificate {
  const cert = forge.pki.createCertificate();
  cert.publicKey = publicKey;
  // Leading 0x01 keeps the DER integer positive.
  cert.serialNumber = `01${randomBytes(8).toString("hex")}`;
  const now = Date.now();
  cert.validity.notBefore = new Date(now - 60 * 60 * 1000);
  cert.validity.notAfter = new Date(now + 7 * 24 * 60 * 60 * 1000);
  cert.setSubject([{ name: "commonName", value: cn }]);
  return cert;
}

let servingKey: ReturnType<typeof rsaKeys> | undefined;

/**
 * A CA of its own and a serving certificate it signed, for each emulator, as each real cluster has its own CA
 * (a client holding one cluster's CA cannot talk to another). The CA key is new each time; the serving key is
 * made once per process and reused (nothing observes a serving key but the handshake, and it spares a key).
 */
export function generateTls(): TlsMaterial {
  const ca = rsaKeys();
  const caCert = baseCert(ca.publicKey, "kube-api-emulator-ca");
  caCert.setIssuer(caCert.subject.attributes);
  caCert.setExtensions([
    { name: "basicConstraints", cA: true, critical: true },
    { name: "keyUsage", keyCertSign: true, cRLSign: true, digitalSignature: true, critical: true },
    { name: "subjectKeyIdentifier" },
  ]);
  caCert.sign(ca.privateKey, forge.md.sha256.create());

  servingKey ??= rsaKeys();
  const srv = servingKey;
  const cert = baseCert(srv.publicKey, "kube-apiserver");
  cert.setIssuer(caCert.subject.attributes);
  cert.setExtensions([
    { name: "basicConstraints", cA: false },
    { name: "keyUsage", digitalSignature: true, keyEncipherment: true, critical: true },
    { name: "extKeyUsage", serverAuth: true },
    {
      name: "subjectAltName",
      altNames: [
        { type: 7, ip: "127.0.0.1" },
        { type: 2, value: "localhost" },
      ],
    },
  ]);
  cert.sign(ca.privateKey, forge.md.sha256.create());

  return {
    caPem: forge.pki.certificateToPem(caCert),
    certPem: forge.pki.certificateToPem(cert),
    keyPem: srv.pem,
  };
}
