import { InputError } from "../../core/errors/index.js";
import {
  linkSelectorProblem,
  partitionKindProblem,
  processSelectorProblem,
  type ClusterShape,
} from "./cluster-shape.js";
import { windowConflict } from "./conflicts.js";
import { windowEnd, type FaultWindow, type Schedule } from "./fault-window.js";
import { isGroupSelector, isLinkSelector, isProcessSelector } from "./selectors.js";

/** One broken invariant, at a field path such as `windows[2].duration`. */
export interface ScheduleProblem {
  readonly path: string;
  readonly message: string;
}

/** The verdict of {@link checkSchedule}. */
export type ScheduleCheck =
  { readonly valid: true } | { readonly valid: false; readonly problems: ScheduleProblem[] };

/**
 * Checks every invariant of a schedule, as data (check returns; {@link assertSchedule} throws):
 *
 * - bounds are whole ms: `timeLimit` ≥ 1, `quietPeriod` ≥ 0, 1 ≤ `minDuration` ≤ `maxDuration`;
 * - windows are in start order, ids unique, `start` ≥ 0, durations in [`minDuration`, `maxDuration`];
 * - every window stops inside the run, by `timeLimit - quietPeriod` (before the quiet period and the final heal);
 * - no two windows active at a common instant may act on one target ({@link windowConflict});
 * - each target suits its fault (a kill needs a process, `partition-halves` needs `all`, …);
 * - with `cluster`, every target can be resolved in a cluster of that shape.
 */
export function checkSchedule(schedule: Schedule, cluster?: ClusterShape): ScheduleCheck {
  const problems: ScheduleProblem[] = [];
  const bad = (path: string, message: string): void => void problems.push({ path, message });
  const whole = (path: string, v: number, min: number): boolean => {
    if (Number.isSafeInteger(v) && v >= min) return true;
    bad(path, `must be a whole number of ms ≥ ${min}, got ${v}`);
    return false;
  };
  whole("timeLimit", schedule.timeLimit, 1);
  whole("quietPeriod", schedule.quietPeriod, 0);
  if (whole("minDuration", schedule.minDuration, 1) && schedule.maxDuration < schedule.minDuration) {
    bad("maxDuration", `must be ≥ minDuration (${schedule.minDuration}), got ${schedule.maxDuration}`);
  }
  const horizon = schedule.timeLimit - schedule.quietPeriod;
  const ids = new Map<string, number>();
  const inOrder = schedule.windows.every(
    (w, i) => i === 0 || w.start >= (schedule.windows[i - 1] as FaultWindow).start,
  );
  let active: number[] = [];
  schedule.windows.forEach((w, i) => {
    const at = `windows[${i}]`;
    if (w.id.length === 0) bad(`${at}.id`, "must not be empty");
    else if (ids.has(w.id)) bad(`${at}.id`, `"${w.id}" is already the id of windows[${ids.get(w.id)}]`);
    else ids.set(w.id, i);
    if (!Number.isSafeInteger(w.seed) || w.seed < 0 || w.seed > 0xffff_ffff) {
      bad(`${at}.seed`, `must be a 32-bit unsigned integer, got ${w.seed}`);
    }
    whole(`${at}.start`, w.start, 0);
    const prev = schedule.windows[i - 1];
    if (prev !== undefined && w.start < prev.start) {
      bad(
        `${at}.start`,
        `windows must be in start order, but ${w.start} < ${prev.start} (windows[${i - 1}])`,
      );
    }
    if (whole(`${at}.duration`, w.duration, 1)) {
      if (w.duration < schedule.minDuration || w.duration > schedule.maxDuration) {
        bad(
          `${at}.duration`,
          `must lie in [${schedule.minDuration}, ${schedule.maxDuration}] ms, got ${w.duration}`,
        );
      }
    }
    if (windowEnd(w) > horizon) {
      bad(
        `${at}.duration`,
        `the fault must stop by ${horizon} ms (time limit ${schedule.timeLimit} − quiet period ${schedule.quietPeriod}), but stops at ${windowEnd(w)}`,
      );
    }
    for (const p of targetProblems(w, cluster)) bad(`${at}.${p.path}`, p.message);
    // In start order, a window that ended before this one starts cannot meet any later one either.
    if (inOrder) active = active.filter((j) => windowEnd(schedule.windows[j] as FaultWindow) >= w.start);
    for (const j of inOrder ? active : schedule.windows.slice(0, i).map((_, k) => k)) {
      const other = schedule.windows[j] as FaultWindow;
      const why = windowConflict(other, w);
      if (why !== undefined) {
        bad(at, `${w.id} (${w.fault}) overlaps ${other.id} (${other.fault}, windows[${j}]): ${why}`);
      }
    }
    active.push(i);
  });
  return problems.length === 0 ? { valid: true } : { valid: false, problems };
}

