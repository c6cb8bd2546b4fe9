import { spawn, type ChildProcess } from "node:child_process";
import { existsSync, openSync, closeSync } from "node:fs";
import type { Socket } from "node:net";
import type Docker from "dockerode";
import { LABELS } from "./labels.js";

/** Options of {@link startRunReaper}. */
export interface RunReaperOptions {
  /** An image with `node` as its entrypoint's program: faultline's own proxy image (`faultline-local/proxy`). */
  image: string;
  /** The container's name. */
  name: string;
  /** The run's labels ({@link runLabels}); the reaper removes what carries the same `faultline.run`. */
  labels: Record<string, string>;
  /**
   * The engine's socket as the engine's host sees it, mounted into the reaper (default: the unix path of
   * `DOCKER_HOST`, else `/var/run/docker.sock`).
   */
  engineSocket?: string;
  /**
   * The guard of the reaper's own start (see {@link startRunReaper}): its log file, and the run's tag as
   * environment variables (`runTagEnv`), so it counts as a process of the run. Without, no guard.
   */
  guard?: { logFile: string; env: Record<string, string> };
}

/** A started reaper: the harness holds its stdin open for as long as it lives. */
export interface RunReaper {
  readonly container: Docker.Container;
  /**
   * Runs `create` (the creation of the run's container or network `name`), telling the reaper before and after:
   * should the harness die in between, the reaper waits for the engine to finish that creation (up to 2.5 s) and
   * removes what it created.
   */
  creating<T>(kind: "container" | "network", name: string, create: () => Promise<T>): Promise<T>;
  /** Tells the reaper the run's containers stay (`--leave-running`), and lets it exit without removing anything. */
  keep(): Promise<void>;
  /** Removes the reaper itself (once the run removed its own containers). Idempotent. */
  stop(): Promise<void>;
}

/**
 * Starts the run's reaper, in the manner of testcontainers' Ryuk: a small container (faultline's own proxy image,
 * which holds `node`; never pulled) that removes every container and network of the run once the harness is
 * gone. The harness attaches to the container's stdin *before* starting it (`OpenStdin` + `StdinOnce`, as
 * `docker run -i` does), and the engine closes that stdin when the harness's attach connection closes — which the
 * kernel does the moment the harness dies, however it dies. On end of input the reaper lists the run's labelled
 * containers (but itself) and networks through the engine's socket (mounted), removes them all at once (then the
 * networks), and repeats until a round finds none; the containers and networks the harness said it was creating
 * ({@link RunReaper.creating}) and never saw created are waited for by name (the engine finishes a create whose
 * caller died) for up to 2.5 s. Then it exits; `AutoRemove` removes it. A `keep` line first makes it exit without
 * removing anything. It has no network and publishes no port. Started first, before the run's network and
 * containers exist.
 *
 * Its own creation has the same race: a harness killed while the engine creates the reaper leaves a reaper that
 * nobody starts. So with `guard`, and an engine reached through a unix socket here, the harness first spawns the
 * same program as a process on this machine (detached, its stdin a pipe from the harness, told the reaper's name
 * as in flight): once the reaper runs, the harness tells the guard `keep` and it exits; if the harness dies first,
 * the guard removes the run's containers (the reaper too, once the engine created it) and exits.
 *
 * @example
 * const reaper = await startRunReaper(docker, { image: PROXY_IMAGES.local, name: `${prefix}-reaper`, labels });
 * const net = await reaper.creating("network", prefix, () => docker.createNetwork({ Name: prefix, Labels: labels }));
 * // … create the run's containers with the same labels, each through `reaper.creating` …
 * await reaper.stop();
 */
