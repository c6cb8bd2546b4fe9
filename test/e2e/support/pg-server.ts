// A plain PostgreSQL 15 server (and optionally a streaming hot standby) started by a test: Debian's binaries, run
// as the `postgres` user when the test runs as root (PostgreSQL refuses root; docs/stores/postgres-patroni.md §1),
// on 127.0.0.1 with free ports, in a temporary directory that `stop()` removes with everything else.
import { execFile, spawn, type ChildProcess } from "node:child_process";
import { chmodSync, chownSync, mkdirSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import pg from "pg";
import { allocatePorts } from "../../../core/backends/local/index.js";
import { storeUser } from "../../../stores/postgres-patroni/index.js";

const BIN = "/usr/lib/postgresql/15/bin";
const exec = promisify(execFile);

/** One running postmaster. */
export interface PgServer {
  readonly name: string;
  readonly port: number;
  readonly dataDir: string;
}

/** A primary and its standbys, started by {@link startPgServers}. */
export interface PgServers {
  readonly primary: PgServer;
  readonly standbys: readonly PgServer[];
  /** A superuser connection to `server` for the test's own SQL (the caller ends it). */
  admin(server: PgServer): Promise<pg.Client>;
  /** Stops `server` (fast shutdown) and waits for its postmaster to exit. */
  stopServer(server: PgServer): Promise<void>;
  /** Stops every server and removes the directory. Idempotent. */
  stop(): Promise<void>;
}

/**
 * Starts a primary (initdb, trust authentication for the loopback) and `standbys` hot standbys cloned from it
 * with `pg_basebackup -R` (streaming replication, asynchronous unless the test sets `synchronous_standby_names`).
 */
export async function startPgServers(options: { standbys?: number } = {}): Promise<PgServers> {
  const count = options.standbys ?? 0;
  const user = storeUser();
  const dir = mkdtempSync(join(tmpdir(), "faultline-e2e-pgops-"));
  chmodSync(dir, 0o755); // the postgres user must reach its data directories
  const ports = await allocatePorts(1 + count);
  const children = new Map<string, ChildProcess>();
  const asUser = (cmd: string, args: string[]): [string, string[]] =>
    user
      ? [
          "setpriv",
          [
            "--reuid",
            String(user.uid),
            "--regid",
            String(user.gid),
            "--init-groups",
            "--pdeathsig",
            "KILL",
            "--",
            cmd,
            ...args,
          ],
        ]
      : [cmd, args];
  const env = { ...process.env, HOME: dir, LC_ALL: "C" };
  const makeDir = (name: string): string => {
    const d = join(dir, name);
    mkdirSync(d, { mode: 0o700 });
    if (user) chownSync(d, user.uid, user.gid);
    return d;
  };
  const run = async (cmd: string, args: string[]): Promise<void> => {
    const [c, a] = asUser(cmd, args);
    await exec(c, a, { env, timeout: 120_000 });
  };
  const launch = async (server: PgServer): Promise<void> => {
    const [c, a] = asUser(`${BIN}/postgres`, [
      "-D",
      server.dataDir,
      "-p",
      String(server.port),
      "-c",
      "listen_addresses=127.0.0.1",
      "-c",
      `unix_socket_directories=${server.dataDir}`,
      "-c",
      "fsync=off",
      "-c",
      "lc_messages=C",
    ]);
    const child = spawn(c, a, { env, stdio: ["ignore", "ignore", "pipe"] });
    let stderr = "";
    child.stderr!.on("data", (d: Buffer) => (stderr = (stderr + d.toString()).slice(-4000)));
    children.set(server.name, child);
    const deadline = Date.now() + 60_000;
    for (;;) {
      if (child.exitCode !== null) throw new Error(`${server.name} exited at start: ${stderr}`);
      const probe = new pg.Client({
        host: "127.0.0.1",
        port: server.port,
        user: "postgres",
        database: "postgres",
      });
      probe.on("error", () => undefined);
      try {
        await probe.connect();
        await probe.end();
        return;
      } catch {
        await probe.end().catch(() => undefined);
      }
      if (Date.now() > deadline)
        throw new Error(`${server.name} did not accept connections in 60 s: ${stderr}`);
      await new Promise((r) => setTimeout(r, 100));
    }
  };
  const stopServer = async (server: PgServer): Promise<void> => {
    const child = children.get(server.name);
    if (!child) return;
    children.delete(server.name);
    if (child.exitCode !== null || child.signalCode !== null) return;
    const exited = new Promise<void>((r) => child.once("exit", () => r()));
    child.kill("SIGINT"); // fast shutdown
    const timer = setTimeout(() => child.kill("SIGKILL"), 15_000);
    await exited;
    clearTimeout(timer);
  };

  const primary: PgServer = { name: "pg1", port: ports[0]!, dataDir: makeDir("pg1") };
  const standbys: PgServer[] = [];
  let stopped = false;
  const stop = async (): Promise<void> => {
    if (stopped) return;
    stopped = true;
    for (const s of [...standbys, primary]) await stopServer(s);
    rmSync(dir, { recursive: true, force: true });
  };
  try {
    await run(`${BIN}/initdb`, [
      "-D",
      primary.dataDir,
      "-U",
      "postgres",
      "--auth=trust",
      "-E",
      "UTF8",
      "--no-sync",
    ]);
    await launch(primary);
    for (let i = 0; i < count; i++) {
      const s: PgServer = { name: `pg${i + 2}`, port: ports[i + 1]!, dataDir: makeDir(`pg${i + 2}`) };
      await run(`${BIN}/pg_basebackup`, [
        "-h",
        "127.0.0.1",
        "-p",
        String(primary.port),
        "-U",
        "postgres",
        "-D",
        s.dataDir,
        "-R",
        "-X",
        "stream",
        "-d",
        `application_name=${s.name}`,
      ]);
      standbys.push(s);
      await launch(s);
    }
  } catch (err) {
    await stop();
    throw err;
  }
  return {
    primary,
    standbys,
    async admin(server) {
      const c = new pg.Client({
        host: "127.0.0.1",
        port: server.port,
        user: "postgres",
        database: "postgres",
      });
      c.on("error", () => undefined);
      await c.connect();
      return c;
    },
    stopServer,
    stop,
  };
}
