import type { History, Op } from "../../checkers/history/index.js";
import { isClientProcess, pairOps } from "../../checkers/history/index.js";

/** One stretch of a run in which writes were tried and none was acknowledged. */
export interface UnavailableStretch {
  /** The last acknowledged write before it (or the first write's invoke), in ms since the run started. */
  fromMs: number;
  /** The next acknowledged write (or the end of the last write tried), in ms since the run started. */
  toMs: number;
  lengthMs: number;
  /** Writes that completed in it without being acknowledged: refused (`fail`) or of unknown outcome (`info`). */
  failed: number;
  unknown: number;
}

/** How available writes were in a run, measured from the history alone (store-neutral). */
export interface WriteAvailability {
  /** Client writes tried, and how they ended. */
  attempted: number;
  acknowledged: number;
  failed: number;
  unknown: number;
  /** The longest stretch with no acknowledged write while writes were tried (0 when there was none). */
  longestMs: number;
  /** The sum of every such stretch. */
  totalMs: number;
  /** How many stretches there were. */
  stretchCount: number;
  /** The longest stretches, longest first (at most {@link STRETCHES_KEPT}). */
  stretches: UnavailableStretch[];
}

/** Stretches {@link writeAvailability} lists. */
export const STRETCHES_KEPT = 10;

/**
 * Whether a client op is a write: anything but a read, and a transaction (`txn`) only when one of its micro-ops
 * is not a read (`["r", k, v]`). Workload-neutral, so `faultline check` can tell from a history alone.
 */
export function isWriteOp(op: Pick<Op, "f" | "value">): boolean {
  if (op.f === "read") return false;
  if (op.f === "txn" && Array.isArray(op.value)) {
    return op.value.some((m) => !(Array.isArray(m) && m[0] === "r"));
  }
  return true;
}

/**
 * The time writes were unavailable in a run: the stretches between one acknowledged client write and the next
 * (from the first write tried to the first acknowledgement, and from the last one to the end of the last write
 * tried) in which at least one write ended without being acknowledged — refused (`fail`), or unknown (`info`,
 * including a write that never completed, which counts as ending with the history). Gaps between
 * acknowledgements in which every write that ended was acknowledged are ordinary latency, not unavailability.
 * Pure; the final phase's reads are not writes and do not count.
 *
 * @example
 * writeAvailability(history);
 * // { attempted: 780, acknowledged: 524, failed: 3, unknown: 253, longestMs: 30412, totalMs: 31020,
 * //   stretchCount: 4, stretches: [{ fromMs: 5012, toMs: 35424, lengthMs: 30412, failed: 0, unknown: 148 }, …] }
 */
export function writeAvailability(history: History, isWrite = isWriteOp): WriteAvailability {
  const end = history.length > 0 ? history[history.length - 1]!.time : 0;
  const acks: number[] = [];
  const unacked: { time: number; type: "fail" | "info" }[] = [];
  let firstWrite = Infinity;
  for (const p of pairOps(history)) {
    if (!isClientProcess(p.process) || !isWrite(p.invoke)) continue;
    firstWrite = Math.min(firstWrite, p.startTime);
    if (p.type === "ok") acks.push(p.endTime);
    else unacked.push({ time: Math.min(p.endTime, end), type: p.type });
  }
  acks.sort((a, b) => a - b);
  unacked.sort((a, b) => a.time - b.time);
  // Stretch i runs from bound(i) to acks[i]: bound(0) is the first write, bound(i) = acks[i - 1]; the last one,
  // after the last acknowledgement, ends with the last unacknowledged write.
  const byStretch = new Map<number, UnavailableStretch>();
  let i = 0;
  for (const u of unacked) {
    while (i < acks.length && acks[i]! < u.time) i++;
    let s = byStretch.get(i);
    if (!s) {
      const from = i === 0 ? firstWrite : acks[i - 1]!;
      s = { fromMs: from / 1e6, toMs: 0, lengthMs: 0, failed: 0, unknown: 0 };
      byStretch.set(i, s);
    }
    s.toMs = (i < acks.length ? acks[i]! : u.time) / 1e6;
    if (u.type === "fail") s.failed++;
    else s.unknown++;
  }
  const stretches = [...byStretch.values()];
  for (const s of stretches) s.lengthMs = Math.max(0, s.toMs - s.fromMs);
  stretches.sort((a, b) => b.lengthMs - a.lengthMs || a.fromMs - b.fromMs);
  return {
    attempted: acks.length + unacked.length,
    acknowledged: acks.length,
    failed: unacked.filter((u) => u.type === "fail").length,
    unknown: unacked.filter((u) => u.type === "info").length,
    longestMs: stretches[0]?.lengthMs ?? 0,
    totalMs: stretches.reduce((t, s) => t + s.lengthMs, 0),
    stretchCount: stretches.length,
    stretches: stretches.slice(0, STRETCHES_KEPT),
  };
}
