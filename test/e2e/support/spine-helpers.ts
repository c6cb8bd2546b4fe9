/**
 * Helpers for the spine's end-to-end tests: run the real `faultline` binary, read what a run left, and check
 * that nothing of a run survives (no tagged process in /proc, no listener on any of its ports).
 */
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { existsSync, mkdtempSync, readdirSync, readFileSync, realpathSync, rmSync, statSync } from "node:fs";
import { expect, onTestFinished } from "vitest";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

/** The repository root. */
export const ROOT = fileURLToPath(new URL("../../../", import.meta.url));
const BIN = join(ROOT, "bin", "faultline.js");

/**
 * Compiles the TypeScript when `dist/` is older than any source (the tests run the real binary, and every run
 * starts the proxy from `dist/`). `npm test` builds first, so this is a no-op there.
 */
export function ensureBuilt(): void {
  const entry = join(ROOT, "dist", "harness", "cli", "main.js");
  const built = existsSync(entry) ? statSync(entry).mtimeMs : 0;
  const newest = Math.max(
    ...["harness", "nemesis", "checkers", "workloads", "core", "stores"].map((d) =>
      newestMtime(join(ROOT, d)),
    ),
  );
  if (newest <= built) return;
  const r = spawnSync(
    process.execPath,
    [join(ROOT, "node_modules", "typescript", "bin", "tsc"), "-p", "tsconfig.build.json"],
    {
      cwd: ROOT,
      encoding: "utf8",
    },
  );
  if (!existsSync(entry)) throw new Error(`build failed:\n${r.stdout}\n${r.stderr}`);
}

function newestMtime(dir: string): number {
  let newest = 0;
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    if (e.isDirectory()) newest = Math.max(newest, newestMtime(p));
    else if (e.name.endsWith(".ts")) newest = Math.max(newest, statSync(p).mtimeMs);
  }
  return newest;
}

/** A fresh store directory for one test; removed when the test passes, kept for a look when it fails. */
export function tempStore(label: string): string {
  const dir = mkdtempSync(join(tmpdir(), `faultline-e2e-${label}-`));
  onTestFinished(({ task }) => {
    if (task.result?.state === "pass") rmSync(dir, { recursive: true, force: true });
  });
  return dir;
}

