import { hasLeader, isManagerRole, type StartedCluster } from "../../core/cluster/index.js";
import { createRandom } from "../../core/random/index.js";
import type { Role, Topology } from "../grudge/index.js";
import type { FaultWindow, FireContext } from "../schedule/index.js";

/** What the executors of a schedule's windows may use. */
export interface WindowContext {
  /** The cluster, used only through its abilities (type guards). */
  readonly cluster: StartedCluster;
  /** The run's client names (`c1`…), for partitions and client links. */
  readonly clients: readonly string[];
  /** The store's connection matrix (which role may connect to which); default: anyone to any server. */
  readonly connects?: (initiator: Role, acceptor: Role) => boolean;
  /**
   * Resolves once whatever watches `node` (the run's monitor, subscribed to a failover manager's events) is attached to
   * its new process after a restart, so what the fault makes it say is recorded. Default: at once.
   */
  readonly watched?: (node: string) => Promise<void>;
  /** The clock shim to preload for clock faults (default: built on first use, `buildClockShim`). */
  readonly clockShim?: () => Promise<string>;
}

/** The cluster's endpoints by role, as the grudges and selectors name them. */
export function topologyOf(ctx: WindowContext): Topology {
  return {
    nodes: ctx.cluster.nodes.filter((n) => n.role === "data").map((n) => n.name),
    managers: ctx.cluster.nodes.filter((n) => isManagerRole(n.role)).map((n) => n.name),
    clients: [...ctx.clients],
    ...(ctx.connects ? { connects: ctx.connects } : {}),
  };
}

/**
 * The {@link FireContext} of a window at the moment it fires: the topology, the leader the failover managers
 * name now (none when they do not agree, or when the cluster cannot say), and randomness seeded by the window's
 * own seed, so a replay of the same schedule makes the same choices given the same leader.
 */
export async function fireContext(window: FaultWindow, ctx: WindowContext): Promise<FireContext> {
  const leader = hasLeader(ctx.cluster) ? await ctx.cluster.leader() : undefined;
  return { topology: topologyOf(ctx), leader, random: createRandom(window.seed) };
}
