import type { OpTable } from "./op-table.js";
import { packOps, type PackedOps } from "./pack-ops.js";
import type { ReplicationLag } from "./replication-lag.js";
import type { ReportData } from "./report-data.js";
import type { Throughput } from "./throughput.js";

/**
 * What a report's page script gets (embedded as JSON in `<script type="application/json" id="faultline-data">`):
 * the op table, the series, and the fault windows and leader changes that every chart shades.
 */
export interface ClientData {
  /** The op table, packed ({@link PackedOps}); the page unpacks it into {@link ClientView.ops}. */
  packed: PackedOps;
  throughput: Throughput;
  lag: ReplicationLag | null;
  faults: { label: string; fault: string; startMs: number; endMs: number | null; uncertain: boolean }[];
  leaders: { atMs: number; leader: string | null }[];
  /** Time of the first history entry (the cluster was starting before it), and of the last. */
  startMs: number;
  endMs: number;
  /** History indices of ops some anomaly names (drawn outlined in the timeline); at most 5,000. */
  marked: number[];
}

/** What the page's drawing functions work from: the data with the op table unpacked. */
export type ClientView = Omit<ClientData, "packed"> & { ops: OpTable };

/** Picks the page script's data out of the report's data. */
export function clientData(d: ReportData): ClientData {
  const counts = new Map<string, number>();
  return {
    packed: packOps(d.ops, d.concurrency),
    throughput: d.throughput,
    lag: d.lag ?? null,
    faults: d.faults.map((w) => {
      const n = (counts.get(w.fault) ?? 0) + 1;
      counts.set(w.fault, n);
      return {
        label: `${w.fault} #${n}`,
        fault: w.fault,
        startMs: w.startMs,
        endMs: w.endMs ?? null,
        uncertain: w.uncertain === true,
      };
    }),
    leaders: d.leaders,
    startMs: d.startMs,
    endMs: d.endMs,
    marked: d.marked,
  };
}
