import type { FaultWindow, Schedule } from "./fault-window.js";

/** Milliseconds as people read them: `850ms`, `2.5s`, `1m30s`. */
function ms(v: number): string {
  if (Math.abs(v) < 1000) return `${v}ms`;
  if (Math.abs(v) < 60_000) return `${Number((v / 1000).toFixed(3))}s`;
  const sign = v < 0 ? "-" : "";
  const m = Math.floor(Math.abs(v) / 60_000);
  const rest = Math.abs(v) - m * 60_000;
  return `${sign}${m}m${rest === 0 ? "" : ms(rest)}`;
}

const signedMs = (v: number): string => (v >= 0 ? `+${ms(v)}` : `-${ms(-v)}`);

/** What a window does, in words, without its timing: `kill leader`, `isolate-node random-manager (blackhole)`. */
export function describeAction(w: FaultWindow): string {
  switch (w.fault) {
    case "kill":
    case "pause":
      return w.params.part === undefined
        ? `${w.fault} ${w.target}`
        : `${w.fault} ${w.target} (${w.params.part === "agent" ? "its failover agent alone" : "its data process alone"})`;
    case "clock": {
      const p = w.params;
      if (p.mode === "rate") return `clock of ${w.target} at ${p.rate}× speed`;
      return p.mode === "offset"
        ? `clock of ${w.target} offset ${signedMs(p.offset)}`
        : `clock of ${w.target} jumps ${signedMs(p.offset)}`;
    }
    case "latency":
      return `latency ${ms(w.params.latency)} ±${ms(w.params.jitter)} on ${w.target} (${w.params.stream})`;
    case "link": {
      const p = w.params;
      const what =
        p.toxic === "bandwidth"
          ? `bandwidth ${p.rate} KB/s`
          : p.toxic === "reset"
            ? `reset after ${ms(p.timeout)}`
            : p.toxic === "slicer"
              ? `slicer ${p.averageSize}±${p.sizeVariation} B every ${p.delay}µs`
              : p.toxic === "limit-data"
                ? `limit-data ${p.bytes} B`
                : "blackhole";
      return `${what} on ${w.target} (${p.stream})`;
    }
    case "partition": {
      const p = w.params;
      if (p.kind === "one-way") return `one-way cut: ${w.target} cannot send to ${p.to} (blackhole)`;
      const clients = p.kind === "partition-leader" && p.clients ? ` with ${p.clients.join(", ")}` : "";
      const target = w.target === "all" || p.kind === "partition-leader" ? "" : ` ${w.target}`;
      return `${p.kind}${target}${clients} (${p.cut})`;
    }
  }
}

/** One window in words: `f2 at 12.5s for 4s: pause random-manager`. */
export function describeWindow(w: FaultWindow): string {
  return `${w.id} at ${ms(w.start)} for ${ms(w.duration)}: ${describeAction(w)}`;
}

/**
 * A schedule for humans, one window a line after a summary.
 *
 * @example
 * describeSchedule(schedule);
 * // 2 faults in a 20s run (quiet for the last 5s)
 * // f1 at 9.696s for 2.146s: partition-leader (blackhole)
 * // f2 at 12s for 1s: kill random-manager
 */
export function describeSchedule(schedule: Schedule): string {
  const n = schedule.windows.length;
  const head = `${n === 0 ? "no fault" : n === 1 ? "1 fault" : `${n} faults`} in a ${ms(schedule.timeLimit)} run${schedule.quietPeriod > 0 ? ` (quiet for the last ${ms(schedule.quietPeriod)})` : ""}`;
  return [head, ...schedule.windows.map(describeWindow)].join("\n");
}
