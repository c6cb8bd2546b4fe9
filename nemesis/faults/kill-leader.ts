import { hasLeader, isKillable } from "../../core/cluster/index.js";
import { FaultNotApplied, type ActiveFault, type Fault, type FaultContext } from "../core/index.js";

/**
 * `kill-leader`: SIGKILLs the node the failover managers name as leader when the fault fires, and restarts it
 * (same data directory) when the fault stops. With no persistence and a restart faster than the failover
 * managers' down-after, the leader comes back empty and its followers resync from it (spec §1.7).
 *
 * @example
 * const active = await killLeader().start(ctx); // active.value: { node: "n1", pid: 4242, signal: "SIGKILL" }
 * await active.stop();                          // { node: "n1", pid: 4250, restarted: true }
 */
export function killLeader(): Fault {
  return {
    name: "kill-leader",
    async start(ctx: FaultContext): Promise<ActiveFault> {
      const { cluster } = ctx;
      if (!isKillable(cluster) || !hasLeader(cluster)) {
        throw new FaultNotApplied("this cluster cannot kill nodes or name its leader");
      }
      const leader = await cluster.leader();
      if (leader === undefined) throw new FaultNotApplied("the failover managers do not agree on a leader");
      if (!cluster.isRunning(leader)) throw new FaultNotApplied(`${leader} is already down`);
      const killed = await cluster.kill(leader);
      return {
        value: { node: leader, pid: killed.pid, signal: "SIGKILL" },
        async stop() {
          const restarted = await cluster.restart(leader);
          return { node: leader, pid: restarted.pid, restarted: true };
        },
      };
    },
  };
}
