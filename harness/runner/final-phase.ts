import { hasLeader, type StartedCluster } from "../cluster/index.js";
import type { Client } from "../clients/index.js";
import { sleep } from "../clock/index.js";
import { faultResidue, healCluster, notHealedError, type HealReport } from "../../nemesis/heal/index.js";
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
  history.append({ process: "nemesis", type: "invoke", f: "final-heal", value: null });
  // Everything is undone (nemesis/heal), then checked: a fault left behind would make the final reads judge a
  // broken cluster, so it stops the run with the residue named (and recorded).
  let healed: HealReport = { restarted: [], unskewed: [] };
  let residue: string[];
  try {
    healed = await healCluster(cluster);
    residue = await faultResidue(cluster);
  } catch (err) {
    residue = [`the heal failed: ${errText(err)}`];
  }
  if (residue.length > 0) {
    history.append({
      process: "nemesis",
      type: "info",
      f: "final-heal",
      value: { ...healed, residue },
      error: `not healed: ${residue.join("; ")}`,
    });
    throw notHealedError(residue, "before the final reads");
  }
  history.append({
    process: "nemesis",
    type: "ok",
    f: "final-heal",
    value: { links: "all healed", ...healed, verified: true },
  });

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
