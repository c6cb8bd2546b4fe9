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
}

/** A started reaper: the harness holds its stdin open for as long as it lives. */
export interface RunReaper {
  readonly container: Docker.Container;
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
 * containers (but itself) and networks through the engine's socket (mounted), removes them, repeats until none is
 * left (a create in flight when the harness died), and exits; `AutoRemove` removes it. A `keep` line first makes it
 * exit without removing anything. It has no network and publishes no port, so it costs no port forwarder and
 * leaves nothing to collide with. Started first, before the run's network and containers exist.
 *
 * @example
 * const reaper = await startRunReaper(docker, { image: PROXY_IMAGES.local, name: `${prefix}-reaper`, labels });
 * // … create the run's network and containers with the same labels …
 * await reaper.stop();
 */
export async function startRunReaper(docker: Docker, options: RunReaperOptions): Promise<RunReaper> {
  const image = await docker.getImage(options.image).inspect();
  const node = image.Config.Entrypoint?.[0] ?? "node";
  const socket = options.engineSocket ?? engineSocketPath();
  const container = await docker.createContainer({
    name: options.name,
    Image: options.image,
    Entrypoint: [node, "-e", REAPER_SCRIPT, options.labels[LABELS.run] ?? "", IN_CONTAINER_SOCKET],
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
    throw err;
  }
  let stopped: Promise<void> | undefined;
  const remove = (): Promise<void> =>
    container.remove({ force: true }).then(
      () => undefined,
      // 404: gone already (AutoRemove); 409: its removal is in progress.
      (err: { statusCode?: number }) => {
        if (err.statusCode !== 404 && err.statusCode !== 409) throw err;
      },
    );
  return {
    container,
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

const IN_CONTAINER_SOCKET = "/var/run/docker.sock";

/** The engine's socket path: `DOCKER_HOST`'s when it is a unix socket, else the default. */
function engineSocketPath(): string {
  const host = process.env.DOCKER_HOST;
  return host?.startsWith("unix://") ? host.slice("unix://".length) : "/var/run/docker.sock";
}

/**
 * The reaper's program (`node -e`; argv: run id, engine socket). Plain JavaScript with no imports but Node's, as
 * it runs in whatever `node` the image holds.
 */
export const REAPER_SCRIPT = String.raw`
const http = require("node:http");
const os = require("node:os");
const [runId, socketPath] = process.argv.slice(1);
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
  if (/^keep$/m.test(input)) { log("the run keeps its containers; exiting"); process.exit(0); }
  log("harness gone (" + why + "): removing run " + runId);
  const filters = encodeURIComponent(JSON.stringify({ label: ["faultline.run=" + runId] }));
  for (let round = 0; round < 20; round++) {
    const containers = (await list("/containers/json?all=1&filters=" + filters)).filter(
      (c) => !c.Id.startsWith(os.hostname()),
    );
    await Promise.all(containers.map((c) => api("DELETE", "/containers/" + c.Id + "?force=1&v=1")));
    const networks = await list("/networks?filters=" + filters);
    for (const n of networks) await api("DELETE", "/networks/" + n.Id);
    log("round " + round + ": " + containers.length + " container(s), " + networks.length + " network(s)");
    if (containers.length === 0 && networks.length === 0) break;
    await new Promise((r) => setTimeout(r, 200));
  }
  process.exit(0);
};
process.stdin.on("data", (d) => (input += d));
process.stdin.on("end", () => void reap("end of input"));
process.stdin.on("error", (err) => void reap(String(err)));
process.stdin.resume();
log("watching run " + runId);
`;
