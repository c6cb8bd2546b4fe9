import { sleep } from "../../core/clock/index.js";
import type { HistoryWriter } from "../../core/history/index.js";
import type { Nemesis, NemesisOp } from "../../nemesis/core/index.js";
import type { Schedule } from "../../nemesis/cycle/index.js";

/**
 * Runs the nemesis on its own process (`"nemesis"` in the history): walks the schedule — sleeping, or invoking
 * an op and recording its invoke and completion — until `shouldStop` or the signal. Then it invokes the
 * nemesis's heal ops for whatever is still active, so every fault ends in the history, and tears it down
 * (skipped when interrupted: the cluster is torn down anyway).
 */
export async function runNemesis(o: {
  nemesis: Nemesis;
  schedule: Schedule;
  history: HistoryWriter;
  /** Remaining ms before the loop must stop (sleeps are cut to it). */
  remainingMs: () => number;
  signal: AbortSignal;
}): Promise<void> {
  await o.nemesis.setup();
  for (const step of o.schedule) {
    if (o.remainingMs() <= 0 || o.signal.aborted) break;
    if (step.kind === "sleep") {
      const wait = Math.min(step.ms, o.remainingMs());
      await sleep(wait, o.signal);
      // A pause cut short by the time limit ends the schedule: no fault starts in the run's last instant.
      if (wait < step.ms) break;
      continue;
    }
    await invokeNemesis(o.history, o.nemesis, {
      f: step.f,
      ...(step.value === undefined ? {} : { value: step.value }),
    });
  }
  // On an interrupt the whole cluster is about to be torn down: healing first would only slow that down.
  if (o.signal.aborted) return;
  for (const op of o.nemesis.healOps()) await invokeNemesis(o.history, o.nemesis, op);
  await o.nemesis.teardown();
}

/** Invokes one nemesis op and records it (invoke, then completion with the same `f`). */
export async function invokeNemesis(history: HistoryWriter, nemesis: Nemesis, op: NemesisOp): Promise<void> {
  history.append({ process: "nemesis", type: "invoke", f: op.f, value: op.value ?? null });
  const c = await nemesis.invoke(op);
  history.append({
    process: "nemesis",
    type: c.type,
    f: op.f,
    value: c.value ?? null,
    ...(c.error === undefined ? {} : { error: c.error }),
  });
}
