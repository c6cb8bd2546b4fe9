import type { Budget } from "../core/budget.js";
import { compareElements } from "../core/elements.js";
import type { PairedOp } from "../history/pair-ops.js";
import type { ElementTable } from "../core/element-table.js";
import type { ReadColumn, ScanState } from "./scan-reads.js";
import { NEVER } from "./scan-reads.js";
import type {
  At,
  ElementRecord,
  FailedButPresentRecord,
  LostRecord,
  SetFullDetails,
  StaleRecord,
} from "./set-full-result.js";

/** Everything {@link classifyElements} needs, by element id and by read rank. */
export interface ClassifyInput {
  table: ElementTable;
  scan: ScanState;
  column: ReadColumn;
  invTime: Float64Array;
  compTime: Float64Array;
  addOk: Int32Array;
  addOkTime: Float64Array;
  anyInfo: Uint8Array;
  firstFail: (PairedOp | undefined)[];
  elementDetails: boolean;
  budget: Budget;
}

/** Per-element outcomes and the latency samples (ms). */
export interface Classified {
  details: Pick<
    SetFullDetails,
    | "stableCount"
    | "lostCount"
    | "neverReadCount"
    | "staleCount"
    | "failedButPresentCount"
    | "lost"
    | "stale"
    | "neverRead"
    | "failedButPresent"
    | "elements"
  >;
  visibility: Float64Array;
  stableLatency: Float64Array;
}

/**
 * Decides each element's outcome from the scan (definitions in `checkSetFull`). With reads ranked by invoke index,
 * "some read began after both `known` and the last read that saw it" is one comparison with the last read's invoke,
 * and the latest read that missed a stable element is the end of its latest gap (`lastMiss`), if that read began
 * after `known`.
 */
export function classifyElements(input: ClassifyInput): Classified {
  const { table, scan, column, invTime, compTime, addOk, addOkTime, budget } = input;
  const n = table.size;
  const m = column.inv.length;
  const lastInv = m > 0 ? column.inv[m - 1] : -1;
  const at = (rank: number): At => ({ op: column.inv[rank], time: invTime[rank] });
  const lost: LostRecord[] = [];
  const stale: StaleRecord[] = [];
  const neverRead: unknown[] = [];
  const failedButPresent: FailedButPresentRecord[] = [];
  const elements: ElementRecord[] | undefined = input.elementDetails ? [] : undefined;
  const visibility: number[] = [];
  const stableLatency: number[] = [];
  let stableCount = 0;

  for (let id = 0; id < n; id++) {
    const seen = scan.firstSeen[id];
    const fromAdd = addOk[id] <= scan.minComp[id];
    const known = Math.min(addOk[id], scan.minComp[id]);
    const knownAt: At | null =
      known === NEVER
        ? null
        : fromAdd
          ? { op: addOk[id], time: addOkTime[id] }
          : { op: scan.minComp[id], time: compTime[seen] };
    const last = scan.lastRank[id];
    const lastInvSeen = last >= 0 ? column.inv[last] : -1;
    const record: ElementRecord = {
      element: table.values[id],
      outcome: "never-read",
      known: knownAt,
      firstSeen: seen >= 0 ? at(seen) : null,
      lastSeen: last >= 0 ? at(last) : null,
      lastAbsent: null,
    };
    if (knownAt && lastInv > Math.max(lastInvSeen, known)) {
      const first = Math.max(last + 1, upperBound(column.inv, known));
      const r: LostRecord = {
        ...record,
        outcome: "lost",
        lastAbsent: at(m - 1),
        firstMissing: at(first),
        missingReads: m - first,
      };
      lost.push(r);
      elements?.push(r);
    } else if (last >= 0 && knownAt) {
      stableCount++;
      record.outcome = "stable";
      const gap = scan.lastMiss[id];
      let latency = 0;
      if (gap >= 0 && column.inv[gap] > known) {
        record.lastAbsent = at(gap);
        latency = Math.max(0, invTime[gap] - knownAt.time) / 1e6;
        stale.push({ ...record, outcome: "stable", stableLatencyMs: latency });
      }
      stableLatency.push(latency);
      elements?.push(record);
    } else {
      neverRead.push(record.element);
      elements?.push(record);
    }
    const fail = input.firstFail[id];
    if (seen >= 0 && fail && addOk[id] === NEVER && !input.anyInfo[id]) {
      failedButPresent.push({
        element: record.element,
        op: fail.start,
        failedAt: fail.end,
        firstSeen: at(seen),
      });
    }
    const vis = scan.visRank[id];
    if (vis >= 0) visibility.push((compTime[vis] - addOkTime[id]) / 1e6);
    if ((id & 4095) === 4095) budget.tick("classifying elements", 4096);
  }

  const byElement = <T extends { element: unknown }>(a: T, b: T): number =>
    compareElements(a.element, b.element);
  return {
    details: {
      stableCount,
      lostCount: lost.length,
      neverReadCount: neverRead.length,
      staleCount: stale.length,
      failedButPresentCount: failedButPresent.length,
      lost: lost.sort(byElement),
      stale: stale.sort(byElement),
      neverRead: neverRead.sort(compareElements),
      failedButPresent: failedButPresent.sort(byElement),
      ...(elements ? { elements: elements.sort(byElement) } : {}),
    },
    visibility: Float64Array.from(visibility),
    stableLatency: Float64Array.from(stableLatency),
  };
}

/** First position whose value is greater than `x` in an ascending array. */
function upperBound(a: Int32Array, x: number): number {
  let lo = 0;
  let hi = a.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (a[mid] <= x) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}
