import {
  hasProcessParts,
  isKillable,
  isPausable,
  type ProcessPart,
  type StartedCluster,
} from "../../core/cluster/index.js";
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

/** A part in words, for messages: `failover agent`, `data process`. */
export function partWords(part: ProcessPart): string {
  return part === "agent" ? "failover agent" : "data process";
}

/**
 * Throws {@link FaultNotApplied} unless every node in `nodes` runs `part` as a process of its own (the cluster
 * lists it in `processParts`): a node that is one process, or a manager, has no part to fault alone.
 */
function assertParts(cluster: StartedCluster, nodes: readonly string[], part: ProcessPart): void {
  if (!hasProcessParts(cluster)) {
    throw new FaultNotApplied(
      `this cluster's nodes run no ${partWords(part)} as a process of its own: there is no ${part} to fault alone (fault the whole node, or its failover managers)`,
    );
  }
  const without = nodes.filter((n) => !cluster.processParts(n).includes(part));
  if (without.length > 0) {
    throw new FaultNotApplied(
      `${without.join(", ")} ${without.length === 1 ? "runs" : "run"} no ${partWords(part)} as a process of its own`,
    );
  }
}

/**
 * Starts a kill or pause window on the processes its target names when it fires (`resolveProcesses`: the
 * leader the failover managers name now, a seeded random follower or manager, the consensus store's leader, all
 * of them, or a node by name): SIGKILL (the stop restarts them with their data) or SIGSTOP (the stop sends
 * SIGCONT). With `params.part` only that part of each node (its failover agent, or its data process) is hit and
 * brought back, the other part left running; the value records the `part`. Processes already down are skipped;
 * with none left, or on a cluster whose nodes have no such part, the fault is not applied.
 */
export async function startProcessFault(window: ProcessWindow, ctx: WindowContext): Promise<ActiveFault> {
  const { cluster } = ctx;
  if (!isKillable(cluster)) throw new FaultNotApplied("this cluster cannot kill or inspect its nodes");
  if (window.fault === "pause" && !isPausable(cluster)) {
    throw new FaultNotApplied("this cluster cannot pause its nodes");
  }
  const part = window.params.part;
  // Checked before the leader is even asked: a cluster without parts has nothing to resolve the target for.
  if (part !== undefined) assertParts(cluster, [], part);
  const fire = await fireContext(window, ctx);
  const named = resolveProcesses(window.target, fire);
  if (part !== undefined) assertParts(cluster, named, part);
  // Whole-node calls keep their one-argument form, as clusters without parts declare them.
  const running = (n: string): boolean =>
    part === undefined ? cluster.isRunning(n) : cluster.isRunning(n, part);
  const targets = named.filter(running);
  const what = part === undefined ? "" : `'s ${partWords(part)}`;
  if (targets.length === 0) {
    throw new FaultNotApplied(
      named.length === 0
        ? `no ${window.target} to ${window.fault} now`
        : `${named.map((n) => `${n}${what}`).join(", ")} already down`,
    );
  }
  const facts = part === undefined ? {} : { part };
  if (window.fault === "kill") {
    const done = [];
    for (const node of targets) done.push(await (part ? cluster.kill(node, part) : cluster.kill(node)));
    return {
      value: processFacts(done, { signal: "SIGKILL", ...facts }),
      async stop() {
        const back = [];
        for (const node of targets) {
          if (!running(node))
            back.push(await (part ? cluster.restart(node, { part }) : cluster.restart(node)));
        }
        return processFacts(back, { restarted: true, ...facts });
      },
    };
  }
  if (!isPausable(cluster)) throw new FaultNotApplied("this cluster cannot pause its nodes");
  const done = [];
  for (const node of targets) done.push(await (part ? cluster.pause(node, part) : cluster.pause(node)));
  return {
    value: processFacts(done, { signal: "SIGSTOP", ...facts }),
    async stop() {
      const back = [];
      for (const node of targets) back.push(await (part ? cluster.resume(node, part) : cluster.resume(node)));
      return processFacts(back, { signal: "SIGCONT", ...facts });
    },
  };
}
