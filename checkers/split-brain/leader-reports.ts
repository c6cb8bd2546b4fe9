import type { PairedOp } from "../history/pair-ops.js";
import type { LeaderReport } from "./split-brain-result.js";

/** A monitor report whose value is not a node name: the checker answers `unknown`. */
export class ReportError extends Error {}

/**
 * The monitor's leader reports (`process: "monitor"`, `f` = `leaderF`, `ok` or `info`; value a node name, `null` when
 * the monitor could not tell, or an object with a string `node`), indexed for the two questions the checker asks.
 */
export class LeaderReports {
  readonly all: LeaderReport[] = [];
  private readonly ops: number[];
  private readonly byNode = new Map<string, { ops: number[]; minTimeFrom: number[] }>();

  constructor(ops: readonly PairedOp[], leaderF: string) {
    for (const o of ops) {
      if (o.process !== "monitor" || o.f !== leaderF || o.type === "fail") continue;
      this.all.push({
        op: o.end === Infinity ? o.start : o.end,
        time: o.end === Infinity ? o.startTime : o.endTime,
        node: nodeOf(o),
      });
    }
    this.all.sort((a, b) => a.op - b.op);
    this.ops = this.all.map((r) => r.op);
    const grouped = new Map<string, LeaderReport[]>();
    for (const r of this.all) {
      if (r.node === null) continue;
      const list = grouped.get(r.node);
      if (list) list.push(r);
      else grouped.set(r.node, [r]);
    }
    for (const [node, list] of grouped) {
      const minTimeFrom = new Array<number>(list.length);
      let min = Infinity;
      for (let i = list.length - 1; i >= 0; i--) minTimeFrom[i] = min = Math.min(min, list[i].time);
      this.byNode.set(node, { ops: list.map((r) => r.op), minTimeFrom });
    }
  }

  /** The latest report before history position `index`, if any. */
  latestBefore(index: number): LeaderReport | undefined {
    const i = lowerBound(this.ops, index);
    return i > 0 ? this.all[i - 1] : undefined;
  }

  /** Whether some report after position `index` and at or before time `until` names `node`. */
  namesLater(node: string, index: number, until: number): boolean {
    const r = this.byNode.get(node);
    if (!r) return false;
    const i = lowerBound(r.ops, index + 1);
    return i < r.ops.length && r.minTimeFrom[i] <= until;
  }
}

function nodeOf(o: PairedOp): string | null {
  const v = o.value;
  if (v === null || v === undefined) return null;
  if (typeof v === "string") return v;
  if (typeof v === "object" && typeof (v as { node?: unknown }).node === "string")
    return (v as { node: string }).node;
  throw new ReportError(
    `op ${o.end === Infinity ? o.start : o.end}: a monitor ${o.f} report's value must be a node name, null or ` +
      `{"node": …}, got ${JSON.stringify(v)}`,
  );
}

/** First position whose value is ≥ x in an ascending array. */
export function lowerBound(a: readonly number[], x: number): number {
  let lo = 0;
  let hi = a.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (a[mid] < x) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}
