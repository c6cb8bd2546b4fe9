import { createHash } from "node:crypto";
import { copyFileSync, mkdirSync, rmSync, writeFileSync } from "node:fs";
import { basename, join } from "node:path";
import type Docker from "dockerode";
import type { ProcessFaultRecord, ProcessInspection } from "../../../core/cluster/index.js";
import { sleep } from "../../../core/clock/index.js";
import { FaultlineError } from "../../../core/errors/index.js";
import { PROXY_IMAGES, requireImages, type ImageRefs } from "../../../core/images/index.js";
import {
  inspectProcess,
  logFilesOf,
  type BackendProxy,
  type NodeBackend,
  type NodeBackendFactory,
  type NodeBackendRequest,
} from "../cluster/index.js";
import { allocatePorts, runTagEnv } from "../../../core/backends/local/index.js";
import {
  createRunNetwork,
  httpGet,
  runLabels,
  saveContainerOutput,
  startRunReaper,
  watchContainerDeaths,
  type RunNetwork,
  type RunReaper,
  type RunReaperOptions,
} from "../../../core/backends/docker/index.js";
import {
  NODE_ENV_FILE,
  nodeContainerSpec,
  proxyContainerSpec,
  type RunContainerContext,
} from "./container-specs.js";
import { dockerLayout, hostPortCount, NODE_DIR, PROXY_API_PORT, type DockerLayout } from "./docker-layout.js";

/** Options of {@link dockerNodeBackend}. */
export interface DockerBackendOptions {
  docker: Docker;
  images: ImageRefs;
  /** The address pool run subnets are taken from (default `10.213.0.0/16`). */
  subnetPool?: string;
  /** How long the proxy container may take to answer (default 20 s). */
  proxyTimeoutMs?: number;
  /**
   * The image of the run's reaper container (see `startRunReaper`), which removes the run's containers and
   * network when the harness dies: default faultline's own proxy image (`faultline-local/proxy:latest`, which
   * holds `node`); `false` for none.
   */
  reaperImage?: string | false;
  /**
   * Publish every port the harness reaches on 127.0.0.1 even when this machine holds the run's bridge (default
   * false: published only when it does not, as with a remote engine; see `dockerLayout`).
   */
  publishPorts?: boolean;
  /** Progress messages and warnings (no reaper image). */
  say?: (text: string) => void;
}

/**
 * The docker backend: one user-defined bridge network per run, one container per Redis node and Sentinel
 * (the Redis image, the node's directory mounted at `/node`), and one for the proxy (faultline's proxy image,
 * or a real Toxiproxy), every one labelled with the run (`faultline.run=<id>` …). Kill and restart go through the
 * Docker API (`kill` SIGKILL, `start`), pause through `docker pause` (the cgroup freezer); each node keeps its
 * address across restarts, so the proxy's sources map (container address → node name) stays true. The harness
 * reaches everything at its address on the bridge when this machine holds it (a local engine on Linux), else
 * through ports published on 127.0.0.1 (see `dockerLayout`). Stop saves each container's output to
 * `nodes/<node>/container.log` (`nodes/proxy/proxy.log`) and removes every container and the network.
 *
 * @example
 * const backend = dockerNodeBackend({ docker: await connectDocker(), images: imageRefs("local", REDIS_IMAGES) });
 * await using cluster = await redisSentinelCluster({ ...options, backend }).start();
 */
