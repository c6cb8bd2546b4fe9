import { quantiles } from "../core/quantiles.js";
import { recordOf } from "../core/records.js";
import type { StalenessStats } from "./staleness-result.js";

interface Samples {
  behind: number[];
  ms: number[];
  stale: number;
}

/** Collects per-read staleness samples, overall and per node, and summarises them as quantiles. */
export class StatsCollector {
  private readonly all: Samples = { behind: [], ms: [], stale: 0 };
  private readonly nodes = new Map<string, Samples>();

  /** Records one read; reads with no `node` are counted under `unknown`. */
  add(node: string | undefined, versionsBehind: number, stalenessMs: number): void {
    const name = node ?? "unknown";
    let s = this.nodes.get(name);
    if (!s) this.nodes.set(name, (s = { behind: [], ms: [], stale: 0 }));
    this.all.behind.push(versionsBehind);
    this.all.ms.push(stalenessMs);
    s.behind.push(versionsBehind);
    s.ms.push(stalenessMs);
    if (versionsBehind > 0) {
      this.all.stale++;
      s.stale++;
    }
  }

  summary(): { overall: StalenessStats; byNode: Record<string, StalenessStats> } {
    const of = (s: Samples): StalenessStats => ({
      reads: s.behind.length,
      staleReads: s.stale,
      // Float64Array sorts numerically without a comparator: several times faster on a million samples.
      versionsBehind: quantiles(Float64Array.from(s.behind)),
      stalenessMs: quantiles(Float64Array.from(s.ms)),
    });
    return {
      overall: of(this.all),
      byNode: recordOf([...this.nodes.keys()].sort().map((n) => [n, of(this.nodes.get(n)!)] as const)),
    };
  }
}