export async function startRunReaper(docker: Docker, options: RunReaperOptions): Promise<RunReaper> {
  const image = await docker.getImage(options.image).inspect();
  const node = image.Config.Entrypoint?.[0] ?? "node";
  const socket = options.engineSocket ?? engineSocketPath();
  const runId = options.labels[LABELS.run] ?? "";
  const guard = options.guard ? startGuard(runId, options.guard) : undefined;
  guard?.stdin?.write(`creating container ${options.name}\n`);
  let container: Docker.Container;
  try {
    container = await docker.createContainer({
      name: options.name,
      Image: options.image,
      Entrypoint: [node, "-e", REAPER_SCRIPT, runId, IN_CONTAINER_SOCKET, "container"],
      Cmd: [],
      User: "0",
      Labels: { ...options.labels, [LABELS.role]: "reaper" },
      AttachStdin: true,
      OpenStdin: true,
      StdinOnce: true,
      HostConfig: {
        AutoRemove: true,
        NetworkMode: "none",
        Binds: [`${socket}:${IN_CONTAINER_SOCKET}`],
        RestartPolicy: { Name: "no" },
      },
    });
  } catch (err) {
    guard?.stdin?.end("keep\n");
    throw err;
  }
  guard?.stdin?.write(`created container ${options.name}\n`);
  let stdin: Socket;
  try {
    stdin = (await container.attach({
      stream: true,
      stdin: true,
      stdout: false,
      stderr: false,
      hijack: true,
    })) as Socket;
    // The open connection must not keep the harness's event loop alive.
    stdin.unref?.();
    stdin.on("error", () => undefined);
    await container.start();
  } catch (err) {
    await container.remove({ force: true }).catch(() => undefined);
    guard?.stdin?.end("keep\n");
    throw err;
  }
  // The reaper runs: the guard may go.
  guard?.stdin?.end("keep\n");
  let stopped: Promise<void> | undefined;
  const remove = (): Promise<void> =>
    container.remove({ force: true }).then(
      () => undefined,
      // 404: gone already (AutoRemove); 409: its removal is in progress.
      (err: { statusCode?: number }) => {
        if (err.statusCode !== 404 && err.statusCode !== 409) throw err;
      },
    );
  const say = (line: string): void => {
    if (stopped === undefined && !stdin.destroyed) stdin.write(line + "\n");
  };
  return {
    container,
    async creating(kind, name, create) {
      say(`creating ${kind} ${name}`);
      try {
        return await create();
      } finally {
        say(`created ${kind} ${name}`);
      }
    },
    keep() {
      stopped ??= new Promise<void>((resolve) => stdin.end("keep\n", () => resolve())).then(remove);
      return stopped;
    },
    stop() {
      stopped ??= remove().finally(() => stdin.destroy());
      return stopped;
    },
  };
}

/**
 * Spawns the guard: {@link REAPER_SCRIPT} under this `node`, detached (its own process group: a signal to the
 * harness's group spares it), its output appended to `logFile`, its stdin a pipe from the harness that the kernel
 * closes when the harness dies. `undefined` when the engine is not reached through a unix socket here.
 */
function startGuard(
  runId: string,
  options: { logFile: string; env: Record<string, string> },
): ChildProcess | undefined {
  const host = process.env.DOCKER_HOST;
  if (host !== undefined && host !== "" && !host.startsWith("unix://")) return undefined;
  const socket = engineSocketPath();
  if (!existsSync(socket)) return undefined;
  const log = openSync(options.logFile, "a");
  try {
    const child = spawn(process.execPath, ["-e", REAPER_SCRIPT, runId, socket, "host"], {
      detached: true,
      stdio: ["pipe", log, log],
      env: { ...process.env, ...options.env },
    });
    child.on("error", () => undefined);
    child.unref();
    // The pipe is a socket; it must not keep the harness's event loop alive either.
    const stdin = child.stdin as Socket | null;
    stdin?.on("error", () => undefined);
    stdin?.unref();
    return child;
  } finally {
    closeSync(log);
  }
}

const IN_CONTAINER_SOCKET = "/var/run/docker.sock";

/** How long the reaper waits for a creation in flight when the harness died (ms), and for everything. */
const PENDING_MS = 2500;
const GIVE_UP_MS = 4000;

/** The engine's socket path: `DOCKER_HOST`'s when it is a unix socket, else the default. */
function engineSocketPath(): string {
  const host = process.env.DOCKER_HOST;
  return host?.startsWith("unix://") ? host.slice("unix://".length) : "/var/run/docker.sock";
}

