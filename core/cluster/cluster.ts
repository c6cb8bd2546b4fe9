/**
 * Store-neutral cluster interfaces (DESIGN.md "Vocabulary": leader, followers, failover manager). A
 * {@link ClusterSpec} is a description; `start()` turns it into a {@link StartedCluster}, whose idempotent
 * `stop()` returns a {@link StoppedCluster} (the testcontainers typestate). What a cluster can do beyond that —
 * kill, pause, say who leads, cut links — are optional abilities checked with type guards.
 */

/**
 * What a node does in the cluster: a `data` node (the leader or a follower); a `failover-manager` (a process that
 * decides who leads, on its own); a `consensus` member (the store failover managers agree through: etcd under
 * Patroni, whose agents run beside their data nodes); a `router` (a process clients go through to reach the leader:
 * HAProxy, a connection pooler). The nemesis and the grudges treat failover managers and consensus members as the
 * managers (`s1…`: cutting or killing one takes a vote away from failover); routers take no part in them yet.
 */
export type NodeRole = "data" | "failover-manager" | "consensus" | "router";

/** Whether a node of role `role` counts among the failover managers (the grudges' and selectors' `s1…`). */
export function isManagerRole(role: NodeRole): boolean {
  return role === "failover-manager" || role === "consensus";
}

/** One server process of a cluster, as the harness addresses it. */
export interface NodeInfo {
  /** `n1`, `n2`, … (data) or `s1`, `s2`, … (failover managers). */
  name: string;
  role: NodeRole;
  /** The address the harness's own admin connections use (the real listener, never through the proxy). */
  admin: { host: string; port: number };
  /** The address every other node and client uses (the proxy's listener when links go through the proxy). */
  public: { host: string; port: number };
  /** The loopback address this node's outgoing connections come from, which is how the proxy tells it apart. */
  sourceAddress: string;
  /** Directory with this node's config, data and logs. */
  dir: string;
}

/** How one client process reaches the cluster: its own listener per node when links go through the proxy. */
export interface ClientEndpoints {
  /** `c1`, `c2`, … */
  name: string;
  /** Node name → the address this client uses for it. */
  endpoints: ReadonlyMap<string, { host: string; port: number }>;
}

/** A cluster that is running. Disposing it stops it. */
export interface StartedCluster extends AsyncDisposable {
  /** Every server node, data nodes first. */
  readonly nodes: readonly NodeInfo[];
  /** Every client's endpoints. */
  readonly clients: readonly ClientEndpoints[];
  /**
   * Stops every process and removes every listener the cluster created. Idempotent: a second call returns the
   * same result.
   */
  stop(): Promise<StoppedCluster>;
}

/** A cluster that has been stopped: what is left is on disk. */
export interface StoppedCluster {
  /** Node name → log files it left. */
  readonly logs: ReadonlyMap<string, readonly string[]>;
}

/** A description of a cluster that can be started. */
export interface ClusterSpec<C extends StartedCluster = StartedCluster> {
  /** Short store name for messages (the adapter's kind). */
  readonly store: string;
  /** Starts the cluster and resolves once it is really ready (leader writable, followers and managers in sync). */
  start(options?: { signal?: AbortSignal }): Promise<C>;
}

/** A process fault applied to one node: what was done, for the history. */
export interface ProcessFaultRecord {
  node: string;
  /** The pid that received the signal (or the new pid after a restart). */
  pid: number;
  signal?: string;
  /** The part of the node the fault acted on, when it was not the whole node. */
  part?: ProcessPart;
}

/**
 * One part of a data node that runs as processes of its own: its failover `agent` (a process beside the data
 * process that holds the node's lease with the failover managers and promotes or demotes it) or its `store`
 * (the data process that serves clients and replicates). A node with no such split is faulted whole.
 */
export type ProcessPart = "agent" | "store";

/** Every {@link ProcessPart}, in the order faults and heals visit them. */
export const PROCESS_PARTS: readonly ProcessPart[] = ["agent", "store"];

/** How {@link Killable.restart} starts a node again. */
export interface RestartOptions {
  /**
   * Extra environment for the new process (e.g. `LD_PRELOAD` of a clock shim); a restart without it starts the
   * node in the harness's plain environment again.
   */
  readonly env?: Readonly<Record<string, string>>;
  /** Starts only this part of the node again (one of {@link HasProcessParts.processParts}); default: the node. */
  readonly part?: ProcessPart;
}

