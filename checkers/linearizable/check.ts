/**
 * The linearizability checker: partition by key, search each key independently (P-compositionality: a history
 * is linearizable iff each key's sub-history is), stop at the first illegal key found.
 */
import type { History } from "../history/op.js";
import { requireComplete } from "../core/completeness.js";
import { anomaly, counterexample, keyLabel } from "./explain.js";
import type { Model } from "./model.js";
import { resolveOptions } from "./options.js";
import type { LinearizableOptions } from "./options.js";
import { HistoryShapeError, OutOfTime, partitionHistory } from "./partition.js";
import type { Partition, Partitioned } from "./partition.js";
import { hasLookahead } from "./lookahead.js";
import type {
  Counterexample,
  KeyResult,
  LinearizableDetails,
  LinearizableResult,
  Progress,
} from "./result.js";
import { searchInWorkers } from "./parallel.js";
import { KeySearch, firstRound } from "./rounds.js";
import { search } from "./search.js";
import type { Probe, SearchBudget, SearchMode, SearchOutcome, Workspace } from "./search.js";

/**
 * Checks that `history` is linearizable under a model, key by key.
 *
 * `ok` ops took effect between invoke and completion; `info` ops (and invokes that never completed) may take
 * effect at any point after their invoke, or not at all; `fail` ops did not happen, except what the model keeps
 * as an observation (a `cas` that ran and did not swap). Nemesis and monitor ops are ignored. Real-time order is
 * history order (`index`): an op whose completion precedes another's invoke is linearized before it.
 *
 * Invalid results carry one `nonlinearizable` anomaly and a `counterexample`: the longest linearizable prefix
 * found on the failing key, the op that cannot follow it and the states it conflicts with. Out of budget (time,
 * memory), a malformed history or a call the model does not know give `valid: "unknown"` with the reason.
 *
 * @example
 * ```ts
 * const r = checkLinearizable(history, { model: "cas-register", timeLimitMs: 10_000 });
 * if (r.valid === false) console.log(r.anomalies[0].explanation);
 * ```
 */
export function checkLinearizable(history: History, options: LinearizableOptions): LinearizableResult {
  return requireComplete(history, judge(history, options));
}

