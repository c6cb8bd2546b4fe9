import { windowEnd, type FaultWindow, type Schedule } from "./fault-window.js";

/** One step of a schedule: start or stop (heal) a window's fault at `at` ms. */
export interface TimelineEvent {
  readonly at: number;
  readonly action: "start" | "stop";
  readonly window: FaultWindow;
}

/**
 * The order in which a run loop performs a schedule: every start and stop by time; at one instant stops come
 * before starts (a heal frees the target first), then schedule order.
 *
 * @example
 * for (const e of scheduleTimeline(schedule)) { await sleepUntil(e.at); await nemesis[e.action](e.window); }
 */
export function scheduleTimeline(schedule: Schedule): TimelineEvent[] {
  const events = schedule.windows.flatMap((window, i) => [
    { at: window.start, action: "start" as const, window, i },
    { at: windowEnd(window), action: "stop" as const, window, i },
  ]);
  events.sort((a, b) => a.at - b.at || (a.action === b.action ? a.i - b.i : a.action === "stop" ? -1 : 1));
  return events.map(({ at, action, window }) => ({ at, action, window }));
}