/**
 * Ability: nodes can be killed (SIGKILL) and started again. `part` (only one the cluster lists in
 * {@link HasProcessParts.processParts}) narrows each call to that part of the node; without it the whole node.
 */
export interface Killable {
  kill(node: string, part?: ProcessPart): Promise<ProcessFaultRecord>;
  /** Starts a killed node (or part) again with its existing data directory. */
  restart(node: string, options?: RestartOptions): Promise<ProcessFaultRecord>;
  /**
   * Whether the node's process is running (a paused process counts as running); with `part`, whether that part
   * runs. A node with parts runs while any part runs.
   */
  isRunning(node: string, part?: ProcessPart): boolean;
}

/** Ability: nodes (or one part of a node, as {@link Killable}) can be paused (SIGSTOP) and resumed (SIGCONT). */
export interface Pausable {
  pause(node: string, part?: ProcessPart): Promise<ProcessFaultRecord>;
  resume(node: string, part?: ProcessPart): Promise<ProcessFaultRecord>;
}

/**
 * Ability: a node's failover agent and its data process run as separate processes, so a fault can hit one while
 * the other keeps running (killing a leader's agent leaves its data process serving clients: a classic cause of
 * split brain). Clusters without it (a node that is one process, managers that run on their own) have no parts.
 */
export interface HasProcessParts {
  /** The parts of `node` that can be faulted alone; empty for a node that is one process. */
  processParts(node: string): readonly ProcessPart[];
}

/**
 * Ability: the failover managers keep a consensus store with a leader of its own (a Raft leader), which the
 * cluster can name — a target of its own, since losing it stalls every write to the store for an election.
 */
export interface HasConsensusLeader {
  /** The manager the consensus members' majority names as their leader now, or `undefined` when they do not. */
  consensusLeader(): Promise<string | undefined>;
}

/** Ability: the cluster can say which data node leads, as its failover managers see it. */
export interface HasLeader {
  /** The leader a majority of the reachable failover managers name, or `undefined` when they do not agree. */
  leader(): Promise<string | undefined>;
  /**
   * Waits until the cluster is healthy again: one leader named by the managers that accepts writes, every
   * follower connected to it. Resolves with the leader, or throws a FaultlineError after `timeoutMs`.
   */
  awaitHealthy(timeoutMs: number, signal?: AbortSignal): Promise<string>;
}

/**
 * One link fault selector: the connections `source` opens to `destination`, and which of their byte streams
 * (`upstream` = source→destination bytes, `downstream` = the replies). The same shape as the proxy's link
 * toxics and as `nemesis/grudge`'s link rules.
 */
export interface LinkRule {
  readonly source: string;
  readonly destination: string;
  readonly stream: "upstream" | "downstream";
}

/**
 * Links cut by one {@link Partitionable.cutLinks} call (or slowed by one {@link LinkDelayable.delayLinks} call),
 * and how to heal just those.
 */
export interface LinkCut {
  readonly rules: readonly LinkRule[];
  /** Removes this cut's link faults (others stay). Idempotent. */
  heal(): Promise<void>;
}

/**
 * How a cut stops a link: `blackhole` holds its bytes (connections stay open, nothing flows, as when packets are
 * dropped); `refuse` resets its connections and every new one (RST), which stops both directions at once.
 */
export type LinkCutStyle = "blackhole" | "refuse";

/** Ability: links between named nodes and clients can be cut and healed (a source-aware proxy). */
export interface Partitionable {
  /**
   * Stops the bytes of every selected link and stream — held (`blackhole`, the default: connections stay open,
   * nothing flows, as when packets are dropped) or refused (`refuse`: connections reset) — on live and future
   * connections, until healed.
   */
  cutLinks(rules: readonly LinkRule[], options?: { readonly cut?: LinkCutStyle }): Promise<LinkCut>;
  /** Removes every link fault, whoever made it (the final phase's "heal everything"). */
  heal(): Promise<void>;
}

/** Latency added to a link's bytes, as Toxiproxy's `latency` toxic: each chunk is held `latencyMs` ± `jitterMs`. */
export interface LinkLatency {
  readonly latencyMs: number;
  /** Uniform jitter around `latencyMs` (default 0). */
  readonly jitterMs?: number;
}

/**
 * Ability: links between named nodes and clients can be slowed down (a source-aware proxy) — a slow replication
 * link, a distant client — on live and future connections, until healed. {@link Partitionable.heal} removes these
 * too.
 */
