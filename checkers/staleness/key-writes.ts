import type { PairedOp } from "../history/pair-ops.js";

/** A broken workload contract: the checker answers `unknown` with this message. */
export class ContractError extends Error {}

/**
 * The writes to one key, indexed for the questions the staleness checker asks: which write wrote version v, the
 * newest version acknowledged before a given point, and the first acknowledgement of a version newer than v.
 * Checks the workload contract on the way: versions are integers ≥ 1, written once, and increase in real-time order
 * (a write invoked after another was acknowledged writes a higher version).
 */
export class KeyWrites {
  /** Every write (ok, info or fail) by version. */
  readonly byVersion = new Map<number, PairedOp>();
  /** Acknowledged writes by completion index, with the running maximum version. */
  private readonly ackEnds: number[] = [];
  private readonly ackMaxVersion: number[] = [];
  /** Acknowledged writes by version, with the earliest completion among this and every higher version. */
  private readonly ackVersions: number[] = [];
  private readonly ackMinEnd: PairedOp[] = [];

  constructor(
    readonly key: string,
    writes: PairedOp[],
  ) {
    for (const w of writes) {
      const v = w.invoke.value;
      if (typeof v !== "number" || !Number.isSafeInteger(v) || v < 1) {
        throw new ContractError(
          `op ${w.start}: a write's value must be an integer version ≥ 1, got ${JSON.stringify(v) ?? "nothing"}`,
        );
      }
      const twin = this.byVersion.get(v);
      if (twin) {
        throw new ContractError(
          `key ${JSON.stringify(key)}: version ${v} is written twice (ops ${twin.start} and ${w.start}); versions must be unique`,
        );
      }
      this.byVersion.set(v, w);
    }
    const acked = writes.filter((w) => w.type === "ok");
    const byEnd = [...acked].sort((a, b) => a.end - b.end);
    let max = 0;
    for (const w of byEnd) {
      max = Math.max(max, version(w));
      this.ackEnds.push(w.end);
      this.ackMaxVersion.push(max);
    }
    const byVersion = [...acked].sort((a, b) => version(a) - version(b));
    let min: PairedOp | undefined;
    for (let i = byVersion.length - 1; i >= 0; i--) {
      if (!min || byVersion[i].end < min.end) min = byVersion[i];
      this.ackVersions[i] = version(byVersion[i]);
      this.ackMinEnd[i] = min;
    }
    for (const w of writes) {
      const newest = this.newestAckedBefore(w.start);
      if (newest >= version(w)) {
        throw new ContractError(
          `key ${JSON.stringify(key)}: version ${version(w)} (op ${w.start}) was written after version ${newest} had ` +
            `been acknowledged; versions must increase in real-time order`,
        );
      }
    }
  }

  /** The highest version acknowledged by a write that completed before history position `index` (0 if none). */
  newestAckedBefore(index: number): number {
    let lo = 0;
    let hi = this.ackEnds.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (this.ackEnds[mid] < index) lo = mid + 1;
      else hi = mid;
    }
    return lo === 0 ? 0 : this.ackMaxVersion[lo - 1];
  }

  /** The acknowledged write of a version higher than `v` that completed first, if any. */
  firstAckNewerThan(v: number): PairedOp | undefined {
    let lo = 0;
    let hi = this.ackVersions.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (this.ackVersions[mid] <= v) lo = mid + 1;
      else hi = mid;
    }
    return lo < this.ackMinEnd.length ? this.ackMinEnd[lo] : undefined;
  }
}

/** A write's version (its invoke's value, validated by {@link KeyWrites}). */
export function version(w: PairedOp): number {
  return w.invoke.value as number;
}
