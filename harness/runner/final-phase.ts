import { hasLeader, type StartedCluster } from "../../core/cluster/index.js";
import type { Client } from "../../core/clients/index.js";
import { sleep } from "../../core/clock/index.js";
import type { HistoryWriter } from "../../core/history/index.js";
import type { Workload } from "../../workloads/index.js";
import { healAndVerify } from "./initial-heal.js";
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
 * The final phase (issue 3 §3): heal every fault (`healCluster`: remove every link fault, resume every node,
 * start every skewed node without its clock shim and every node that is down — recorded as one nemesis op
 * `final-heal`) and verify the healed state (`faultResidue`; what is left stops the run with a `NOT_HEALED`
 * error naming it), wait until a leader accepts writes with every
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
  // A fault left behind would make the final reads judge a broken cluster: it stops the run, named and recorded.
  await healAndVerify(cluster, history, "final-heal");

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
        o.workload.observe?.(op);
        const completion = await performOp(history, client, process, op);
        if (completion.type === "ok") break;
        if (completion.type === "info") {
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