export interface LinkDelayable {
  /** Adds `latency` to every selected link and stream; the returned handle removes exactly these. */
  delayLinks(rules: readonly LinkRule[], latency: LinkLatency): Promise<LinkCut>;
}

/**
 * A Toxiproxy toxic to put on links: its `type` (`latency`, `bandwidth`, `timeout`, `reset_peer`, `slicer`,
 * `limit_data`, `slow_close`, or faultline's cuts `blackhole` and `refuse`) and Toxiproxy's attributes for it
 * (`{ latency, jitter }`, `{ rate }` in KB/s, …).
 */
export interface LinkToxic {
  readonly type: string;
  readonly attributes?: Readonly<Record<string, number>>;
  /** Probability the toxic applies to a connection (default 1). */
  readonly toxicity?: number;
}

/**
 * Ability: any toxic on chosen links (the general form of {@link LinkDelayable}). `granularity` says what can be
 * chosen: `link` — any (source, destination, stream) on its own (faultline's source-aware proxy); `destination`
 * — only what a per-destination proxy can tell apart (a real Toxiproxy, DESIGN.md "Topology"): a client's links
 * one by one, but a server's connections to a node only together with every other server's.
 */
export interface LinkToxicable {
  readonly granularity: "link" | "destination";
  /**
   * Adds `toxic` to every selected link and stream at one instant; the handle removes exactly these. Throws a
   * FaultlineError (`LINK_NOT_EXPRESSIBLE`) when the granularity cannot select them, and nothing is added.
   */
  addLinkToxics(rules: readonly LinkRule[], toxic: LinkToxic): Promise<LinkCut>;
  /** Every link fault in effect now, in words (empty when every link is healthy): what a heal must have removed. */
  linkFaults(): Promise<string[]>;
}

/** What the harness can see of a node's process, to check that no fault is left on it. */
export interface ProcessInspection {
  readonly pid: number;
  /** `stopped` by SIGSTOP (or a freezer), or a `zombie` that exited and was not reaped. */
  readonly state: "running" | "stopped" | "zombie";
  /** Libraries preloaded into it (`LD_PRELOAD`), e.g. a clock shim; empty when none. */
  readonly preload: readonly string[];
}

/** Ability: the cluster can look at a node's process (state, preloaded libraries). */
export interface ProcessInspectable {
  /** The node's process as it is now, or `undefined` when it does not run. */
  inspect(node: string): ProcessInspection | undefined;
}

/** Type guard for {@link Killable}. */
export function isKillable(c: unknown): c is Killable {
  return hasFunctions(c, ["kill", "restart", "isRunning"]);
}

/** Type guard for {@link Pausable}. */
export function isPausable(c: unknown): c is Pausable {
  return hasFunctions(c, ["pause", "resume"]);
}

/** Type guard for {@link HasProcessParts}. */
export function hasProcessParts(c: unknown): c is HasProcessParts {
  return hasFunctions(c, ["processParts"]);
}

/** Type guard for {@link HasConsensusLeader}. */
export function hasConsensusLeader(c: unknown): c is HasConsensusLeader {
  return hasFunctions(c, ["consensusLeader"]);
}

/** Type guard for {@link HasLeader}. */
export function hasLeader(c: unknown): c is HasLeader {
  return hasFunctions(c, ["leader", "awaitHealthy"]);
}

/** Type guard for {@link Partitionable}. */
export function isPartitionable(c: unknown): c is Partitionable {
  return hasFunctions(c, ["cutLinks", "heal"]);
}

/** Type guard for {@link LinkDelayable}. */
export function canDelayLinks(c: unknown): c is LinkDelayable {
  return hasFunctions(c, ["delayLinks"]);
}

/** Type guard for {@link LinkToxicable}. */
export function canAddLinkToxics(c: unknown): c is LinkToxicable {
  return hasFunctions(c, ["addLinkToxics", "linkFaults"]);
}

/** Type guard for {@link ProcessInspectable}. */
export function isProcessInspectable(c: unknown): c is ProcessInspectable {
  return hasFunctions(c, ["inspect"]);
}

function hasFunctions(c: unknown, names: readonly string[]): boolean {
  if (typeof c !== "object" || c === null) return false;
  const rec = c as Record<string, unknown>;
  return names.every((n) => typeof rec[n] === "function");
}
