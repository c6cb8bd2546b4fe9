/**
 * `npm test`'s setup step (scripts/ensure-setup.mjs --for test) installs what the tests need, as .ci/run does: with a
 * Docker engine but no compose tool, the docker-compose.yml tests failed with ENOENT. Run in a sandbox: a copy of
 * the script in a fake checkout whose npm packages are up to date, with PATH holding only fake commands (apt-get
 * records what it is asked and installs nothing real).
 */
import { spawnSync } from "node:child_process";
import {
  chmodSync,
  copyFileSync,
  existsSync,
  mkdirSync,
  readFileSync,
  symlinkSync,
  utimesSync,
  writeFileSync,
} from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { tempDir } from "./support/temp-dir.js";

const script = join(import.meta.dirname, "..", "..", "scripts", "ensure-setup.mjs");
const isRoot = process.getuid?.() === 0;

interface Sandbox {
  bin: string;
  log: string;
  run: () => { status: number | null; err: string; apt: string[] };
}

/** A fake checkout and PATH. `docker info` answers as `engine` says; `docker compose` is never there. */
function sandbox(o: { engine: boolean; apt: boolean; compose?: boolean; lockedOnce?: boolean }): Sandbox {
  const root = tempDir("faultline-setup-");
  mkdirSync(join(root, "scripts"));
  copyFileSync(script, join(root, "scripts", "ensure-setup.mjs"));
  writeFileSync(join(root, "package-lock.json"), "{}");
  utimesSync(join(root, "package-lock.json"), new Date(1000), new Date(1000));
  mkdirSync(join(root, "node_modules"));
  writeFileSync(join(root, "node_modules", ".package-lock.json"), "{}");
  const bin = join(root, "bin");
  mkdirSync(bin);
  const log = join(root, "apt.log");
  const fake = (name: string, body: string): void => {
    writeFileSync(join(bin, name), `#!/bin/sh\n${body}\n`);
    chmodSync(join(bin, name), 0o755);
  };
  for (const real of ["sh", "sleep"]) symlinkSync(`/bin/${real}`, join(bin, real));
  for (const present of [
    "redis-server",
    "redis-cli",
    "cc",
    "chromium",
    "postgres",
    "patroni",
    "etcd",
    "etcdctl",
    "setpriv",
  ])
    fake(present, "exit 0");
  fake("docker", `[ "$1" = info ] && exit ${o.engine ? 0 : 1}\nexit 1`);
  if (o.compose) fake("docker-compose", "exit 0");
  if (o.lockedOnce) writeFileSync(join(root, "locked"), "");
  if (o.apt) {
    fake(
      "apt-get",
      [
        `echo "$*" >> ${log}`,
        `if [ -e ${root}/locked ]; then /bin/rm ${root}/locked; echo "E: Could not get lock /var/lib/dpkg/lock-frontend. It is held by process 1 (apt-get)" >&2; exit 100; fi`,
        `case "$*" in *docker-compose*) printf '#!/bin/sh\\nexit 0\\n' > ${bin}/docker-compose; /bin/chmod +x ${bin}/docker-compose;; esac`,
        "exit 0",
      ].join("\n"),
    );
  }
  return {
    bin,
    log,
    run: () => {
      const r = spawnSync(process.execPath, [join(root, "scripts", "ensure-setup.mjs"), "--for", "test"], {
        encoding: "utf8",
        env: { PATH: bin, HOME: root, FAULTLINE_SETUP_APT_RETRY_SECONDS: "0", FAULTLINE_PG_BIN_DIR: bin },
        timeout: 60_000,
      });
      return {
        status: r.status,
        err: r.stderr,
        apt: existsSync(log) ? readFileSync(log, "utf8").trim().split("\n") : [],
      };
    },
  };
}

describe("ensure-setup --for test", () => {
  it.skipIf(!isRoot)(
    "should install docker-compose with apt-get when an engine answers, no compose tool runs and it is root",
    () => {
      const s = sandbox({ engine: true, apt: true });
      const r = s.run();
      expect(r.status, r.err).toBe(0);
      expect(r.apt).toEqual([
        "-o DPkg::Lock::Timeout=120 update -qq",
        "-o DPkg::Lock::Timeout=120 install -y -qq --no-install-recommends docker-compose",
      ]);
      expect(existsSync(join(s.bin, "docker-compose"))).toBe(true);
    },
  );

  it.skipIf(!isRoot)("should wait and retry when another process holds the package lock", () => {
    const r = sandbox({ engine: true, apt: true, lockedOnce: true }).run();
    expect(r.status, r.err).toBe(0);
    expect(r.err).toContain("another process holds the package lock; waiting 0 s and retrying");
    expect(r.apt.filter((l) => l.includes(" update "))).toHaveLength(2);
    expect(r.apt.at(-1)).toContain("install -y -qq --no-install-recommends docker-compose");
  });

  it("should print the exact command and exit 254 when it cannot install (no apt-get)", () => {
    const r = sandbox({ engine: true, apt: false }).run();
    expect(r.status).toBe(254);
    expect(r.err).toContain("[setup] missing a compose tool");
    expect(r.err).toContain("sudo apt-get install -y docker-compose");
  });

  it("should install nothing when a compose tool runs or no engine answers (the docker tests skip then)", () => {
    for (const o of [
      { engine: true, apt: true, compose: true },
      { engine: false, apt: true },
    ]) {
      const r = sandbox(o).run();
      expect(r.status, `${JSON.stringify(o)}: ${r.err}`).toBe(0);
      expect(r.apt, JSON.stringify(o)).toEqual([]);
    }
  });
});