export function dockerNodeBackend(options: DockerBackendOptions): NodeBackendFactory {
  return async (req) => {
    await requireImages(options.docker, options.images);
    const names = [...req.dataNodes, ...req.failoverManagers];
    for (const n of names) mkdirSync(join(req.runDir, "nodes", n), { recursive: true });
    mkdirSync(join(req.runDir, "nodes", "proxy"), { recursive: true });
    const prefix = `fl-${createHash("sha256").update(`${req.tag.runId}:${req.tag.harnessPid}`).digest("hex").slice(0, 10)}`;
    const labels = runLabels(req.tag);
    const reaper = req.keepProxyAfterHarness
      ? undefined
      : await reaperFor(options, prefix, labels, {
          logFile: join(req.runDir, "nodes", "reaper-guard.log"),
          env: runTagEnv(req.tag),
        });
    const createNetwork = (): Promise<RunNetwork> =>
      createRunNetwork(options.docker, prefix, labels, options.subnetPool);
    const network = await (
      reaper ? reaper.creating("network", prefix, createNetwork) : createNetwork()
    ).catch(async (err: unknown) => {
      await reaper?.stop().catch(() => undefined);
      throw err;
    });
    // Ports are published only when the harness cannot reach the bridge (see `dockerLayout`).
    const publish = options.publishPorts === true || !network.onThisHost;
    const hostPorts = publish
      ? await allocatePorts(hostPortCount(req)).catch(async (err: unknown) => {
          await network.network.remove().catch(() => undefined);
          await reaper?.stop().catch(() => undefined);
          throw err;
        })
      : undefined;
    const backend = new DockerNodeBackend(
      options,
      req,
      dockerLayout(req, network.subnet, hostPorts),
      network,
      { network: network.name, labels, prefix },
      reaper,
    );
    // The proxy container is the slowest to start (with published ports, the engine starts one port forwarder
    // per port): it starts now, beside the nodes' containers, and `startProxy()` returns this same start.
    if (req.proxied) void backend.startProxy().catch(() => undefined);
    try {
      await backend.createNodes();
    } catch (err) {
      await backend.stop().catch(() => undefined);
      throw err;
    }
    return backend;
  };
}

interface NodeState {
  container: Docker.Container;
  running: boolean;
  paused?: boolean;
  pid?: number;
  exit?: string;
}

class DockerNodeBackend implements NodeBackend {
  readonly kind = "docker";
  readonly nodes;
  readonly proxyListeners;
  readonly #states = new Map<string, NodeState>();
  #proxyContainer: Docker.Container | undefined;
  #proxyPid: number | undefined;
  #proxy: Promise<BackendProxy> | undefined;
  #stopped: Promise<void> | undefined;
  #unwatch: (() => void) | undefined;

  constructor(
    private readonly o: DockerBackendOptions,
    private readonly req: NodeBackendRequest,
    readonly layout: DockerLayout,
    readonly network: RunNetwork,
    private readonly ctx: RunContainerContext,
    private readonly reaper: RunReaper | undefined,
  ) {
    this.nodes = layout.nodes;
    this.proxyListeners = req.proxied
      ? { host: "0.0.0.0", clientPort: layout.clientPort, reachable: layout.reachable }
      : undefined;
  }