function judge(history: History, options: LinearizableOptions): LinearizableResult {
  const resolved = resolveOptions(options);
  if (typeof resolved === "string") return unknownResult(resolved, "?");
  const { model, now, maxCacheBytes } = resolved;
  const deadline = now() + resolved.timeLimitMs;
  if (history.length > resolved.maxOps) {
    return unknownResult(
      `the history has ${history.length} entries, more than the size limit maxOps = ${resolved.maxOps}`,
      model.name,
    );
  }

  let partitioned: Partitioned;
  try {
    partitioned = partitionHistory(
      history,
      model,
      () => {
        if (now() > deadline) throw new OutOfTime();
      },
      false,
    );
  } catch (err) {
    if (err instanceof HistoryShapeError) {
      return unknownResult(`cannot check this history: ${err.message}`, model.name);
    }
    if (err instanceof OutOfTime) {
      return unknownResult(
        `time limit of ${resolved.timeLimitMs} ms reached while reading the history (${history.length} entries)`,
        model.name,
      );
    }
    throw err;
  }
  const { partitions } = partitioned;
  const details: LinearizableDetails = {
    model: model.name,
    ops: partitioned.ops,
    dropped: partitioned.dropped,
    keyCount: partitions.length,
    keys: [],
  };
  const budget: SearchBudget = { now, deadline, maxBytes: maxCacheBytes };
  const typed = model as Model<unknown, unknown, unknown>;
  const keys = new KeySearch(typed, partitions);
  const results: (KeyResult | undefined)[] = new Array<KeyResult | undefined>(partitions.length);
  const settled = (): KeyResult[] => results.filter((k): k is KeyResult => k !== undefined);
  let checked = 0;
  let overMemory: { reason: string; progress: Progress } | undefined;

  // What one (round, key) search's outcome means for the check: a result that ends it, or undefined to go on
  // (tasks are settled in task order, see `rounds.ts`, wherever they ran).
  const settle = (id: number, round: number, outcome: SearchOutcome): LinearizableResult | undefined => {
    const part = partitions[id];
    if (outcome.kind === "steps") return undefined;
    if (outcome.kind === "ok") {
      results[id] = { key: part.key, valid: true, ops: part.n };
      checked++;
      return undefined;
    }
    const progress: Progress = {
      keysChecked: checked,
      keysTotal: partitions.length,
      key: part.key,
      linearized: outcome.depth,
      ops: part.n,
      configurations: outcome.cached,
    };
    if (outcome.kind === "illegal") {
      results[id] = { key: part.key, valid: false, ops: part.n };
      const cx = explainKey(
        typed,
        keys.prepare(id, round),
        history,
        budget,
        keys.workspace,
        outcome.blocker,
        outcome.depth,
        outcome.steps,
      );
      return { valid: false, anomalies: [anomaly(cx)], ...details, keys: settled(), counterexample: cx };
    }
    results[id] = { key: part.key, valid: "unknown", ops: part.n };
    const returned = countReturned(part.finite);
    const where =
      `${keyLabel(part.key)} (${part.n} ops; at most ${outcome.depth} of the ${returned} that returned ` +
      `linearized at once; ${outcome.cached} configurations explored)`;
    if (outcome.kind === "timeout") {
      const outOfMemory = settled().filter((k) => k.valid === "unknown").length - 1;
      const reason =
        `time limit of ${resolved.timeLimitMs} ms reached while checking ${where}; ` +
        `${checked} of ${partitions.length} keys found linearizable before it` +
        (outOfMemory > 0 ? `, ${outOfMemory} out of memory` : "");
      return { valid: "unknown", reason, ...details, keys: settled(), progress };
    }
    // Out of memory on this key: keep going, another key may still prove the history invalid.
    overMemory ??= {
      reason: `memory budget of ${maxCacheBytes} bytes exceeded while checking ${where}`,
      progress,
    };
    return undefined;
  };

  let pending = partitions.map((_, id) => id);
  for (let round = firstRound(typed); pending.length > 0; round++) {
    if (
      resolved.spec !== undefined &&
      resolved.workers > 1 &&
      round >= resolved.workerRound &&
      pending.length > 1
    ) {
      const report = searchInWorkers({
        history,
        partitions,
        ids: pending,
        round,
        spec: resolved.spec,
        threads: Math.min(resolved.workers, pending.length),
        now,
        deadline,
        maxBytes: maxCacheBytes,
      });
      if (report !== undefined) {
        details.workers = { threads: report.threads, cancelled: report.cancelled };
        for (const task of report.tasks) {
          const end = settle(task.id, task.round, task.outcome);
          if (end !== undefined) return end;
        }
        const open = pending.filter((id) => results[id] === undefined);
        if (open.length > 0) {
          // Only the time limit leaves a key open without an illegal one before it (the threads stopped).
          const reason =
            `time limit of ${resolved.timeLimitMs} ms reached while ${report.threads} worker threads were checking ` +
            `${open.length} keys; ${checked} of ${partitions.length} keys found linearizable before it`;
          return { valid: "unknown", reason, ...details, keys: settled() };
        }
        break;
      }
      // The workers could not run (a history they cannot be sent, a worker that failed to start): go on here.
    }
    const again: number[] = [];
    for (const id of pending) {
      const outcome = keys.search(id, round, budget);
      if (outcome.kind === "steps") again.push(id);
      const end = settle(id, round, outcome);
      if (end !== undefined) return end;
    }
    pending = again;
  }
  details.keys = settled();
  if (overMemory !== undefined) {
    const others = details.keys.filter((k) => k.valid === "unknown").length - 1;
    const reason = others > 0 ? `${overMemory.reason}, and on ${others} more keys` : overMemory.reason;
    return { valid: "unknown", reason, ...details, progress: overMemory.progress };
  }
  return { valid: true, ...details };
}

/**
 * The counterexample of an illegal key. Its explanation comes from a second, identical search that collects the
 * deepest partial linearization and every state the failing op was tried from (sharing the deadline: if it runs
 * out, the explanation names the op and says less). The op a plain search (without the model's lookahead) names is
 * one that could not be linearized where it returned; the lookahead's may be one that could, but would have left a
 * later read impossible. So a plain search is tried first, with the steps the verdict took (and 4,096 more); past them
 * (histories where only the lookahead is fast), the lookahead's own search explains.
 */
function explainKey(
  model: Model<unknown, unknown, unknown>,
  part: Partition,
  history: History,
  budget: SearchBudget,
  workspace: Workspace,
  blocker: number,
  depth: number,
  steps: number,
): Counterexample {
  let mode: SearchMode = {};
  if (hasLookahead(model)) {
    const plain = search(model, part, { ...budget, maxSteps: steps + 4096 }, undefined, workspace, {
      lookahead: false,
    });
    if (plain.kind === "illegal") {
      mode = { lookahead: false };
      blocker = plain.blocker;
      depth = plain.depth;
    }
  }
  const probe: Probe<unknown> = { blocker, depth, illegalFrom: [], truncated: false, legalSomewhere: false };
  const again = search(model, part, budget, probe, workspace, mode);
  return counterexample(model, part, history, blocker, probe, again.kind === "illegal");
}

function countReturned(finite: Uint8Array): number {
  let k = 0;
  for (const f of finite) k += f;
  return k;
}

function unknownResult(reason: string, model: string): LinearizableResult {
  return { valid: "unknown", reason, model, ops: 0, dropped: 0, keyCount: 0, keys: [] };
}
