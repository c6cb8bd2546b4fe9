import { hasLeader, isKillable, isPartitionable, isPausable, type StartedCluster } from "../cluster/index.js";
import type { Client } from "../clients/index.js";
import { sleep } from "../clock/index.js";
import type { HistoryWriter } from "../history/index.js";
import type { Workload } from "../../workloads/index.js";
import { performOp, type WorkerState } from "./workers.js";

/** How the final phase went. */
export interface FinalPhaseOutcome {
  /** The leader the cluster recovered with, or `undefined` if it never did. */
  leader: string | undefined;
  /** Whether every final read succeeded. */
  readsDone: boolean;
  /** Why not, when something failed. */
  error?: string;
}

/**
 * The final phase (issue 3 §3): heal every fault (remove every link cut, resume every node, restart every node
 * that is down — recorded as one nemesis op `final-heal`), wait until a leader accepts writes with every
 * follower connected (recorded as a monitor event `recovered`), then perform the workload's final reads,
 * retrying until they succeed or `recoveryTimeoutMs` runs out. A retired process continues under a new id as in
 * the main phase.
 */
export async function runFinalPhase(o: {
  cluster: StartedCluster;
  history: HistoryWriter;
  workload: Workload<any>;
  makeClient: (clientName: string) => Client;
  /** The worker that performs the final reads (its process id carries on). */
  reader: WorkerState;
  concurrency: number;
  recoveryTimeoutMs: number;
  signal: AbortSignal;
}): Promise<FinalPhaseOutcome> {
  const { cluster, history } = o;
  history.append({ process: "nemesis", type: "invoke", f: "final-heal", value: null });
  const restarted: string[] = [];
  try {
    if (isPartitionable(cluster)) await cluster.heal();
    // SIGCONT to every node: a no-op for a running process, the end of a pause for a stopped one.
    if (isPausable(cluster)) {
      for (const n of cluster.nodes)
        if (!isKillable(cluster) || cluster.isRunning(n.name)) await cluster.resume(n.name);
    }
    if (isKillable(cluster)) {
      for (const n of cluster.nodes) {
        if (!cluster.isRunning(n.name)) {
          await cluster.restart(n.name);
          restarted.push(n.name);
        }
      }
    }
    history.append({
      process: "nemesis",
      type: "ok",
      f: "final-heal",
      value: { links: "all healed", restarted },
    });
  } catch (err) {
    history.append({
      process: "nemesis",
      type: "info",
      f: "final-heal",
      value: { restarted },
      error: errText(err),
    });
  }

  const started = Date.now();
  let leader: string | undefined;
  if (hasLeader(cluster)) {
    try {
      leader = await cluster.awaitHealthy(o.recoveryTimeoutMs, o.signal);
      history.append({
        process: "monitor",
        type: "info",
        f: "recovered",
        value: { leader, ms: Date.now() - started },
      });
    } catch (err) {
      history.append({
        process: "monitor",
        type: "info",
        f: "not-recovered",
        value: { ms: Date.now() - started },
        error: errText(err),
      });
      return { leader: undefined, readsDone: false, error: errText(err) };
    }
  }

  const deadline = started + o.recoveryTimeoutMs;
  let process = o.reader.process;
  let client = o.makeClient(o.reader.clientName);
  await client.open();
  try {
    for (const op of o.workload.finalReads) {
      for (;;) {
        if (o.signal.aborted) return { leader, readsDone: false, error: "interrupted" };
        const before = history.ops.length;
        const info = await performOp(history, client, process, op);
        const completion = history.ops[before + 1];
        if (completion?.type === "ok") break;
        if (info) {
          await client.close();
          process += o.concurrency;
          client = o.makeClient(o.reader.clientName);
          await client.open();
        }
        if (Date.now() > deadline) {
          return {
            leader,
            readsDone: false,
            error: `the final ${op.f} did not succeed within ${o.recoveryTimeoutMs} ms`,
          };
        }
        await sleep(200, o.signal);
      }
    }
  } finally {
    await client.close();
  }
  return { leader, readsDone: true };
}

function errText(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}
