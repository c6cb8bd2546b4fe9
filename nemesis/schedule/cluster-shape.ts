import type { PartitionKind } from "./fault-window.js";
import type { LinkSelector, ProcessSelector } from "./selectors.js";

/**
 * How many processes of each kind a run has, which decides what a schedule can target: a run with one data
 * node has no follower to kill, one with two servers no majorities ring. Names follow `n1…nK`, `s1…sM`,
 * `c1…cN`.
 */
export interface ClusterShape {
  /** Data nodes: the leader and its followers. */
  readonly nodes: number;
  /** Failover managers. */
  readonly managers: number;
  /** Clients; when unknown, client names are not checked. */
  readonly clients?: number;
  /**
   * Whether each data node's failover agent is a process of its own beside the data process (faults with
   * `part: "agent"` can act on it alone). Drawn schedules offer agent faults only when true; a schedule that
   * names one anyway is not applied where the cluster has no such part. Default false.
   */
  readonly agents?: boolean;
  /**
   * Whether the failover managers are a consensus store with a leader of its own (the `consensus-leader`
   * target). Drawn schedules offer it only when true. Default false.
   */
  readonly consensusLeader?: boolean;
}

/** The cluster faultline runs by default: 1 leader + 2 followers, 3 failover managers (the default store's default). */
export const DEFAULT_CLUSTER_SHAPE: ClusterShape = { nodes: 3, managers: 3 };

function namedExists(name: string, shape: ClusterShape): boolean {
  const k = Number(name.slice(1));
  if (name.startsWith("n")) return k <= shape.nodes;
  if (name.startsWith("s")) return k <= shape.managers;
  return shape.clients === undefined || k <= shape.clients;
}

/** Why `selector` cannot name anything in a cluster of this shape, or `undefined` when it can. */
export function processSelectorProblem(selector: ProcessSelector, shape: ClusterShape): string | undefined {
  switch (selector) {
    case "leader":
    case "random-node":
    case "all-nodes":
      return shape.nodes >= 1 ? undefined : "the cluster has no data node";
    case "random-follower":
    case "all-followers":
      return shape.nodes >= 2 ? undefined : "the cluster has no follower";
    case "random-manager":
    case "all-managers":
    case "consensus-leader":
      return shape.managers >= 1 ? undefined : "the cluster has no failover manager";
    default:
      return namedExists(selector, shape) ? undefined : `${selector} is not in the cluster`;
  }
}

/** Why `selector` cannot name any connection in a cluster of this shape, or `undefined` when it can. */
export function linkSelectorProblem(selector: LinkSelector, shape: ClusterShape): string | undefined {
  switch (selector) {
    case "replication":
      return shape.nodes >= 2 ? undefined : "the cluster has no follower, so no replication link";
    case "client-leader":
    case "client-nodes":
      return shape.clients === 0 ? "the run has no client" : undefined;
    case "client-managers":
      if (shape.clients === 0) return "the run has no client";
      return shape.managers >= 1 ? undefined : "the cluster has no failover manager";
    case "manager-nodes":
      return shape.managers >= 1 ? undefined : "the cluster has no failover manager";
    case "manager-gossip":
      return shape.managers >= 2 ? undefined : "gossip needs at least 2 failover managers";
    default: {
      const [from, to] = selector.split("->") as [string, string];
      if (from === to) return `${selector} connects a process to itself`;
      const missing = [from, to].find((n) => !namedExists(n, shape));
      return missing === undefined ? undefined : `${missing} is not in the cluster`;
    }
  }
}

/** Why a partition of this kind cannot be made in a cluster of this shape, or `undefined` when it can. */
export function partitionKindProblem(kind: PartitionKind, shape: ClusterShape): string | undefined {
  const servers = shape.nodes + shape.managers;
  // Cutting the leader or one node off works with a single server (from the clients); the shapes over every
  // server need enough of them to make distinct groups.
  const need =
    kind === "partition-majorities-ring"
      ? 4
      : kind === "partition-bridge"
        ? 3
        : kind === "partition-halves"
          ? 2
          : 1;
  return servers >= need ? undefined : `${kind} needs at least ${need} servers, the cluster has ${servers}`;
}
