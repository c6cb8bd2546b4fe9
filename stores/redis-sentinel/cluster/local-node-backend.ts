import { mkdirSync } from "node:fs";
import { join } from "node:path";
import {
  allocatePorts,
  HarnessWatchdog,
  logFilesOf,
  type LocalProcess,
} from "../../../core/backends/local/index.js";
import type { NodeInfo, ProcessInspection } from "../../../core/cluster/index.js";
import { pollUntil } from "../../../core/clock/index.js";
import { startProxyProcess } from "../../../nemesis/network/index.js";
import type { BackendProxy, NodeBackend, NodeBackendFactory, NodePlacement } from "./node-backend.js";
import { NodeProcesses } from "./node-processes.js";

/**
 * The local backend (the embedded default): every node is a `redis-server` process on this machine, listening
 * on a free loopback port, binding its outgoing connections to its own `127.0.X.Y` (data nodes `127.0.1.i`,
 * failover managers `127.0.2.j`), its files in `<runDir>/nodes/<node>/`; the proxy is a `faultline proxy` child
 * process. Public (proxy) ports are chosen with the real ones, so every config file can name them at once.
 * Unless the cluster is kept after the harness (`--leave-running`), every process dies with the harness: the
 * kernel's parent-death signal, and the run's {@link HarnessWatchdog} (started first) for the rest.
 *
 * @example
 * const spec = redisSentinelCluster({ ...options, backend: localNodeBackend() });
 */
export function localNodeBackend(
  options: {
    redisServer?: string;
    /** Chooses free ports (default {@link allocatePorts}); tests inject one that loses the port race. */
    allocatePorts?: (count: number) => Promise<number[]>;
  } = {},
): NodeBackendFactory {
  const allocate = options.allocatePorts ?? ((count: number) => allocatePorts(count));
  return async (req) => {
    const names = [...req.dataNodes, ...req.failoverManagers];
    const ports = await allocate(names.length * (req.proxied ? 2 : 1));
    const nodes: NodePlacement[] = names.map((name, i) => {
      const real = { host: "127.0.0.1", port: ports[i]! };
      const data = i < req.dataNodes.length;
      const dir = join(req.runDir, "nodes", name);
      return {
        name,
        role: data ? "data" : "failover-manager",
        admin: real,
        real,
        public: req.proxied ? { host: "127.0.0.1", port: ports[names.length + i]! } : real,
        sourceAddress: data ? `127.0.1.${i + 1}` : `127.0.2.${i - req.dataNodes.length + 1}`,
        bind: "127.0.0.1",
        dir,
        nodeDir: dir,
      };
    });
    const watchdog = req.keepProxyAfterHarness
      ? undefined
      : await HarnessWatchdog.start(req.tag, { dir: join(req.runDir, "nodes") });
    return new LocalNodeBackend(nodes, req, options.redisServer, watchdog);
  };
}

class LocalNodeBackend implements NodeBackend {
  readonly kind = "local";
  readonly #procs: NodeProcesses;
  #proxy: Promise<BackendProxy> | undefined;
  #proxyProcess: LocalProcess | undefined;
  #stopped: Promise<void> | undefined;

  constructor(
    readonly nodes: readonly NodePlacement[],
    private readonly req: Parameters<NodeBackendFactory>[0],
    redisServer: string | undefined,
    private readonly watchdog: HarnessWatchdog | undefined,
  ) {
    const infos: NodeInfo[] = nodes.map((n) => ({ ...n }));
    this.#procs = new NodeProcesses(infos, req.tag, redisServer, !req.keepProxyAfterHarness);
  }

  startProxy(): Promise<BackendProxy> {
    const dir = join(this.req.runDir, "nodes", "proxy");
    mkdirSync(dir, { recursive: true });
    this.#proxy ??= startProxyProcess({
      tag: this.req.tag,
      logFile: join(dir, "proxy.log"),
      cwd: dir,
      exitWithParent: !this.req.keepProxyAfterHarness,
      ...(this.req.proxySeed !== undefined ? { seed: this.req.proxySeed } : {}),
    }).then((p) => ((this.#proxyProcess = p.process), p));
    return this.#proxy;
  }

  async start(
    node: string,
    options: { env?: Readonly<Record<string, string>> } = {},
  ): Promise<{ pid: number }> {
    const p = await this.#procs.spawn(node, options.env);
    return { pid: p.pid };
  }

  inspect(node: string): ProcessInspection | undefined {
    return this.#procs.inspect(node);
  }

  exitReason(node: string): string | undefined {
    return this.#procs.exitReason(node);
  }

  kill(node: string) {
    return this.#procs.kill(node);
  }

  async pause(node: string) {
    const record = this.#procs.signal(node, "SIGSTOP");
    await this.#settle(node, (state) => state === "stopped");
    return record;
  }

  async resume(node: string) {
    const record = this.#procs.signal(node, "SIGCONT");
    await this.#settle(node, (state) => state !== "stopped");
    return record;
  }

  /**
   * Waits (up to 2 s) until `/proc` shows the signal took effect: a signal is delivered when the process is next
   * scheduled, which on a loaded machine is a few ms after `kill(2)` returned, so a pause that resolved is a pause
   * in effect.
   */
  async #settle(node: string, done: (state: ProcessInspection["state"]) => boolean): Promise<void> {
    await pollUntil(
      () => {
        const state = this.#procs.inspect(node)?.state;
        return Promise.resolve(state === undefined || done(state) ? true : undefined);
      },
      { timeoutMs: 2_000, intervalMs: 5 },
    );
  }

  isRunning(node: string): boolean {
    return this.#procs.isRunning(node);
  }

  pidOf(node: string): number | undefined {
    return this.#procs.pidOf(node);
  }

  release(): Record<string, number> {
    void this.watchdog?.stop();
    const pids = this.#procs.detachAll();
    const proxy = this.#proxyProcess;
    if (proxy) {
      pids.proxy = proxy.pid;
      proxy.detach();
    }
    return pids;
  }

  stop(): Promise<void> {
    this.#stopped ??= (async () => {
      const proxy = await this.#proxy?.catch(() => undefined);
      await Promise.all([this.#procs.killAll(), proxy?.process?.kill()]);
      await this.watchdog?.stop();
    })();
    return this.#stopped;
  }

  logs(): Promise<Map<string, string[]>> {
    return Promise.resolve(logFilesOf(this.nodes));
  }
}
