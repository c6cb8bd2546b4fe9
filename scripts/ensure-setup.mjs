#!/usr/bin/env node
// Makes a fresh checkout ready, with no dependencies of its own (it runs before `npm ci`):
//   - npm packages: runs `npm ci` when node_modules is missing or older than package-lock.json;
//   - system packages: redis-server (redis-server + Sentinel mode), redis-tools (redis-cli, redis-benchmark),
//     for tests a C compiler (cc, from gcc: faultline's clock shim is compiled on first use), and for tests and benchmarks chromium (the report's browser tests); installs them
//     with apt-get when running as root, otherwise says exactly what to run;
//   - for tests, when a Docker engine answers: a compose tool (docker-compose.yml is validated and brought up by the
//     docker tests), installed as .ci/run does (Debian's docker-compose) when running as root, otherwise the exact
//     command is printed and the script exits 254;
//   - for the demo: compiles the TypeScript (npm run build).
// apt-get waits for the dpkg lock when another process holds it (unattended upgrades, another install) instead of
// failing.
// Usage: node scripts/ensure-setup.mjs --for demo|test|bench
import { execFileSync, spawnSync } from "node:child_process";
import { existsSync, statSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const purpose = process.argv[process.argv.indexOf("--for") + 1] ?? "demo";
const say = (msg) => process.stderr.write(`[setup] ${msg}\n`);

const [major, minor] = process.versions.node.split(".").map(Number);
if (major < 20 || (major === 20 && minor < 19)) {
  say(
    `Node.js ${process.versions.node} is too old: faultline needs Node.js >= 20.19 (ioredis 6 and vite need it).`,
  );
  process.exit(254);
}

// 1. npm packages.
const lock = join(root, "package-lock.json");
const marker = join(root, "node_modules", ".package-lock.json");
if (!existsSync(marker) || statSync(marker).mtimeMs < statSync(lock).mtimeMs) {
  say("installing npm packages (npm ci)…");
  run("npm", ["ci", "--no-audit", "--no-fund"]);
}

// 2. System packages, by the binaries we need.
const wanted = [
  {
    bin: "redis-server",
    pkg: "redis-server",
    why: "the store under test (and Sentinel, which is redis-server --sentinel)",
  },
  { bin: "redis-cli", pkg: "redis-tools", why: "redis-benchmark for the benchmarks" },
  // Clock faults (their tests; a run without clock faults needs no compiler) compile faultline's clock shim.
  ...(purpose === "test"
    ? [
        {
          bin: "cc",
          pkg: "gcc libc6-dev",
          why: "clock faults (faultline compiles its clock shim with cc on first use)",
        },
      ]
    : []),
  // The PostgreSQL + Patroni + etcd store's tests start a real cluster (stores/postgres-patroni); psql runs their SQL.
  ...(purpose === "test"
    ? [
        {
          bin: join(process.env.FAULTLINE_PG_BIN_DIR ?? "/usr/lib/postgresql/15/bin", "postgres"),
          pkg: "postgresql-15 postgresql-client-15",
          why: "the PostgreSQL store's tests (Debian's PostgreSQL 15)",
        },
        { bin: "patroni", pkg: "patroni", why: "the PostgreSQL store's failover manager" },
        { bin: "etcd", pkg: "etcd-server", why: "Patroni's consensus store" },
        { bin: "etcdctl", pkg: "etcd-client", why: "the PostgreSQL store's tests read etcd with it" },
        {
          bin: "setpriv",
          pkg: "util-linux",
          why: "PostgreSQL runs as the postgres user, started with setpriv",
        },
      ]
    : []),
  // The report's browser tests and benchmark drive Debian's Chromium (playwright-core, no download).
  ...(purpose === "test" || purpose === "bench"
    ? [{ bin: "chromium", pkg: "chromium", why: "the HTML report's browser tests and benchmark" }]
    : []),
];
const missing = wanted.filter((w) => !onPath(w.bin));
if (missing.length > 0) {
  const pkgs = missing.flatMap((m) => m.pkg.split(" "));
  const canApt = process.getuid?.() === 0 && onPath("apt-get");
  if (canApt) {
    aptInstall(pkgs);
    // Debian starts a system PostgreSQL (:5432) and etcd (:2379) after installing them; faultline never uses them
    // (its clusters choose free ports), so they are stopped rather than left to be mistaken for leaks.
    if (pkgs.some((p) => p.startsWith("postgresql") || p === "etcd-server")) {
      spawnSync("sh", ["-c", "service postgresql stop; service etcd stop; true"], { stdio: "ignore" });
    }
  } else {
    for (const m of missing) say(`missing ${m.bin}: ${m.why}`);
    say(`install them first, for example:  sudo apt-get install -y ${pkgs.join(" ")}`);
    say("(on macOS: brew install redis, and xcode-select --install for cc)");
    process.exit(254);
  }
}
// Debian starts a system redis on :6379 after installing; faultline never uses it (it picks free ports).

// 2b. Tests: the docker backend's tests need an engine. As root with dockerd installed and none answering, start
// one (they skip, saying why, only when none can be reached).
if (purpose === "test" && process.getuid?.() === 0 && onPath("dockerd") && !dockerAnswers()) {
  say("starting dockerd for the docker backend's tests (log: /tmp/dockerd.log)…");
  spawnSync("sh", ["-c", "dockerd >/tmp/dockerd.log 2>&1 &"], { stdio: "ignore" });
  for (let i = 0; i < 60 && !dockerAnswers(); i++) spawnSync("sleep", ["1"]);
  if (!dockerAnswers()) say("dockerd did not answer within 60 s; the docker tests will be skipped");
}

// 2c. Tests: with an engine, the docker tests validate and start docker-compose.yml with a compose tool (Docker's
// `docker compose` plugin or Debian's `docker-compose`); without one they fail with ENOENT. Install it as .ci/run
// does, or say exactly what to run.
if (purpose === "test" && onPath("docker") && dockerAnswers() && !composeRuns()) {
  if (process.getuid?.() === 0 && onPath("apt-get")) {
    aptInstall(["docker-compose"]);
    if (!composeRuns()) {
      say("docker-compose was installed but does not run; the docker-compose.yml tests will fail");
      process.exit(255);
    }
  } else {
    say("missing a compose tool: the docker tests validate and start docker-compose.yml with one");
    say("install it first, for example:  sudo apt-get install -y docker-compose");
    say("(or Docker's compose plugin: https://docs.docker.com/compose/install/linux/)");
    process.exit(254);
  }
}

// 3. Compile for the demo and the benchmarks (the test script compiles on its own).
if (purpose === "demo" || purpose === "bench") {
  say("compiling (npm run build)…");
  run("npm", ["run", "--silent", "build"]);
}

function dockerAnswers() {
  return spawnSync("docker", ["info"], { stdio: "ignore", timeout: 10_000 }).status === 0;
}

function composeRuns() {
  const ok = (cmd, args) => spawnSync(cmd, args, { stdio: "ignore", timeout: 30_000 }).status === 0;
  return ok("docker", ["compose", "version"]) || ok("docker-compose", ["version"]);
}

/** `apt-get update` then `apt-get install` of `pkgs`, each waiting for the dpkg/apt locks if they are held. */
function aptInstall(pkgs) {
  say(`installing Debian packages: ${pkgs.join(" ")}…`);
  apt(["update", "-qq"]);
  apt(["install", "-y", "-qq", "--no-install-recommends", ...pkgs]);
}

/**
 * Runs apt-get; while another process holds the dpkg or apt lists lock (unattended upgrades, another install),
 * waits and retries (up to 10 minutes) instead of failing. `DPkg::Lock::Timeout` makes apt itself wait for the
 * dpkg lock; the retry also covers the lists lock of `apt-get update` and older apt versions.
 */
function apt(args) {
  // Tests shorten the wait; nothing else sets it.
  const retrySeconds = Number(process.env.FAULTLINE_SETUP_APT_RETRY_SECONDS ?? 10);
  const full = ["-o", "DPkg::Lock::Timeout=120", ...args];
  const deadline = Date.now() + 10 * 60_000;
  for (let attempt = 1; ; attempt++) {
    const r = spawnSync("apt-get", full, {
      cwd: root,
      stdio: ["ignore", "inherit", "pipe"],
      encoding: "utf8",
      env: { ...process.env, DEBIAN_FRONTEND: "noninteractive" },
    });
    if (r.stderr) process.stderr.write(r.stderr);
    if (r.status === 0) return;
    const locked = /could not get lock|unable to acquire the dpkg frontend lock|unable to lock/i.test(
      r.stderr ?? "",
    );
    if (!locked || Date.now() > deadline) {
      say(`\`apt-get ${args.join(" ")}\` failed (${r.status ?? r.error?.message}); fix that and run again.`);
      process.exit(255);
    }
    say(
      `apt-get: another process holds the package lock; waiting ${retrySeconds} s and retrying (attempt ${attempt + 1})…`,
    );
    spawnSync("sleep", [String(retrySeconds)]);
  }
}

function onPath(bin) {
  if (bin.startsWith("/")) return existsSync(bin);
  return spawnSync("sh", ["-c", `command -v ${bin}`], { stdio: "ignore" }).status === 0;
}

function run(cmd, args, env = {}) {
  try {
    execFileSync(cmd, args, {
      cwd: root,
      stdio: ["ignore", "inherit", "inherit"],
      env: { ...process.env, ...env },
    });
  } catch (err) {
    say(`\`${cmd} ${args.join(" ")}\` failed (${err.status ?? err.message}); fix that and run again.`);
    process.exit(255);
  }
}