/**
 * Throws an {@link InputError} (`BAD_SCHEDULE`, exit 254) listing every problem of {@link checkSchedule}, each
 * with its field path and, when given, the file it came from.
 */
export function assertSchedule(
  schedule: Schedule,
  options: { source?: string; cluster?: ClusterShape } = {},
): void {
  const check = checkSchedule(schedule, options.cluster);
  if (check.valid) return;
  const where = (path: string): string => `field "${path}"${options.source ? ` in ${options.source}` : ""}`;
  const lines = check.problems.map((p) => `${where(p.path)}: ${p.message}`);
  throw new InputError(
    "BAD_SCHEDULE",
    `bad fault schedule (${lines.length} problem${lines.length === 1 ? "" : "s"}):\n  ${lines.join("\n  ")}`,
    {
      details: { problems: check.problems, source: options.source },
      hint: "a schedule file holds { timeLimit, quietPeriod, minDuration, maxDuration, windows: [...] }; see nemesis/schedule",
    },
  );
}

function targetProblems(w: FaultWindow, cluster: ClusterShape | undefined): ScheduleProblem[] {
  const out: ScheduleProblem[] = [];
  const process = (path: string, selector: string, single: boolean): void => {
    if (!isProcessSelector(selector)) {
      out.push({
        path,
        message: `must be a process selector (leader, random-follower, n2, s1, …), got "${selector}"`,
      });
      return;
    }
    if (single && isGroupSelector(selector)) {
      out.push({ path, message: `must name one process, got the group "${selector}"` });
    }
    const why = cluster && processSelectorProblem(selector, cluster);
    if (why) out.push({ path, message: why });
  };
  switch (w.fault) {
    case "kill":
    case "pause":
    case "clock":
      process("target", w.target, false);
      break;
    case "latency":
    case "link": {
      if (!isLinkSelector(w.target)) {
        out.push({
          path: "target",
          message: `must be a link selector (replication, client-leader, n2->n1, …), got "${w.target}"`,
        });
      } else {
        const why = cluster && linkSelectorProblem(w.target, cluster);
        if (why) out.push({ path: "target", message: why });
      }
      break;
    }
    case "partition": {
      const p = w.params;
      const whyKind = cluster && partitionKindProblem(p.kind, cluster);
      if (whyKind) out.push({ path: "params.kind", message: whyKind });
      if (p.kind === "partition-leader") {
        if (w.target !== "leader") {
          out.push({ path: "target", message: `partition-leader targets "leader", got "${w.target}"` });
        }
        (p.clients ?? []).forEach((c, k) => {
          const known =
            /^c[1-9]\d*$/.test(c) &&
            (cluster?.clients === undefined || Number(c.slice(1)) <= cluster.clients);
          if (!known)
            out.push({ path: `params.clients[${k}]`, message: `"${c}" is not a client of the run` });
        });
        if (new Set(p.clients ?? []).size !== (p.clients ?? []).length) {
          out.push({ path: "params.clients", message: "names one client twice" });
        }
      } else if (
        (p.kind === "partition-halves" ||
          p.kind === "partition-majorities-ring" ||
          p.kind === "partition-bridge") &&
        w.target !== "all"
      ) {
        out.push({
          path: "target",
          message: `${p.kind} splits every server, so its target is "all", got "${w.target}"`,
        });
      } else if (p.kind === "isolate-node") {
        if (w.target === "all")
          out.push({ path: "target", message: 'isolate-node needs one process, got "all"' });
        else process("target", w.target, true);
      } else if (p.kind === "one-way") {
        if (w.target === "all")
          out.push({ path: "target", message: 'a one-way cut needs its sending side, got "all"' });
        else process("target", w.target, false);
        if (p.cut !== "blackhole") {
          out.push({
            path: "params.cut",
            message: "a one-way cut can only blackhole (a reset stops both directions)",
          });
        }
        if (p.to !== "others") process("params.to", p.to, false);
        if (p.to === w.target) {
          out.push({ path: "params.to", message: `cannot cut "${w.target}" from itself` });
        }
      }
      break;
    }
  }
  return out;
}
