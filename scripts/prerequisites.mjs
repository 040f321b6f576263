// Checks the system tools `npm start` and `npm test` need (README, Prerequisites). Missing Debian
// tools are installed when this runs as root on a machine with apt-get; otherwise it stops with one
// line naming the exact command. kubectl is not installed from Debian: its archive has only
// kubernetes-client 1.20 (`apt-cache policy kubernetes-client` on bookworm: 1.20.5+really1.20.2), which
// fails test/unit/control-plane/client-kubeconfig.test.ts, so the line names the upstream install.
import { spawnSync } from "node:child_process";
import { accessSync, constants } from "node:fs";
import { delimiter, join } from "node:path";

/** Where Debian's easy-rsa package puts the script (the easyrsa charm's CA tool). */
const EASYRSA = "/usr/share/easy-rsa/easyrsa";
const KUBECTL_INSTALL =
  "install kubectl (https://kubernetes.io/docs/tasks/tools/install-kubectl-linux/: the pkgs.k8s.io apt repository, or `snap install kubectl --classic` on Ubuntu)";

function executable(path) {
  try {
    accessSync(path, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

function onPath(command) {
  return (process.env.PATH ?? "")
    .split(delimiter)
    .some((dir) => dir !== "" && executable(join(dir, command)));
}

/** The tools the tests and `npm start` run, with the Debian package that provides each. */
const debianTools = [
  { name: "openssl", present: () => onPath("openssl"), pkg: "openssl" },
  { name: "easy-rsa", present: () => executable(EASYRSA), pkg: "easy-rsa" },
];

function fail(line) {
  process.stderr.write(`prerequisites: ${line}\n`);
  process.exit(1);
}

const [major = 0, minor = 0] = process.versions.node.split(".").map(Number);
if (major < 20 || (major === 20 && minor < 5))
  fail(`Node.js ≥ 20.5 is required (this is ${process.version})`);

const missing = debianTools.filter((tool) => !tool.present());
if (missing.length > 0) {
  const packages = missing.map((tool) => tool.pkg);
  const command = `apt-get install -y ${packages.join(" ")}`;
  const root = typeof process.getuid === "function" && process.getuid() === 0;
  if (!root || !onPath("apt-get"))
    fail(`missing ${packages.join(", ")}: run \`${root ? "" : "sudo "}${command}\``);
  process.stdout.write(`prerequisites: installing ${packages.join(" ")} with apt-get\n`);
  const env = { ...process.env, DEBIAN_FRONTEND: "noninteractive" };
  for (const args of [
    ["update", "-qq"],
    ["install", "-y", "-qq", "--no-install-recommends", ...packages],
  ]) {
    const result = spawnSync("apt-get", args, { stdio: ["ignore", "ignore", "inherit"], env });
    if (result.status !== 0) fail(`\`apt-get ${args.join(" ")}\` failed; run \`${command}\` by hand`);
  }
  const still = missing.filter((tool) => !tool.present()).map((tool) => tool.name);
  if (still.length > 0) fail(`${still.join(", ")} still missing after apt-get; run \`${command}\``);
}

// Only the tests talk to a (emulated) API server with kubectl; `npm start` does not need it. The tests
// read exec plugins' `interactiveMode`, which kubectl fills in from 1.22 (client-go
// tools/clientcmd/api/v1/defaults.go, SetDefaults_ExecConfig); Debian's 1.20 fails them.
if (process.argv.includes("--kubectl")) {
  if (!onPath("kubectl")) fail(`kubectl is missing: ${KUBECTL_INSTALL}`);
  const version = spawnSync("kubectl", ["version", "--client", "-o", "json"], { encoding: "utf8" });
  let minor = 0;
  try {
    minor = Number.parseInt(JSON.parse(version.stdout).clientVersion?.minor ?? "0", 10) || 0;
  } catch {
    fail(
      `\`kubectl version --client\` did not answer (${(version.stderr || "no output").trim()}): ${KUBECTL_INSTALL}`,
    );
  }
  if (minor < 22) fail(`kubectl 1.${minor} is too old (1.22 or later needed): ${KUBECTL_INSTALL}`);
}
