import { InputError } from "../../core/errors/index.js";
import { roleOf, type GrudgeRandom, type Topology } from "../grudge/index.js";
import type { LinkSelector, ProcessSelector } from "./selectors.js";

/** What is known when a fault fires: who is in the cluster, who leads now, and the window's own randomness. */
export interface FireContext {
  readonly topology: Topology;
  /** The leader at this moment, as the failover managers report it; `undefined` when none is known. */
  readonly leader: string | undefined;
  /** Seeded from the window's `seed`, so a replay makes the same random choices. */
  readonly random: GrudgeRandom;
  /**
   * The failover manager the consensus store's members name as their leader at this moment, asked only for a
   * window that targets `consensus-leader`; `undefined` when none is known.
   */
  readonly consensusLeader?: string;
}

/** A connection kind to act on: connections opened by `source` to `destination`. */
export interface LinkPair {
  readonly source: string;
  readonly destination: string;
}

/** The followers at this moment: the data nodes other than the leader (all of them when no leader is known). */
function followers(ctx: FireContext): string[] {
  return ctx.topology.nodes.filter((n) => n !== ctx.leader);
}

function one(ctx: FireContext, names: readonly string[]): string[] {
  return names.length === 0 ? [] : [names[ctx.random.int(names.length)] as string];
}

/**
 * The processes a selector names when the fault fires; empty when there is none (no leader known, no
 * follower). A name outside the topology is an {@link InputError}.
 *
 * @example
 * resolveProcesses("random-follower", { topology, leader: "n2", random }); // ["n3"] or ["n1"]
 */
export function resolveProcesses(selector: ProcessSelector, ctx: FireContext): string[] {
  switch (selector) {
    case "leader":
      return ctx.leader === undefined ? [] : [ctx.leader];
    case "random-follower":
      return one(ctx, followers(ctx));
    case "all-followers":
      return followers(ctx);
    case "random-node":
      return one(ctx, ctx.topology.nodes);
    case "all-nodes":
      return [...ctx.topology.nodes];
    case "random-manager":
      return one(ctx, ctx.topology.managers);
    case "all-managers":
      return [...ctx.topology.managers];
    case "consensus-leader":
      return ctx.consensusLeader === undefined ? [] : [ctx.consensusLeader];
    default: {
      const role = roleOf(ctx.topology, selector);
      if (role !== "node" && role !== "manager") {
        throw new InputError("UNKNOWN_ENDPOINT", `fault target ${selector} is not a process of the cluster`, {
          details: { selector, topology: ctx.topology },
        });
      }
      return [selector];
    }
  }
}

/**
 * The connection kinds a link selector names when the fault fires: `replication` is each follower's link to
 * the current leader (a failover during the window moves replication onto links this fault does not hold),
 * `client-leader` each client's link to it, `manager-gossip` every ordered pair of managers, and so on.
 */
export function resolveLinks(selector: LinkSelector, ctx: FireContext): LinkPair[] {
  const { nodes, managers, clients } = ctx.topology;
  const pairs = (from: readonly string[], to: readonly string[]): LinkPair[] =>
    from.flatMap((source) => to.filter((d) => d !== source).map((destination) => ({ source, destination })));
  const leader = ctx.leader === undefined ? [] : [ctx.leader];
  switch (selector) {
    case "replication":
      return pairs(ctx.leader === undefined ? [] : followers(ctx), leader);
    case "client-leader":
      return pairs(clients, leader);
    case "client-nodes":
      return pairs(clients, nodes);
    case "client-managers":
      return pairs(clients, managers);
    case "manager-nodes":
      return pairs(managers, nodes);
    case "manager-gossip":
      return pairs(managers, managers);
    default: {
      const [source, destination] = selector.split("->") as [string, string];
      for (const name of [source, destination]) {
        if (roleOf(ctx.topology, name) === undefined) {
          throw new InputError("UNKNOWN_ENDPOINT", `link ${selector}: ${name} is not in the cluster`, {
            details: { selector, topology: ctx.topology },
          });
        }
      }
      return [{ source, destination }];
    }
  }
}
