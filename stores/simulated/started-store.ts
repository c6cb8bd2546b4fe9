import { join } from "node:path";
import type {
  Killable,
  LinkCut,
  NodeInfo,
  Partitionable,
  Pausable,
  ProcessFaultRecord,
  StoppedCluster,
} from "../../core/cluster/index.js";
import { pollUntil } from "../../core/clock/index.js";
import { FaultlineError } from "../../core/errors/index.js";
import type { StartedStore, StoreClusterRequest } from "../store.js";
import { simulatedClient } from "./client.js";
import { startSimulatedMonitor } from "./monitor.js";
import type { SimulatedSettings } from "./settings.js";
import { SimWorld } from "./sim-cluster.js";

/**
 * A started simulated cluster: a {@link StartedStore} that can kill, pause and cut links. It has no processes to
 * inspect, so clock faults (which restart a process under a clock shim and check it) are not applied to it.
 */
export type StartedSimulatedStore = StartedStore &
  Killable &
  Pausable &
  Partitionable & {
    /** The simulation itself, for tests that look inside. */
    readonly world: SimWorld;
  };

/**
 * Starts the simulated cluster of a run: the {@link SimWorld}'s clockwork, and the abilities — kill / restart /
 * pause / resume flip a node's or manager's flags (a kill loses nothing: every applied write is durable; a
 * restarted node comes back as a follower), link cuts go into the simulated network.
 */
export function startSimulatedStore(request: StoreClusterRequest<SimulatedSettings>): StartedSimulatedStore {
  const started = Date.now();
  const world = new SimWorld(request.settings, request.replication === "sync" ? "sync" : "async");
  world.start();
  const info = (name: string, role: NodeInfo["role"]): NodeInfo => ({
    name,
    role,
    admin: { host: "in-process", port: 0 },
    public: { host: "in-process", port: 0 },
    sourceAddress: name,
    dir: join(request.runDir, "nodes", name),
  });
  const nodes: NodeInfo[] = [
    ...world.nodes.map((n) => info(n.name, "data")),
    ...world.managers.map((m) => info(m.name, "failover-manager")),
  ];
  const proc = (name: string) => {
    const p = world.node(name) ?? world.manager(name);
    if (!p) {
      throw new FaultlineError("UNKNOWN_NODE", `the simulated cluster has no node ${JSON.stringify(name)}`, {
        details: { node: name },
      });
    }
    return p;
  };
  let stopped: StoppedCluster | undefined;
  const stop = (): Promise<StoppedCluster> => {
    world.stop();
    stopped ??= { logs: new Map(nodes.map((n) => [n.name, []])) };
    return Promise.resolve(stopped);
  };
  const store: StartedSimulatedStore = {
    world,
    kind: "simulated",
    readyMs: Date.now() - started,
    proxy: undefined,
    nodes,
    clients: request.clients.map((name) => ({ name, endpoints: new Map() })),
    layout: () => ({
      backend: "in-process",
      nodes: nodes.map((n) => ({ name: n.name, role: n.role })),
      clients: [...request.clients],
    }),
    client: (name, options) =>
      simulatedClient({ world, name, workload: options.workload, opTimeoutMs: options.opTimeoutMs }),
    startMonitor: (sink) => startSimulatedMonitor(world, sink),
    monitorAttached: () => Promise.resolve(),
    release: () => ({ pids: {} }),
    leader: () => Promise.resolve(world.namedLeader()),
    async awaitHealthy(timeoutMs, signal) {
      const r = await pollUntil(
        () => {
          const h = world.health();
          if ("leader" in h) return Promise.resolve(h.leader);
          throw new Error(h.reason);
        },
        { timeoutMs, intervalMs: 10, ...(signal ? { signal } : {}) },
      );
      if (r.value !== undefined) return r.value;
      throw new FaultlineError(
        "CLUSTER_NOT_RECOVERED",
        `the simulated cluster did not recover within ${timeoutMs} ms: ${(r.lastError as Error | undefined)?.message ?? "unknown"}`,
        { hint: "a longer --recovery-timeout may help" },
      );
    },
    kill(name) {
      const p = proc(name);
      p.running = false;
      p.paused = false;
      return Promise.resolve(record(name, p.pid, "SIGKILL"));
    },
    restart(name) {
      const p = proc(name);
      if (!p.running) {
        p.running = true;
        p.pid = world.pid();
        world.manager(name)?.wake(world.now());
        // Back as a follower of the leader it knew (none if it led), after a resync: the managers repoint it.
        const n = world.node(name);
        if (n) {
          n.role = "follower";
          n.synced = false;
        }
      }
      return Promise.resolve(record(name, p.pid));
    },
    isRunning: (name) => proc(name).running,
    pause(name) {
      const p = proc(name);
      p.paused = true;
      return Promise.resolve(record(name, p.pid, "SIGSTOP"));
    },
    resume(name) {
      const p = proc(name);
      if (p.paused) world.manager(name)?.wake(world.now());
      p.paused = false;
      return Promise.resolve(record(name, p.pid, "SIGCONT"));
    },
    cutLinks(rules, options) {
      const heal = world.network.cut(rules, options?.cut ?? "blackhole");
      const cut: LinkCut = { rules: [...rules], heal: () => Promise.resolve(heal()) };
      return Promise.resolve(cut);
    },
    heal() {
      world.network.healAll();
      return Promise.resolve();
    },
    stop,
    [Symbol.asyncDispose]: async () => void (await stop()),
  };
  return store;
}

function record(node: string, pid: number, signal?: string): ProcessFaultRecord {
  return { node, pid, ...(signal !== undefined ? { signal } : {}) };
}
