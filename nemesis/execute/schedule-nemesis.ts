import {
  activeFaults,
  faultOpName,
  parseFaultOp,
  type Nemesis,
  type NemesisCompletion,
  type NemesisOp,
} from "../core/index.js";
import type { FaultWindow, Schedule } from "../schedule/index.js";
import { startWindow } from "./start-window.js";
import type { WindowContext } from "./window-context.js";
import type { FaultOutcome } from "./fault-account.js";
import { windowOpName } from "./window-op-name.js";

/** The value of a schedule op's invoke: which window it starts or stops. */
export interface WindowRef {
  readonly window: string;
}

/**
 * The nemesis of a fault schedule: `start-<name>` with `{ window: "f3" }` applies window f3 (its target resolved
 * now, `startWindow`), `stop-<name>` undoes it; each completion's value is the window id plus what was actually
 * done (links, pids, offsets), and a start's value says its `outcome` (`applied` or `failed`). A window that could
 * not be applied completes `fail` (nothing changed); one that broke midway completes `info`, and only the final
 * heal can undo what it may have done. `healOps` stops what is
 * active, latest first; `teardown` stops anything left.
 *
 * @example
 * const nemesis = scheduleNemesis(schedule, { cluster, clients: ["c1", "c2"] });
 * await nemesis.invoke({ f: "start-kill-leader", value: { window: "f1" } });
 */
export function scheduleNemesis(schedule: Schedule, ctx: WindowContext): Nemesis {
  const byId = new Map(schedule.windows.map((w) => [w.id, w]));
  const active = activeFaults((id: string) => `window ${id}`);
  const names = [...new Set(schedule.windows.map(windowOpName))];

  const find = (op: NemesisOp, phase: "start" | "stop", name: string): FaultWindow | string => {
    const id = (op.value as Partial<WindowRef> | null | undefined)?.window;
    if (typeof id === "string") {
      const w = byId.get(id);
      if (!w) return `no window ${id} in the schedule`;
      return windowOpName(w) === name ? w : `window ${id} is ${windowOpName(w)}, not ${name}`;
    }
    // Without an id: the active window of that name to stop, or the first not yet active one to start.
    const pick = schedule.windows.find(
      (w) => windowOpName(w) === name && active.has(w.id) === (phase === "stop"),
    );
    return pick ?? `no ${phase === "stop" ? "active" : "inactive"} ${name} window`;
  };

  return {
    fs: names.flatMap((n) => [faultOpName("start", n), faultOpName("stop", n)]),
    setup: () => Promise.resolve(),
    async invoke(op: NemesisOp): Promise<NemesisCompletion> {
      const parsed = parseFaultOp(op.f);
      if (!parsed || !names.includes(parsed.fault))
        return { type: "fail", error: `unknown nemesis op ${op.f}` };
      const w = find(op, parsed.phase, parsed.fault);
      if (typeof w === "string") return { type: "fail", error: w };
      if (parsed.phase === "stop") return active.stop(w.id, { window: w.id });
      const c = await active.start(w.id, () => startWindow(w, ctx), { window: w.id });
      // The outcome in words, so the history says of every start whether the fault took effect (`accountFaults`).
      const outcome: FaultOutcome = c.type === "ok" ? "applied" : "failed";
      return { ...c, value: { window: w.id, outcome, ...(c.value as Record<string, unknown> | undefined) } };
    },
    healOps: () =>
      active.latestFirst().map((id) => ({
        f: faultOpName("stop", windowOpName(byId.get(id)!)),
        value: { window: id },
      })),
    teardown: () => active.stopAll(),
  };
}
