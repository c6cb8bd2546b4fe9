import type { History, Op } from "../../checkers/history/index.js";
import { nsToMs } from "../../checkers/core/index.js";
import { parseFaultOp } from "../../nemesis/core/index.js";

/**
 * A fault in effect from `startMs` (its start was invoked) to `endMs` (its stop completed, or the final heal did;
 * `undefined` = still active at the end of the history). Applying a fault takes time (a partition adds many link
 * cuts), so the window opens at the invoke; `appliedMs` is when the start completed.
 */
export interface FaultWindow {
  fault: string;
  startMs: number;
  appliedMs: number;
  endMs: number | undefined;
  /** What the start did (the resolved target, the links cut, the pid killed). */
  detail: unknown;
  /** True when the start completed `info`: it may or may not have been applied. */
  uncertain?: true;
}

/** What the harness saw of the cluster, from the nemesis's and the monitor's ops (times in ms since the start). */
export interface ClusterTimeline {
  /** Fault windows from the nemesis's start/stop ops, in start order. */
  faults: FaultWindow[];
  /** Leader changes as the failover managers reported them (monitor `leader`). */
  leaders: { atMs: number; leader: string | null }[];
  /** Data nodes claiming to be leader (monitor `writable-leaders`); two or more at once is split brain. */
  writable: { atMs: number; nodes: string[] }[];
  /** Fault starts that were not applied (the start completed `fail`: nothing changed), with the reason. */
  notApplied: { atMs: number; fault: string; reason: string }[];
  /** Failover-manager events worth a line in the timeline. */
  events: {
    atMs: number;
    manager: string;
    /** The store's own name for the event. */
    event: string;
    /** Its store-neutral kind (`MANAGER_EVENT_KINDS`). */
    kind: string;
    node: string | undefined;
    text: string;
  }[];
  /** When a node that had claimed leadership stopped claiming it (left `writable-leaders`, or a `demoted` event). */
  demotions: { atMs: number; node: string; how: "writable-leaders" | "demoted" }[];
  /** Time of the last history entry. */
  endMs: number;
}

/**
 * The store-neutral kinds of failover-manager events (monitor `manager-event`, `value.kind`) that get a line in the
 * timeline; a store maps its own events onto them and marks the rest `other`.
 */
export const MANAGER_EVENT_KINDS = new Set([
  "suspects-down",
  "clears-down",
  "agrees-down",
  "agrees-up",
  "failover-start",
  "elected",
  "promoted",
  "leader-switch",
  "failover-end",
  "failover-timeout",
  "demoted",
  "tilt",
  "tilt-end",
  "failover-abort",
]);

/** ns → ms, to the microsecond. */
export function opMs(op: Op): number {
  return nsToMs(op.time);
}

/**
 * Reads the cluster's story out of a history: fault windows (a `stop-<fault>` closes the oldest open window of
 * that fault; the final heal closes every window still open), leader reports, nodes claiming leadership, the
 * failover managers' key events, and demotions.
 *
 * @example
 * const tl = buildClusterTimeline(history);
 * tl.faults[0]; // { fault: "partition-leader", startMs: 5948.5, appliedMs: 6317.5, endMs: 12633.1, detail: {…} }
 */
export function buildClusterTimeline(history: History): ClusterTimeline {
  const faults: FaultWindow[] = [];
  const open = new Map<string, FaultWindow[]>();
  const leaders: ClusterTimeline["leaders"] = [];
  const writable: ClusterTimeline["writable"] = [];
  const notApplied: ClusterTimeline["notApplied"] = [];
  const events: ClusterTimeline["events"] = [];
  const demotions: ClusterTimeline["demotions"] = [];
  const invokedAt = new Map<string, number[]>();
  let claiming = new Set<string>();
  for (const op of history) {
    if (op.process === "nemesis") {
      if (op.type === "invoke") {
        const list = invokedAt.get(op.f) ?? [];
        list.push(opMs(op));
        invokedAt.set(op.f, list);
        continue;
      }
      const startedAt = invokedAt.get(op.f)?.shift() ?? opMs(op);
      if (op.f === "final-heal" && op.type === "ok") {
        for (const list of open.values()) for (const w of list) w.endMs = opMs(op);
        open.clear();
        continue;
      }
      const p = parseFaultOp(op.f);
      if (p?.phase === "start" && (op.type === "ok" || op.type === "info")) {
        const w: FaultWindow = {
          fault: p.fault,
          startMs: startedAt,
          appliedMs: opMs(op),
          endMs: undefined,
          detail: op.value,
          ...(op.type === "info" ? { uncertain: true as const } : {}),
        };
        faults.push(w);
        const list = open.get(p.fault) ?? [];
        list.push(w);
        open.set(p.fault, list);
      } else if (p?.phase === "start" && op.type === "fail") {
        notApplied.push({
          atMs: opMs(op),
          fault: p.fault,
          reason: typeof op.error === "string" ? op.error : "",
        });
      } else if (p?.phase === "stop" && op.type === "ok") {
        // A scheduled fault names its window (`{ window: "f3" }`) in both ops; otherwise the oldest one closes.
        const list = open.get(p.fault) ?? [];
        const id = windowId(op.value);
        const at = id === undefined ? 0 : list.findIndex((w) => windowId(w.detail) === id);
        const [w] = list.splice(at < 0 ? 0 : at, 1);
        if (w) w.endMs = opMs(op);
      }
    } else if (op.process === "monitor") {
      if (op.f === "leader") {
        leaders.push({ atMs: opMs(op), leader: typeof op.value === "string" ? op.value : null });
      } else if (op.f === "writable-leaders" && Array.isArray(op.value)) {
        const nodes = op.value.map(String);
        writable.push({ atMs: opMs(op), nodes });
        const now = new Set(nodes);
        for (const n of claiming)
          if (!now.has(n)) demotions.push({ atMs: opMs(op), node: n, how: "writable-leaders" });
        claiming = now;
      } else if (op.f === "manager-event") {
        const v = (op.value ?? {}) as Record<string, unknown>;
        const event = String(v.event);
        const kind = String(v.kind ?? "other");
        const node = typeof v.node === "string" ? v.node : typeof v.to === "string" ? v.to : undefined;
        if (MANAGER_EVENT_KINDS.has(kind)) {
          events.push({
            atMs: opMs(op),
            manager: String(v.manager),
            event,
            kind,
            node,
            text: String(v.text ?? ""),
          });
        }
        if (kind === "demoted" && node !== undefined) {
          demotions.push({ atMs: opMs(op), node, how: "demoted" });
        }
      }
    }
  }
  const last = history[history.length - 1];
  return { faults, leaders, writable, notApplied, events, demotions, endMs: last ? opMs(last) : 0 };
}

/** The schedule window a nemesis op belongs to (`value.window`), if it names one. */
function windowId(value: unknown): string | undefined {
  const w = (value as { window?: unknown } | null)?.window;
  return typeof w === "string" ? w : undefined;
}
