import type { OpTable } from "./op-table.js";

/** Completed client ops per second in fixed time buckets, per `f` and outcome. */
export interface Throughput {
  /** Bucket width, ms. */
  bucketMs: number;
  /** Start of each bucket, ms. */
  t: number[];
  /** One series per `f` and outcome that occurs: ops/s completing in each bucket. */
  series: { f: string; type: "ok" | "fail" | "info"; rate: number[] }[];
}

const TYPES = ["ok", "fail", "info"] as const;

/**
 * Buckets completions (an op counts when it completed; one that never did is left out) into about `buckets`
 * buckets over `[0, endMs]`, at least 100 ms wide, rounded to 100 ms.
 *
 * @example
 * throughput(table, 20_000).series[0]; // { f: "add", type: "ok", rate: [0, 0, 95, 101, …] }
 */
export function throughput(t: OpTable, endMs: number, buckets = 200): Throughput {
  const bucketMs = Math.max(100, Math.ceil(endMs / buckets / 100) * 100);
  const n = Math.max(1, Math.ceil(endMs / bucketMs) + 1);
  const counts = new Map<string, number[]>();
  for (let i = 0; i < t.inv.length; i++) {
    if (t.lat[i]! < 0) continue;
    const b = Math.min(n - 1, Math.floor((t.inv[i]! + t.lat[i]!) / bucketMs));
    const k = `${t.f[i]}:${t.type[i]}`;
    let c = counts.get(k);
    if (!c) counts.set(k, (c = new Array<number>(n).fill(0)));
    c[b]!++;
  }
  const series: Throughput["series"] = [];
  for (let f = 0; f < t.fs.length; f++) {
    for (let type = 0; type < TYPES.length; type++) {
      const c = counts.get(`${f}:${type}`);
      if (c) series.push({ f: t.fs[f]!, type: TYPES[type]!, rate: c.map((x) => (x * 1000) / bucketMs) });
    }
  }
  return { bucketMs, t: Array.from({ length: n }, (_, i) => i * bucketMs), series };
}
