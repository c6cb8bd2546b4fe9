import {
  hasConsensusLeader,
  hasLeader,
  isManagerRole,
  type StartedCluster,
} from "../../core/cluster/index.js";
import { createRandom } from "../../core/random/index.js";
import { FaultNotApplied } from "../core/index.js";
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

/** Whether a window names `consensus-leader` anywhere (its target, or what a one-way cut cannot reach). */
function targetsConsensusLeader(window: FaultWindow): boolean {
  if (window.target === "consensus-leader") return true;
  return (
    window.fault === "partition" &&
    window.params.kind === "one-way" &&
    window.params.to === "consensus-leader"
  );
}

/**
 * The {@link FireContext} of a window at the moment it fires: the topology, the leader the failover managers
 * name now (none when they do not agree, or when the cluster cannot say), and randomness seeded by the window's
 * own seed, so a replay of the same schedule makes the same choices given the same leader. A window that targets
 * `consensus-leader` also asks the cluster which manager leads its consensus store; a cluster that cannot say
 * does not apply it ({@link FaultNotApplied}).
 */
export async function fireContext(window: FaultWindow, ctx: WindowContext): Promise<FireContext> {
  const leader = hasLeader(ctx.cluster) ? await ctx.cluster.leader() : undefined;
  const base = { topology: topologyOf(ctx), leader, random: createRandom(window.seed) };
  if (!targetsConsensusLeader(window)) return base;
  if (!hasConsensusLeader(ctx.cluster)) {
    throw new FaultNotApplied(
      "this cluster's failover managers keep no consensus store whose leader it can name (consensus-leader)",
    );
  }
  const consensusLeader = await ctx.cluster.consensusLeader();
  return consensusLeader === undefined ? base : { ...base, consensusLeader };
}