/** What a CLI invocation printed and how it exited. */
export interface CliResult {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

/** Runs `faultline <args>` to completion. */
export function runFaultline(
  args: readonly string[],
  options: { timeoutMs?: number } = {},
): Promise<CliResult> {
  return finish(startFaultline(args), options.timeoutMs ?? 170_000);
}

/** Starts `faultline <args>` and returns the child (stdout/stderr collected on it). */
export function startFaultline(
  args: readonly string[],
): ChildProcess & { out: { stdout: string; stderr: string } } {
  const child = spawn(process.execPath, [BIN, ...args], { cwd: ROOT, stdio: ["ignore", "pipe", "pipe"] });
  const out = { stdout: "", stderr: "" };
  child.stdout.on("data", (d: Buffer) => (out.stdout += d.toString()));
  child.stderr.on("data", (d: Buffer) => (out.stderr += d.toString()));
  return Object.assign(child, { out });
}

/** Waits for a started CLI to exit (SIGKILLs it after `timeoutMs`). */
export function finish(
  child: ChildProcess & { out: { stdout: string; stderr: string } },
  timeoutMs: number,
): Promise<CliResult> {
  return new Promise((resolve) => {
    const timer = setTimeout(() => child.kill("SIGKILL"), timeoutMs);
    child.once("exit", (code, signal) => {
      clearTimeout(timer);
      // Let the pipes drain.
      setTimeout(() => resolve({ code, signal, ...child.out }), 50);
    });
  });
}

/** The single run directory under a store (`<store>/<test-name>/<timestamp>`). */
export function runDirOf(store: string): string {
  const latest = join(store, "latest");
  if (!existsSync(latest)) throw new Error(`no run in ${store}`);
  return realpathSync(latest);
}

/** Parses a JSON file. */
export function readJson<T = Record<string, any>>(path: string): T {
  return JSON.parse(readFileSync(path, "utf8")) as T;
}

/** The run id a run directory's config.json records. */
export function runIdOf(runDir: string): string {
  return readJson(join(runDir, "config.json")).run.id as string;
}

/**
 * Waits until a started `faultline run` into `store` has recorded at least `clientOps` client entries, and
 * returns its run directory; throws, with the run's stderr, once `timeoutMs` passed or the run exited.
 */
export async function awaitRunGoing(
  child: ChildProcess & { out: { stdout: string; stderr: string } },
  store: string,
  clientOps: number,
  timeoutMs: number,
): Promise<string> {
  let dir: string | undefined;
  const deadline = Date.now() + timeoutMs;
  while (!dir || historyOps(dir).filter((o) => typeof o.process === "number").length < clientOps) {
    if (Date.now() > deadline || child.exitCode !== null)
      throw new Error(`run A never got going:\n${child.out.stderr}`);
    try {
      dir = runDirOf(store);
    } catch {
      // not created yet
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  return dir;
}

/** The lines of a history, parsed (a truncated last line is left out). */
export function historyOps(runDir: string): Record<string, any>[] {
  const text = readFileSync(join(runDir, "history.jsonl"), "utf8");
  return text
    .split("\n")
    .filter((l) => l.trim() !== "")
    .flatMap((l) => {
      try {
        return [JSON.parse(l) as Record<string, any>];
      } catch {
        return [];
      }
    });
}

/**
 * Asserts a history shows a failover after `after` (ns): the monitor's first leader after it is n2 or n3, a
 * `+switch-master` names it, and it served more than 20 acknowledged adds from then on. Returns that leader entry.
 */
export function expectFailoverAfter(ops: readonly Record<string, any>[], after: number): Record<string, any> {
  const change = ops.find(
    (o) => o.process === "monitor" && o.f === "leader" && o.time > after && o.value !== null,
  );
  expect(change?.value).toMatch(/^n[23]$/);
  expect(
    ops.some(
      (o) => o.f === "manager-event" && o.value.event === "+switch-master" && o.value.to === change!.value,
    ),
  ).toBe(true);
  // Clients carried on: acknowledged writes served by the new leader after the failover.
  const served = ops.filter(
    (o) => typeof o.process === "number" && o.type === "ok" && o.f === "add" && o.time > change!.time,
  );
  expect(served.filter((o) => o.node === change!.value).length).toBeGreaterThan(20);
  return change!;
}

/** Pids of processes tagged with `runId` (FAULTLINE_RUN_ID in /proc/<pid>/environ), zombies excluded. */
export function processesOfRun(runId: string): number[] {
  const pids: number[] = [];
  for (const entry of readdirSync("/proc")) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const env = readFileSync(`/proc/${entry}/environ`, "latin1");
      if (!env.split("\0").includes(`FAULTLINE_RUN_ID=${runId}`)) continue;
      const stat = readFileSync(`/proc/${entry}/stat`, "utf8");
      if (stat.slice(stat.lastIndexOf(")") + 2).startsWith("Z")) continue;
      pids.push(Number(entry));
    } catch {
      // gone, or not ours to read
    }
  }
  return pids;
}

/** Every TCP port in LISTEN state on this machine (IPv4 and IPv6), from /proc/net/tcp{,6}. */
export function listeningPorts(): Set<number> {
  const ports = new Set<number>();
  for (const file of ["/proc/net/tcp", "/proc/net/tcp6"]) {
    if (!existsSync(file)) continue;
    for (const line of readFileSync(file, "utf8").split("\n").slice(1)) {
      const cols = line.trim().split(/\s+/);
      if (cols.length < 4 || cols[3] !== "0A") continue;
      ports.add(parseInt(cols[1]!.split(":")[1]!, 16));
    }
  }
  return ports;
}

/** Every port a run's config.json says it used: real and public node ports, client listeners, the proxy API. */
export function portsOfRun(runDir: string): number[] {
  const run = readJson(join(runDir, "config.json")).run as Record<string, any>;
  const cluster = run.cluster as Record<string, any> | undefined;
  if (!cluster) return [];
  const ports: number[] = [];
  for (const n of cluster.nodes as { port: number; publicPort: number }[]) ports.push(n.port, n.publicPort);
  for (const byNode of Object.values(cluster.clients as Record<string, Record<string, number>>)) {
    ports.push(...Object.values(byNode));
  }
  if (typeof cluster.proxy === "string") ports.push(Number(new URL(cluster.proxy).port));
  return [...new Set(ports)];
}

/**
 * Asserts nothing of a run survives: no process tagged with its id, no listener on any port it used. Waits a
 * little, since the last processes may still be exiting when the CLI returns.
 */
export async function expectNothingLeft(runDir: string): Promise<void> {
  const runId = runIdOf(runDir);
  const ports = portsOfRun(runDir);
  if (ports.length === 0) throw new Error(`config.json of ${runDir} lists no ports`);
  const deadline = Date.now() + 5000;
  for (;;) {
    const procs = processesOfRun(runId);
    const listening = listeningPorts();
    const open = ports.filter((p) => listening.has(p));
    if (procs.length === 0 && open.length === 0) return;
    if (Date.now() > deadline) {
      throw new Error(
        `run ${runId} left processes ${JSON.stringify(procs)} and listeners on ports ${JSON.stringify(open)}`,
      );
    }
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** Splits a flag string into argv words (flags in tests read as one line). */
export function flags(text: string): string[] {
  return text.split(/\s+/).filter((w) => w !== "");
}

/**
 * A checker result's whole list (`results.json` keeps the first 100 items of each list and streams the rest to
 * `results.lists/`, described under `lists.<label>.<path>`): e.g. every lost write of the `set` checker.
 */
export function fullList<T = Record<string, any>>(runDir: string, label: string, path: string): T[] {
  const results = readJson(join(runDir, "results.json"));
  const spilled = results.lists?.[label]?.[path] as { file?: string } | undefined;
  if (!spilled?.file)
    return (path.split(".").reduce((v: any, k) => v?.[k], results.results[label]) ?? []) as T[];
  return readFileSync(join(runDir, spilled.file), "utf8")
    .split("\n")
    .filter((l) => l.trim() !== "")
    .map((l) => JSON.parse(l) as T);
}
