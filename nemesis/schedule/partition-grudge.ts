import {
  endpoints,
  isolateNode,
  oneWay,
  partitionBridge,
  partitionHalves,
  partitionLeader,
  partitionMajoritiesRing,
  type Grudge,
} from "../grudge/index.js";
import type { FaultWindow } from "./fault-window.js";
import { resolveProcesses, type FireContext } from "./resolve-target.js";

/** A partition window made concrete: its grudge, or why there was nothing to cut. */
export type ResolvedPartition =
  | { readonly kind: "grudge"; readonly grudge: Grudge }
  | { readonly kind: "no-target"; readonly reason: string };

/**
 * The grudge a partition window stands for at the moment it fires: its target resolved ({@link
 * resolveProcesses}) and its random choices drawn from `ctx.random`. The executor records the result in the
 * nemesis op (`describeGrudge`) and installs `grudgeToLinkRules(grudge)` with the window's cut.
 *
 * @example
 * partitionGrudge(window, { topology, leader: "n1", random: createRandom(window.seed) });
 */
export function partitionGrudge(
  window: Extract<FaultWindow, { fault: "partition" }>,
  ctx: FireContext,
): ResolvedPartition {
  const p = window.params;
  const target = (): string[] => (window.target === "all" ? [] : resolveProcesses(window.target, ctx));
  const none = (what: string): ResolvedPartition => ({ kind: "no-target", reason: `no ${what} to cut off` });
  switch (p.kind) {
    case "partition-leader":
      return ctx.leader === undefined
        ? none("leader")
        : { kind: "grudge", grudge: partitionLeader(ctx.topology, ctx.leader, { clients: p.clients }) };
    case "isolate-node": {
      const [node] = target();
      return node === undefined
        ? none(window.target)
        : { kind: "grudge", grudge: isolateNode(ctx.topology, node) };
    }
    case "partition-halves":
      return { kind: "grudge", grudge: partitionHalves(ctx.topology, ctx.random) };
    case "partition-majorities-ring":
      return { kind: "grudge", grudge: partitionMajoritiesRing(ctx.topology, ctx.random) };
    case "partition-bridge":
      return { kind: "grudge", grudge: partitionBridge(ctx.topology, ctx.random) };
    case "one-way": {
      const from = target();
      const to =
        p.to === "others"
          ? endpoints(ctx.topology).filter((n) => !from.includes(n))
          : resolveProcesses(p.to, ctx);
      if (from.length === 0) return none(window.target);
      if (to.filter((n) => !from.includes(n)).length === 0) return none(p.to);
      return { kind: "grudge", grudge: oneWay(ctx.topology, from, to) };
    }
  }
}
