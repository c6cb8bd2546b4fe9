/** Collects anomalies: every one is counted, at most `maxWitnesses` per kind are kept. */
import type { Anomaly } from "../core/result.js";
import { modelsRuledOutBy } from "./models.js";
import type { CycleKind, CycleStep, ListAppendAnomalyKind, TxnView } from "./types.js";

/** An anomaly of the list-append checker: always names the models it rules out. */
export interface ListAppendAnomaly extends Anomaly {
  kind: ListAppendAnomalyKind;
  /** Models (of the six) this anomaly alone rules out, weakest first. */
  rulesOut: string[];
}

/** An anomaly before its kind and models are attached. */
export interface AnomalyBody {
  explanation: string;
  ops?: number[];
  [detail: string]: unknown;
}

/** Counting, capped anomaly collector. */
export class Findings {
  readonly counts = new Map<ListAppendAnomalyKind, number>();
  readonly kept = new Map<ListAppendAnomalyKind, ListAppendAnomaly[]>();

  constructor(private readonly maxWitnesses: number) {}

  /** True when another anomaly of this kind would still be kept (so building its explanation is worth it). */
  wants(kind: ListAppendAnomalyKind): boolean {
    return (this.kept.get(kind)?.length ?? 0) < this.maxWitnesses;
  }

  /** Counts one anomaly of `kind`; keeps it (built lazily by `build`) while under the cap. */
  add(kind: ListAppendAnomalyKind, build: () => AnomalyBody): void {
    this.counts.set(kind, (this.counts.get(kind) ?? 0) + 1);
    if (!this.wants(kind)) return;
    const list = this.kept.get(kind) ?? [];
    list.push({ ...build(), kind, rulesOut: [...modelsRuledOutBy(kind)] } as ListAppendAnomaly);
    this.kept.set(kind, list);
  }
}

/** A cycle anomaly (G0, G1c, G-single, G-nonadjacent, G2-item and their variants): its transactions and edges. */
export interface ListAppendCycleAnomaly extends ListAppendAnomaly {
  kind: CycleKind;
  /** The transactions of the cycle, named `T1`, `T2`, … */
  cycle: TxnView[];
  /** Its edges: why each transaction must precede the next. */
  steps: CycleStep[];
}

const BASE_CYCLE_KINDS: readonly string[] = ["G0", "G1c", "G-single", "G-nonadjacent", "G2-item"];

/** True for the anomalies that are cycles (by kind), which carry `cycle` and `steps`. */
export function isCycleAnomaly(a: ListAppendAnomaly): a is ListAppendCycleAnomaly {
  return BASE_CYCLE_KINDS.includes(a.kind.replace(/-(process|realtime)$/, ""));
}
