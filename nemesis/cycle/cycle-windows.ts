import type { Cut, FaultWindow, Schedule } from "../schedule/index.js";

/** The faults the spine cycles, and what each window does. */
export type CycledFault = "kill-leader" | "partition-leader";

/** Options of {@link cycleWindows}. */
export interface CycleWindowsOptions {
  readonly fault: CycledFault;
  /** Quiet time before each fault, in ms. */
  readonly intervalMs: number;
  /** How long each fault lasts, in ms (a zero-length fault still lasts 1 ms: a start, then a stop). */
  readonly durationMs: number;
  /** Length of the run, in ms: the last window is cut to end by then. */
  readonly timeLimit: number;
  /** For `partition-leader`: the clients that stay with the leader. */
  readonly clients?: readonly string[];
  /** For `partition-leader`: how links are cut (default `blackhole`). */
  readonly cut?: Cut;
}

/**
 * The spine's cycle as schedule data (Jepsen's `(cycle [(sleep i) start (sleep d) stop])`): a window every
 * `intervalMs + durationMs`, starting after the first `intervalMs`, each lasting `durationMs`, the last cut to
 * the time limit. Deterministic (no randomness but each window's seed, derived from its position), so
 * `--nemesis kill-leader` keeps the spine's timing and is stored and replayed like any schedule.
 *
 * @example
 * cycleWindows({ fault: "kill-leader", intervalMs: 2000, durationMs: 5000, timeLimit: 10_000 }).windows;
 * // [{ id: "f1", fault: "kill", target: "leader", start: 2000, duration: 5000, … }]
 */
export function cycleWindows(o: CycleWindowsOptions): Schedule {
  const duration = Math.max(1, Math.round(o.durationMs));
  const interval = Math.max(0, Math.round(o.intervalMs));
  // A fault starting at the instant the previous one heals would hold its target at the same instant (windows
  // are closed intervals, `windowConflict`): the next one starts at least 1 ms later.
  const step = duration + Math.max(1, interval);
  const windows: FaultWindow[] = [];
  for (let t = interval; t + 1 <= o.timeLimit; t += step) {
    const timing = {
      id: `f${windows.length + 1}`,
      start: t,
      duration: Math.min(duration, o.timeLimit - t),
      seed: windows.length + 1,
    };
    windows.push(
      o.fault === "kill-leader"
        ? { ...timing, fault: "kill", target: "leader", params: {} }
        : {
            ...timing,
            fault: "partition",
            target: "leader",
            params: {
              kind: "partition-leader",
              cut: o.cut ?? "blackhole",
              ...(o.clients ? { clients: [...o.clients] } : {}),
            },
          },
    );
  }
  return { timeLimit: o.timeLimit, quietPeriod: 0, minDuration: 1, maxDuration: duration, windows };
}
