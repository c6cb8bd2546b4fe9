import { isKillable, isPausable } from "../../core/cluster/index.js";
import { FaultNotApplied, type ActiveFault } from "../core/index.js";
import { resolveProcesses, type FaultWindow } from "../schedule/index.js";
import { fireContext, type WindowContext } from "./window-context.js";

type ProcessWindow = Extract<FaultWindow, { fault: "kill" | "pause" }>;

/**
 * What a process fault did, for the history: every node and pid, and with a single target also `node` and `pid`
 * on their own (the spine's `kill-leader` shape).
 */
export function processFacts(
  done: readonly { node: string; pid: number }[],
  extra: Record<string, unknown>,
): Record<string, unknown> {
  const one = done.length === 1 ? { node: done[0]!.node, pid: done[0]!.pid } : {};
  return { ...one, nodes: done.map((d) => d.node), pids: done.map((d) => d.pid), ...extra };
}

/**
 * Starts a kill or pause window on the processes its target names when it fires (`resolveProcesses`: the
 * leader the failover managers name now, a seeded random follower or manager, all of them, or a node by name):
 * SIGKILL (the stop restarts them with their data) or SIGSTOP (the stop sends SIGCONT). Processes already down
 * are skipped; with none left the fault is not applied.
 */
export async function startProcessFault(window: ProcessWindow, ctx: WindowContext): Promise<ActiveFault> {
  const { cluster } = ctx;
  if (!isKillable(cluster)) throw new FaultNotApplied("this cluster cannot kill or inspect its nodes");
  if (window.fault === "pause" && !isPausable(cluster)) {
    throw new FaultNotApplied("this cluster cannot pause its nodes");
  }
  const fire = await fireContext(window, ctx);
  const named = resolveProcesses(window.target, fire);
  const targets = named.filter((n) => cluster.isRunning(n));
  if (targets.length === 0) {
    throw new FaultNotApplied(
      named.length === 0 ? `no ${window.target} to ${window.fault} now` : `${named.join(", ")} already down`,
    );
  }
  if (window.fault === "kill") {
    const done = [];
    for (const node of targets) done.push(await cluster.kill(node));
    return {
      value: processFacts(done, { signal: "SIGKILL" }),
      async stop() {
        const back = [];
        for (const node of targets) if (!cluster.isRunning(node)) back.push(await cluster.restart(node));
        return processFacts(back, { restarted: true });
      },
    };
  }
  if (!isPausable(cluster)) throw new FaultNotApplied("this cluster cannot pause its nodes");
  const done = [];
  for (const node of targets) done.push(await cluster.pause(node));
  return {
    value: processFacts(done, { signal: "SIGSTOP" }),
    async stop() {
      const back = [];
      for (const node of targets) back.push(await cluster.resume(node));
      return processFacts(back, { signal: "SIGCONT" });
    },
  };
}
