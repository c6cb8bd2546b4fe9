import type { History, Op } from "../../checkers/history/index.js";
import { faultOpName, parseFaultOp } from "../core/index.js";
import type { FaultWindow } from "../schedule/index.js";
import { windowOpName } from "./window-op-name.js";

/**
 * What became of one scheduled fault: `applied` (its start completed `ok`), `failed` (its start was invoked and
 * completed `fail` — nothing changed — or `info` — it broke midway — or never completed), or `skipped` (its start
 * was never invoked: the run ended or was interrupted first).
 */
export type FaultOutcome = "applied" | "failed" | "skipped";

/** One scheduled fault that failed to apply. */
export interface FaultFailure {
  /** The fault's history name and its window, e.g. `clock-leader (f1)`. */
  fault: string;
  /** When its start completed (or, if it never did, was invoked), in ns since the run started. */
  time: number;
  /** Why, as its completion said. */
  error: string;
}

/**
 * The account of a run's scheduled faults, as `results.json` holds it under `faults`: every scheduled fault is
 * exactly one of applied, failed or skipped (`applied + failed + skipped = scheduled`).
 */
export interface FaultAccount {
  scheduled: number;
  applied: number;
  failed: number;
  skipped: number;
  /** Each failed fault, in schedule order. */
  failures: FaultFailure[];
}

/** The history `f` of a standalone event that records a scheduled fault as skipped: `skip-<name>`. */
export function skippedFaultOpName(window: FaultWindow): string {
  return `skip-${windowOpName(window)}`;
}

/**
 * Accounts for every window of a schedule from a history (DESIGN.md "Faults are ops"): the start op of window
 * `f3` is `start-<name>` with `{ window: "f3" }`, and its first completion says whether it was applied. Pure: the
 * same answer from `faultline run` (as it finishes) and from `faultline check` (later, from the files).
 *
 * @example
 * accountFaults(history, config.schedule);
 * // { scheduled: 1, applied: 0, failed: 1, skipped: 0,
 * //   failures: [{ fault: "clock-leader (f1)", time: 1972958338, error: "EPERM: … mkdir '/tmp/…'" }] }
 */
export function accountFaults(history: History, schedule: { windows: readonly FaultWindow[] }): FaultAccount {
  const starts = startOps(history, schedule.windows);
  const account: FaultAccount = { scheduled: 0, applied: 0, failed: 0, skipped: 0, failures: [] };
  for (const w of schedule.windows) {
    account.scheduled++;
    const outcome = outcomeOf(starts.get(w.id));
    account[outcome.kind]++;
    if (outcome.kind === "failed") {
      account.failures.push({
        fault: `${windowOpName(w)} (${w.id})`,
        time: outcome.time,
        error: outcome.error,
      });
    }
  }
  return account;
}

/**
 * The windows of `schedule` whose start was never invoked in `history` and that no `skip-<name>` event records
 * yet, in schedule order.
 */
export function unstartedWindows(
  history: History,
  schedule: { windows: readonly FaultWindow[] },
): FaultWindow[] {
  const starts = startOps(history, schedule.windows);
  const skipped = new Set<unknown>();
  for (const op of history) {
    if (op.process === "nemesis" && op.f.startsWith("skip-")) {
      skipped.add((op.value as { window?: unknown } | null | undefined)?.window);
    }
  }
  return schedule.windows.filter((w) => starts.get(w.id)?.invoke === undefined && !skipped.has(w.id));
}

interface StartOps {
  invoke?: Op;
  completion?: Op;
}

/** Each window's start invoke and its first completion, by window id. */
function startOps(history: History, windows: readonly FaultWindow[]): Map<string, StartOps> {
  const names = new Map(windows.map((w) => [w.id, faultOpName("start", windowOpName(w))]));
  const out = new Map<string, StartOps>();
  for (const op of history) {
    if (op.process !== "nemesis" || parseFaultOp(op.f)?.phase !== "start") continue;
    const id = (op.value as { window?: unknown } | null | undefined)?.window;
    if (typeof id !== "string" || names.get(id) !== op.f) continue;
    const entry = out.get(id) ?? {};
    if (op.type === "invoke") entry.invoke ??= op;
    else entry.completion ??= op;
    out.set(id, entry);
  }
  return out;
}

function outcomeOf(
  ops: StartOps | undefined,
): { kind: "applied" | "skipped" } | { kind: "failed"; time: number; error: string } {
  if (!ops?.invoke && !ops?.completion) return { kind: "skipped" };
  const c = ops.completion;
  if (c?.type === "ok") return { kind: "applied" };
  if (c) {
    const how = c.type === "fail" ? "not applied" : "broke midway, its effect unknown";
    return { kind: "failed", time: c.time, error: c.error ?? how };
  }
  return {
    kind: "failed",
    time: ops.invoke!.time,
    error: "its start never completed (the run was interrupted or the harness died while applying it)",
  };
}

/**
 * One sentence on the scheduled faults that did not run (the first few failures named), or `undefined` when
 * every one was applied: what the run's warning, and `--require-faults`'s reason, say. `shown`: how many
 * failures to name (0: none, for a caller that lists them itself).
 *
 * @example
 * faultShortfall(account); // "1 of 1 scheduled fault did not run: 1 failed to apply (clock-leader (f1): EPERM …)"
 */
export function faultShortfall(account: FaultAccount, shown = 3): string | undefined {
  const missed = account.failed + account.skipped;
  if (missed === 0) return undefined;
  const parts: string[] = [];
  if (account.failed > 0 && shown === 0) parts.push(`${account.failed} failed to apply`);
  else if (account.failed > 0) {
    const named = account.failures.slice(0, shown).map((f) => `${f.fault}: ${f.error}`);
    const more = account.failures.length > shown ? `; ${account.failures.length - shown} more` : "";
    parts.push(`${account.failed} failed to apply (${named.join("; ")}${more})`);
  }
  if (account.skipped > 0) {
    parts.push(`${account.skipped} skipped (never started: the run ended or was interrupted first)`);
  }
  const s = account.scheduled === 1 ? "" : "s";
  return `${missed} of ${account.scheduled} scheduled fault${s} did not run: ${parts.join(", ")}`;
}
