import type { ActiveFault } from "../core/index.js";
import type { FaultWindow } from "../schedule/index.js";
import { startClockFault } from "./start-clock-fault.js";
import { startLinkFault } from "./start-link-fault.js";
import { startPartition } from "./start-partition.js";
import { startProcessFault } from "./start-process-fault.js";
import type { WindowContext } from "./window-context.js";

/**
 * Applies one schedule window to the cluster, its target resolved now, and returns what was done and how to undo
 * it. Throws `FaultNotApplied` when nothing changed (no leader to kill, a link a plain Toxiproxy cannot
 * express); any other error leaves the state unknown.
 *
 * @example
 * const active = await startWindow(schedule.windows[0], { cluster, clients: ["c1", "c2"] });
 * // … later
 * await active.stop();
 */
export function startWindow(window: FaultWindow, ctx: WindowContext): Promise<ActiveFault> {
  switch (window.fault) {
    case "partition":
      return startPartition(window, ctx);
    case "kill":
    case "pause":
      return startProcessFault(window, ctx);
    case "clock":
      return startClockFault(window, ctx);
    case "latency":
    case "link":
      return startLinkFault(window, ctx);
  }
}
