import type { NodeRole, ProcessFaultRecord, ProcessInspection } from "../../../core/cluster/index.js";
import type { LocalProcess, RunTag } from "../../../core/backends/local/index.js";
import type { Address, NetworkPlan } from "../../../nemesis/network/index.js";

/** What a cluster asks of its backend: the nodes to place and what else runs beside them. */
export interface NodeBackendRequest {
  /** The run directory; each node's files live in `<runDir>/nodes/<node>/`. */
  runDir: string;
  tag: RunTag;
  /** Data node names, the initial leader first (`n1`, `n2`, …). */
  dataNodes: readonly string[];
  /** Failover manager names (`s1`, …). */
  failoverManagers: readonly string[];
  /** Client names; each gets its own proxy listener per node. */
  clients: readonly string[];
  /** Whether every link goes through the proxy. */
  proxied: boolean;
  /** Keep the proxy running when the harness exits (`--leave-running`). */
  keepProxyAfterHarness: boolean;
  /** Seed of the proxy's toxic draws (a fork of the run's seed), for a backend that starts faultline's proxy. */
  proxySeed?: number;
}

/** Where one node lives, as each party sees it. */
export interface NodePlacement {
  name: string;
  role: NodeRole;
  /** The harness's address of the node's real listener (never through the proxy). */
  admin: Address;
  /** The real listener as the rest of the cluster reaches it (the proxy's upstream). */
  real: Address;
  /** The address other nodes and clients use: the proxy's listener, or `real` without the proxy. */
  public: Address;
  /** The address the node's outgoing connections come from, which is how the proxy tells it apart. */
  sourceAddress: string;
  /** The address the node's listener binds where it runs. */
  bind: string;
  /** The node's directory on the harness's machine (config, data, logs). */
  dir: string;
  /** The same directory as the node sees it (a container's mount point, or `dir` itself). */
  nodeDir: string;
}

/** A proxy the backend started: its API URL as the harness reaches it (and its process, when local). */
export interface BackendProxy {
  url: string;
  process?: LocalProcess;
}

/**
 * Where the Redis and Sentinel servers of a cluster run — local processes or containers — and every process
 * fault on them. The cluster logic (config files, start order, health, failover) is the same on every backend;
 * a backend decides the addresses, starts and signals the servers, runs the proxy, and removes all it made.
 * `start`, `kill`, `pause` and `resume` name nodes of {@link NodeBackend.nodes}.
 */
export interface NodeBackend {
  /** `local` or `docker`, for messages and `config.json`. */
  readonly kind: string;
  /** Every node, data nodes first, in the order of the request. */
  readonly nodes: readonly NodePlacement[];
  /** How the proxy's listeners bind and how the harness reaches them, when not the loopback default. */
  readonly proxyListeners?: NetworkPlan["listeners"];
  /** Starts the fault proxy; resolves once its API answers. */
  startProxy(): Promise<BackendProxy>;
  /**
   * Starts (or starts again, with its data) one node from the config file in its directory; `env` adds to its
   * environment (a clock shim's `LD_PRELOAD`), where the backend can (see {@link NodeBackend.inspect}).
   */
  start(node: string, options?: { env?: Readonly<Record<string, string>> }): Promise<{ pid: number }>;
  /** The node's process as the host sees it (state, preloaded libraries), when the backend can tell. */
  inspect?(node: string): ProcessInspection | undefined;
  /** Why `node` is not running though it was started (it exited by itself), or `undefined`. */
  exitReason(node: string): string | undefined;
  /** Kills `node` at once (SIGKILL) and waits until it is gone. */
  kill(node: string): Promise<ProcessFaultRecord>;
  /** Freezes `node` (SIGSTOP, or the container's cgroup freezer). */
  pause(node: string): Promise<ProcessFaultRecord>;
  /** Thaws `node`; a no-op for a node that is not paused. */
  resume(node: string): Promise<ProcessFaultRecord>;
  /** Whether `node` runs (a paused node counts as running). */
  isRunning(node: string): boolean;
  /** The host pid of `node`'s server process, while it runs. */
  pidOf(node: string): number | undefined;
  /** Leaves everything running on purpose (`--leave-running`); returns the host pids of what is left. */
  release(): Record<string, number>;
  /** Stops every server and the proxy, and removes everything the backend made. Idempotent. */
  stop(): Promise<void>;
  /** Node name → the log files it left in its directory (containers' output is saved there first). */
  logs(): Promise<Map<string, string[]>>;
}

/** Makes the backend of one cluster (chooses addresses, prepares what the nodes need). */
export type NodeBackendFactory = (request: NodeBackendRequest) => Promise<NodeBackend>;
