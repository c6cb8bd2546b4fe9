import type { Op } from "../../checkers/history/index.js";
import type { Clock } from "../../core/clock/index.js";
import type { HistoryWriter } from "../../core/history/index.js";
import { parseFaultOp } from "../../nemesis/core/index.js";

/** Where progress goes: stderr, usually. */
export interface ProgressSink {
  write(text: string): unknown;
  isTTY?: boolean;
}

/** Live counts of a run, kept from the history as it is written. */
export interface RunTally {
  ok: number;
  fail: number;
  info: number;
  /** The leader the monitor last recorded. */
  leader: string | null;
  /** Faults started and not yet stopped. */
  faults: Set<string>;
  /** The scheduled faults' account so far: how many are scheduled, applied, and failed to apply. */
  account?: { scheduled: number; applied: number; failed: number };
}

/**
 * Keeps a {@link RunTally} up to date from a history's appends; with `scheduled` (the schedule's window count) it
 * also counts the starts applied and failed.
 */
export function tallyHistory(history: HistoryWriter, scheduled?: number): RunTally {
  const tally: RunTally = { ok: 0, fail: 0, info: 0, leader: null, faults: new Set() };
  // The monitor may have named the leader before this subscription (its first poll answers at once).
  const named = history.ops.findLast((op) => op.process === "monitor" && op.f === "leader");
  if (named) tally.leader = typeof named.value === "string" ? named.value : null;
  if (scheduled !== undefined && scheduled > 0) tally.account = { scheduled, applied: 0, failed: 0 };
  history.subscribe((op: Op) => {
    if (typeof op.process === "number") {
      if (op.type === "ok") tally.ok++;
      else if (op.type === "fail") tally.fail++;
      else if (op.type === "info") tally.info++;
    } else if (op.process === "monitor" && op.f === "leader") {
      tally.leader = typeof op.value === "string" ? op.value : null;
    } else if (op.process === "nemesis" && op.type !== "invoke") {
      const p = parseFaultOp(op.f);
      if (p?.phase === "start" && tally.account) tally.account[op.type === "ok" ? "applied" : "failed"]++;
      if (op.type !== "ok") return;
      if (p?.phase === "start") tally.faults.add(p.fault);
      if (p?.phase === "stop") tally.faults.delete(p.fault);
    }
  });
  return tally;
}

/**
 * One progress line: `  7.2s / 20s  ok 812  fail 3  info 2  leader n2  faults partition-leader`, and for a run
 * with scheduled faults how many were applied and failed so far: `… faults none  applied 1/3  failed 1`.
 */
export function progressLine(tally: RunTally, elapsedMs: number, limitMs: number): string {
  const faults = tally.faults.size === 0 ? "none" : [...tally.faults].join(", ");
  const a = tally.account;
  return (
    `${(elapsedMs / 1000).toFixed(1).padStart(6)}s / ${Math.round(limitMs / 1000)}s  ` +
    `ok ${tally.ok}  fail ${tally.fail}  info ${tally.info}  leader ${tally.leader ?? "?"}  faults ${faults}` +
    (a ? `  applied ${a.applied}/${a.scheduled}  failed ${a.failed}` : "")
  );
}

/**
 * Shows progress during the main phase: on a terminal, one line rewritten in place 4 times a second; otherwise
 * (CI logs, pipes) a plain line every 5 s.
 */
export function startProgress(o: {
  tally: RunTally;
  clock: Clock;
  startNs: number;
  limitMs: number;
  sink: ProgressSink;
}): { stop(): void } {
  const tty = o.sink.isTTY === true;
  const render = (): string =>
    progressLine(o.tally, Math.min(o.limitMs, (o.clock.nowNs() - o.startNs) / 1e6), o.limitMs);
  const timer = setInterval(
    () => {
      o.sink.write(tty ? `\r\x1b[2K${render()}` : `faultline: ${render()}\n`);
    },
    tty ? 250 : 5000,
  );
  let stopped = false;
  return {
    stop() {
      if (stopped) return;
      stopped = true;
      clearInterval(timer);
      o.sink.write(tty ? `\r\x1b[2K${render()}\n` : `faultline: ${render()}\n`);
    },
  };
}
