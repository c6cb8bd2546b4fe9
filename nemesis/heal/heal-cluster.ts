import {
  hasProcessParts,
  isKillable,
  isPartitionable,
  isPausable,
  isProcessInspectable,
  type StartedCluster,
} from "../../core/cluster/index.js";
import { isClockShim } from "../clock/index.js";

/** What {@link healCluster} did. */
export interface HealReport {
  /** Nodes that were down and were started again (`n1/agent` for one part of a node that was down alone). */
  readonly restarted: string[];
  /** Nodes that ran under a clock shim and were started again without it. */
  readonly unskewed: string[];
}

/**
 * Undoes every fault the nemesis can make, whoever made it and whatever the nemesis still knows (Jepsen's final
 * heal): removes every link fault in the proxy, sends SIGCONT to every running node (a no-op unless paused),
 * restarts every node that runs under a clock shim without it, starts every node that is down, and then every
 * part of a node that is down alone (a failover agent killed while its data process ran). Uses only the
 * abilities the cluster has.
 *
 * @example
 * const report = await healCluster(cluster); // { restarted: ["n1"], unskewed: [] }
 */
export async function healCluster(cluster: StartedCluster): Promise<HealReport> {
  const restarted: string[] = [];
  const unskewed: string[] = [];
  if (isPartitionable(cluster)) await cluster.heal();
  if (isPausable(cluster)) {
    for (const n of cluster.nodes) {
      if (!isKillable(cluster) || cluster.isRunning(n.name)) await cluster.resume(n.name);
    }
  }
  if (isKillable(cluster)) {
    if (isProcessInspectable(cluster)) {
      for (const n of cluster.nodes) {
        const seen = cluster.isRunning(n.name) ? cluster.inspect(n.name) : undefined;
        if (seen?.preload.some(isClockShim)) {
          await cluster.kill(n.name);
          await cluster.restart(n.name);
          unskewed.push(n.name);
        }
      }
    }
    for (const n of cluster.nodes) {
      if (!cluster.isRunning(n.name)) {
        await cluster.restart(n.name);
        restarted.push(n.name);
      }
    }
    if (hasProcessParts(cluster)) {
      for (const n of cluster.nodes) {
        for (const part of cluster.processParts(n.name)) {
          if (cluster.isRunning(n.name, part)) continue;
          await cluster.restart(n.name, { part });
          restarted.push(`${n.name}/${part}`);
        }
      }
    }
  }
  return { restarted, unskewed };
}