/**
 * The reaper's program (`node -e`; argv: run id, engine socket, `container` in its container or `host` as the
 * guard). It reads lines until end of input: `keep`, and `creating`/`created` `<container|network> <name>`
 * (see {@link RunReaper.creating}). Plain JavaScript with no imports but Node's, as
 * it runs in whatever `node` the image holds.
 */
export const REAPER_SCRIPT = String.raw`
const http = require("node:http");
const os = require("node:os");
const [runId, socketPath, where] = process.argv.slice(1);
// In its container, the reaper spares itself (its hostname is its id's start); as the guard, nothing.
const self = where === "container" ? os.hostname() : undefined;
const PENDING_MS = ${PENDING_MS};
const GIVE_UP_MS = ${GIVE_UP_MS};
const log = (m) => process.stdout.write(new Date().toISOString() + " " + m + "\n");
const api = (method, path) =>
  new Promise((resolve) => {
    const req = http.request({ socketPath, method, path }, (res) => {
      let body = "";
      res.on("data", (d) => (body += d));
      res.on("end", () => resolve({ status: res.statusCode, body }));
    });
    req.on("error", (err) => resolve({ status: 0, body: String(err) }));
    req.end();
  });
const list = async (path) => {
  const r = await api("GET", path);
  try { return r.status === 200 ? JSON.parse(r.body) : []; } catch { return []; }
};
let input = "";
let done = false;
const reap = async (why) => {
  if (done) return;
  done = true;
  const said = input.split("\n");
  if (said.includes("keep")) { log("told to leave the run's containers; exiting"); process.exit(0); }
  // What the harness was creating when it died: the engine may still finish it, so it is waited for by name.
  const pending = new Map();
  for (const line of said) {
    const m = /^(creating|created) (container|network) (\S+)$/.exec(line);
    if (m) m[1] === "creating" ? pending.set(m[3], m[2]) : pending.delete(m[3]);
  }
  log("harness gone (" + why + "): removing run " + runId + (pending.size ? "; in flight: " + [...pending.keys()].join(", ") : ""));
  const t0 = Date.now();
  const filters = encodeURIComponent(JSON.stringify({ label: ["faultline.run=" + runId] }));
  for (let round = 0; Date.now() - t0 < GIVE_UP_MS; round++) {
    const containers = (await list("/containers/json?all=1&filters=" + filters)).filter(
      (c) => !(self && c.Id.startsWith(self)),
    );
    for (const c of containers) for (const n of c.Names || []) pending.delete(n.replace(/^\//, ""));
    const waited = [...pending].filter(([, kind]) => kind === "container").map(([name]) => name);
    const removals = await Promise.all([
      ...containers.map((c) => api("DELETE", "/containers/" + c.Id + "?force=1&v=1")),
      ...waited.map((name) => api("DELETE", "/containers/" + encodeURIComponent(name) + "?force=1&v=1")),
    ]);
    // A container waited for is there once removing it answers other than 404.
    waited.forEach((name, k) => { if (removals[containers.length + k].status !== 404) pending.delete(name); });
    const networks = await list("/networks?filters=" + filters);
    for (const n of networks) pending.delete(n.Name);
    for (const n of networks) await api("DELETE", "/networks/" + n.Id);
    for (const [name, kind] of [...pending]) {
      if (kind !== "network") continue;
      if ((await api("DELETE", "/networks/" + encodeURIComponent(name))).status !== 404) pending.delete(name);
    }
    log("round " + round + ": " + containers.length + " container(s), " + networks.length + " network(s)" + (pending.size ? ", waiting for " + [...pending.keys()].join(", ") : ""));
    // After a round that removed something, the next looks again at once (a create in flight may have finished).
    if (containers.length > 0 || networks.length > 0) continue;
    if (pending.size === 0) break;
    if (Date.now() - t0 > PENDING_MS) { log("never created: " + [...pending.keys()].join(", ")); break; }
    await new Promise((r) => setTimeout(r, 100));
  }
  process.exit(0);
};
process.stdin.on("data", (d) => (input += d));
process.stdin.on("end", () => void reap("end of input"));
process.stdin.on("error", (err) => void reap(String(err)));
process.stdin.resume();
log("watching run " + runId);
`;