  /** Creates (without starting) every node's container, and starts watching for containers that die. */
  async createNodes(): Promise<void> {
    this.#unwatch = await watchContainerDeaths(this.o.docker, this.req.tag.runId, (node) =>
      this.#onDeath(node),
    );
    await Promise.all(
      this.nodes.map(async (n) => {
        const spec = nodeContainerSpec(
          this.ctx,
          n,
          this.o.images.store,
          this.layout.ips.get(n.name)!,
          this.layout.adminPorts.get(n.name),
        );
        const container = await this.#create(spec);
        this.#states.set(n.name, { container, running: false });
      }),
    );
  }

  /** Creates a container of the run, telling the reaper (see `RunReaper.creating`). */
  #create(spec: Docker.ContainerCreateOptions): Promise<Docker.Container> {
    const create = (): Promise<Docker.Container> => this.o.docker.createContainer(spec);
    return this.reaper && spec.name ? this.reaper.creating("container", spec.name, create) : create();
  }

  startProxy(): Promise<BackendProxy> {
    this.#proxy ??= this.#startProxy();
    return this.#proxy;
  }

  async #startProxy(): Promise<BackendProxy> {
    const spec = proxyContainerSpec(
      this.ctx,
      this.o.images.proxy,
      this.layout.proxyIp,
      this.layout.proxyPorts,
      this.req.proxySeed,
    );
    const container = await this.#create(spec);
    this.#proxyContainer = container;
    await container.start();
    const api = this.layout.reachable(PROXY_API_PORT);
    const url = `http://${api.host}:${api.port}`;
    const timeoutMs = this.o.proxyTimeoutMs ?? 20_000;
    const deadline = Date.now() + timeoutMs;
    let last = "";
    for (;;) {
      try {
        const r = await httpGet(`${url}/version`, 1000);
        if (r.status === 200) {
          this.#proxyPid = (await container.inspect()).State.Pid;
          return { url };
        }
        last = `HTTP ${r.status}`;
      } catch (err) {
        last = (err as Error).message;
      }
      const state = (await container.inspect()).State;
      if (!state.Running || Date.now() > deadline) {
        const file = join(this.req.runDir, "nodes", "proxy", "proxy.log");
        await saveContainerOutput(container, file);
        throw new FaultlineError(
          "PROXY_START_FAILED",
          `the proxy container ${spec.name} (${this.o.images.proxy}) ${state.Running ? `did not answer within ${timeoutMs} ms` : `exited (code ${state.ExitCode})`}: ${last}`,
          {
            details: { image: this.o.images.proxy, url, logFile: file },
            hint: `see ${file}; rebuild local images with \`faultline images build-local\` after \`npm run build\``,
          },
        );
      }
      await sleep(50);
    }
  }

  /**
   * Starts the node's container (again). `env` (a clock shim's `LD_PRELOAD` and control file) cannot be given to
   * an existing container, so it is written to the node's `start.env`, which the container's shell sources before
   * `redis-server` starts: paths in the node's directory become their `/node/…` paths, and a preloaded library from
   * elsewhere is copied into the node's directory first. Without `env` the file is removed: the plain environment.
   */
  async start(
    node: string,
    options: { env?: Readonly<Record<string, string>> } = {},
  ): Promise<{ pid: number }> {
    const s = this.#state(node);
    this.#writeStartEnv(node, options.env ?? {});
    delete s.paused;
    try {
      await s.container.start();
    } catch (err) {
      throw new FaultlineError(
        "NODE_START_FAILED",
        `the container of ${node} (${this.o.images.store}) did not start: ${(err as Error).message}`,
        {
          details: { node, image: this.o.images.store },
          hint: "the Redis image must have /bin/sh and redis-server on its PATH (--redis-image, --docker-images)",
          cause: err,
        },
      );
    }
    const info = await s.container.inspect();
    s.running = info.State.Running;
    s.pid = info.State.Pid;
    delete s.exit;
    if (!s.running) s.exit = `${node} exited at start (code ${info.State.ExitCode})`;
    return { pid: s.pid };
  }

  /**
   * The container's `redis-server` as the host's `/proc` shows it (its `LD_PRELOAD` mapped back to host paths);
   * a paused container (cgroup freezer, which `/proc` does not show as stopped) is `stopped`.
   */
  inspect(node: string): ProcessInspection | undefined {
    const s = this.#states.get(node);
    const pid = s?.running ? s.pid : undefined;
    const seen = pid === undefined ? undefined : inspectProcess(pid);
    if (!s || !seen) return undefined;
    const dir = this.#dirOf(node);
    return {
      pid: seen.pid,
      state: s.paused ? "stopped" : seen.state,
      preload: seen.preload.map((p) =>
        p.startsWith(`${NODE_DIR}/`) ? join(dir, p.slice(NODE_DIR.length + 1)) : p,
      ),
    };
  }

  #dirOf(node: string): string {
    const placement = this.nodes.find((n) => n.name === node);
    if (!placement) throw new Error(`no node named ${node}`);
    return placement.dir;
  }

  #writeStartEnv(node: string, env: Readonly<Record<string, string>>): void {
    const dir = this.#dirOf(node);
    const file = join(dir, basename(NODE_ENV_FILE));
    const entries = Object.entries(env);
    if (entries.length === 0) {
      rmSync(file, { force: true });
      return;
    }
    const inContainer = (path: string): string => {
      if (path.startsWith(`${dir}/`)) return `${NODE_DIR}/${path.slice(dir.length + 1)}`;
      copyFileSync(path, join(dir, basename(path)));
      return `${NODE_DIR}/${basename(path)}`;
    };
    const lines = entries.map(([key, value]) => {
      if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(key)) throw new Error(`not an environment variable name: ${key}`);
      const v =
        key === "LD_PRELOAD"
          ? value
              .split(":")
              .filter((p) => p !== "")
              .map(inContainer)
              .join(":")
          : value.startsWith(`${dir}/`)
            ? inContainer(value)
            : value;
      return `export ${key}='${v.replaceAll("'", `'\\''`)}'`;
    });
    writeFileSync(file, lines.join("\n") + "\n");
  }

  exitReason(node: string): string | undefined {
    const s = this.#states.get(node);
    return s && !s.running ? s.exit : undefined;
  }

  async kill(node: string): Promise<ProcessFaultRecord> {
    const s = this.#state(node);
    const pid = s.pid ?? 0;
    s.running = false;
    s.exit = `${node} was killed`;
    try {
      await s.container.kill({ signal: "SIGKILL" });
    } catch (err) {
      // 409: it is not running (it died on its own meanwhile); that is the state asked for.
      if ((err as { statusCode?: number }).statusCode !== 409) throw err;
    }
    await s.container.wait({ condition: "not-running" });
    return { node, pid, signal: "SIGKILL" };
  }

  async pause(node: string): Promise<ProcessFaultRecord> {
    const s = this.#state(node);
    await s.container.pause();
    s.paused = true;
    return { node, pid: s.pid ?? 0, signal: "SIGSTOP" };
  }

  async resume(node: string): Promise<ProcessFaultRecord> {
    const s = this.#state(node);
    try {
      await s.container.unpause();
    } catch (err) {
      // "is not paused" (409, or 500 on older engines): resuming a running node is a no-op, as SIGCONT is.
      if (!/not paused/i.test((err as Error).message)) throw err;
    }
    delete s.paused;
    return { node, pid: s.pid ?? 0, signal: "SIGCONT" };
  }

  isRunning(node: string): boolean {
    return this.#states.get(node)?.running ?? false;
  }

  pidOf(node: string): number | undefined {
    const s = this.#states.get(node);
    return s?.running ? s.pid : undefined;
  }

  release(): Record<string, number> {
    this.#unwatch?.();
    const pids: Record<string, number> = {};
    for (const [name, s] of this.#states) if (s.running && s.pid) pids[name] = s.pid;
    // Released containers are found again by their labels: `faultline cleanup --run <id>`.
    if (this.#proxyPid) pids.proxy = this.#proxyPid;
    this.#stopped ??= this.reaper?.keep().catch(() => undefined) ?? Promise.resolve();
    return pids;
  }

  stop(): Promise<void> {
    this.#stopped ??= this.#removeAll();
    return this.#stopped;
  }

  async #removeAll(): Promise<void> {
    this.#unwatch?.();
    await this.#proxy?.catch(() => undefined);
    const all: { container: Docker.Container; file: string }[] = [...this.#states].map(([name, s]) => ({
      container: s.container,
      file: join(this.req.runDir, "nodes", name, "container.log"),
    }));
    if (this.#proxyContainer) {
      all.push({
        container: this.#proxyContainer,
        file: join(this.req.runDir, "nodes", "proxy", "proxy.log"),
      });
    }
    await Promise.all(
      all.map(async ({ container, file }) => {
        await saveContainerOutput(container, file);
        await container.remove({ force: true, v: true }).catch(ignoreGone);
      }),
    );
    for (const s of this.#states.values()) s.running = false;
    // The engine may still be detaching the last endpoint: a few tries.
    for (let attempt = 0; ; attempt++) {
      try {
        await this.network.network.remove();
        break;
      } catch (err) {
        if ((err as { statusCode?: number }).statusCode === 404) break;
        if (attempt >= 20) throw err;
        await sleep(100);
      }
    }
    await this.reaper?.stop();
  }

  logs(): Promise<Map<string, string[]>> {
    return Promise.resolve(logFilesOf(this.nodes));
  }

  async #onDeath(node: string): Promise<void> {
    const s = this.#states.get(node);
    if (!s || !s.running) return;
    const info = await s.container.inspect().catch(() => undefined);
    if (info && !info.State.Running) {
      s.running = false;
      s.exit = `${node} exited (code ${info.State.ExitCode}${info.State.OOMKilled ? ", out of memory" : ""})`;
    }
  }

  #state(node: string): NodeState {
    const s = this.#states.get(node);
    if (!s) throw new Error(`unknown node ${node}`);
    return s;
  }
}

/**
 * Starts the run's reaper container, or says why there is none (its image is not built: a killed harness then
 * leaves its containers until the next docker run or `faultline cleanup`).
 */
async function reaperFor(
  options: DockerBackendOptions,
  prefix: string,
  labels: Record<string, string>,
  guard: RunReaperOptions["guard"],
): Promise<RunReaper | undefined> {
  if (options.reaperImage === false) return undefined;
  const image = options.reaperImage ?? PROXY_IMAGES.local;
  try {
    return await startRunReaper(options.docker, {
      image,
      name: `${prefix}-reaper`,
      labels,
      ...(guard ? { guard } : {}),
    });
  } catch (err) {
    options.say?.(
      `warning: no reaper container (${image}: ${(err as Error).message}); if the harness dies, its containers ` +
        "stay until the next docker run or `faultline cleanup` (build the image with `faultline images build-local`)",
    );
    return undefined;
  }
}

function ignoreGone(err: unknown): void {
  if ((err as { statusCode?: number }).statusCode === 404) return;
  throw err;
}
