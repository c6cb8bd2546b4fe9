import { z } from "zod";
// The grammar module itself, not the config index: the config schema imports this component (for --nemesis and
// --schedule), so importing the index back would be a cycle.
import { durationMs } from "../../core/index.js";
import type { FaultWindow, Schedule } from "./fault-window.js";
import { isLinkSelector, isProcessSelector, type LinkSelector, type ProcessSelector } from "./selectors.js";

/**
 * A time in ms: a number, or a string in faultline's duration grammar (`"500ms"`, `"10s"`, `"2m"`), so hand-written
 * schedules read naturally while `config.json` (numbers) replays exactly. With `signed`, a leading `-` is allowed.
 */
function ms(min: number, signed = false) {
  const error = (issue: { input?: unknown }): string =>
    issue.input === undefined
      ? "is required: a whole number of ms or a duration like 500ms or 10s"
      : `must be a whole number of ms or a duration like 500ms or 10s, got ${JSON.stringify(issue.input)}`;
  return z.union([z.number(), z.string()], { error }).transform((v, ctx) => {
    let value: number | undefined;
    if (typeof v === "number") value = v;
    else {
      const negative = signed && v.trim().startsWith("-");
      const parsed = durationMs(negative ? v.trim().slice(1) : v);
      value = parsed === undefined ? undefined : negative ? -parsed : parsed;
    }
    if (value === undefined || !Number.isSafeInteger(value)) {
      ctx.addIssue({
        code: "custom",
        message: `must be a whole number of ms or a duration like 500ms or 10s, got ${JSON.stringify(v)}`,
      });
      return z.NEVER;
    }
    if (!signed && value < min) {
      ctx.addIssue({ code: "custom", message: `must be at least ${min} ms, got ${value}` });
      return z.NEVER;
    }
    return value;
  });
}

const processSelector = z.custom<ProcessSelector>((v) => typeof v === "string" && isProcessSelector(v), {
  message:
    "must be a process selector: leader, random-follower, all-followers, random-node, all-nodes, random-manager, all-managers, consensus-leader, nK or sK",
});
const linkSelector = z.custom<LinkSelector>((v) => typeof v === "string" && isLinkSelector(v), {
  message:
    "must be a link selector: replication, client-leader, client-nodes, client-managers, manager-nodes, manager-gossip, or a connection such as n2->n1, c1->n1, s1->s2",
});
const cut = z.enum(["blackhole", "refuse"]).default("blackhole");
const stream = z.enum(["both", "upstream", "downstream"]).default("both");
const count = (min = 0) => z.int().min(min);

const partitionParams = z.discriminatedUnion("kind", [
  z.strictObject({
    kind: z.literal("partition-leader"),
    cut,
    clients: z.array(z.string().regex(/^c[1-9]\d*$/, "must be a client name such as c1")).optional(),
  }),
  z.strictObject({ kind: z.literal("isolate-node"), cut }),
  z.strictObject({ kind: z.literal("partition-halves"), cut }),
  z.strictObject({ kind: z.literal("partition-majorities-ring"), cut }),
  z.strictObject({ kind: z.literal("partition-bridge"), cut }),
  z.strictObject({
    kind: z.literal("one-way"),
    cut: z
      .literal("blackhole", "a one-way cut can only blackhole (a reset stops both directions)")
      .default("blackhole"),
    to: z.union([z.literal("others"), processSelector]),
  }),
]);

const clockParams = z.discriminatedUnion("mode", [
  z.strictObject({ mode: z.literal("offset"), offset: ms(0, true) }),
  z.strictObject({ mode: z.literal("rate"), rate: z.number().positive().max(100) }),
  z.strictObject({ mode: z.literal("jump"), offset: ms(0, true) }),
]);

const latencyParams = z.strictObject({ latency: ms(0), jitter: ms(0).default(0), stream });

const linkParams = z.discriminatedUnion("toxic", [
  z.strictObject({ toxic: z.literal("bandwidth"), rate: count(), stream }),
  z.strictObject({ toxic: z.literal("reset"), timeout: ms(0).default(0), stream }),
  z.strictObject({
    toxic: z.literal("slicer"),
    averageSize: count(1),
    sizeVariation: count().default(0),
    delay: count().default(0),
    stream,
  }),
  z.strictObject({ toxic: z.literal("limit-data"), bytes: count(), stream }),
  z.strictObject({ toxic: z.literal("blackhole"), stream }),
]);

const timing = {
  /** Default: `f<position>`. */
  id: z.string().min(1).optional(),
  start: ms(0),
  duration: ms(1),
  /** Default: derived from the id, so every window draws its own choices. */
  seed: z.int().min(0).max(0xffff_ffff).optional(),
};
/** A kill or pause acts on the whole node unless `part` names its failover `agent` or its data process (`store`). */
const processParams = z
  .strictObject({
    part: z
      .enum(["agent", "store"], {
        error: (issue) =>
          `must be agent (the node's failover agent alone) or store (its data process alone), got ${JSON.stringify(issue.input)}`,
      })
      .optional(),
  })
  .default({});

const windowSchema = z.discriminatedUnion("fault", [
  z.strictObject({
    ...timing,
    fault: z.literal("partition"),
    target: z.union([z.literal("all"), processSelector]),
    params: partitionParams,
  }),
  z.strictObject({ ...timing, fault: z.literal("kill"), target: processSelector, params: processParams }),
  z.strictObject({ ...timing, fault: z.literal("pause"), target: processSelector, params: processParams }),
  z.strictObject({ ...timing, fault: z.literal("clock"), target: processSelector, params: clockParams }),
  z.strictObject({ ...timing, fault: z.literal("latency"), target: linkSelector, params: latencyParams }),
  z.strictObject({ ...timing, fault: z.literal("link"), target: linkSelector, params: linkParams }),
]);

/** FNV-1a of a window id: the default seed of a hand-written window. */
function idSeed(id: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < id.length; i++) h = Math.imul(h ^ id.charCodeAt(i), 0x01000193);
  return h >>> 0;
}

/**
 * The zod schema of a fault schedule, for schedule files and for `config.json` (which embeds the schedule a run
 * used). Times are ms or duration strings. Lenient defaults for hand-written files: `quietPeriod` 0,
 * `minDuration` 1 ms, `maxDuration` the time limit, window ids `f1, f2…` by position, seeds derived from the ids,
 * `cut` blackhole, `stream` both, kills and pauses of whole nodes (no `part`). Structural only: the invariants (order, bounds, conflicts) are
 * `checkSchedule`'s.
 */
export const ScheduleSchema = z
  .strictObject({
    timeLimit: ms(1),
    quietPeriod: ms(0).default(0),
    minDuration: ms(1).default(1),
    maxDuration: ms(1).optional(),
    windows: z.array(windowSchema).default([]),
  })
  .transform((s): Schedule => ({
    timeLimit: s.timeLimit,
    quietPeriod: s.quietPeriod,
    minDuration: s.minDuration,
    maxDuration: s.maxDuration ?? Math.max(s.minDuration, s.timeLimit),
    windows: s.windows.map((w, i) => {
      const id = w.id ?? `f${i + 1}`;
      return { ...w, id, seed: w.seed ?? idSeed(id) } as FaultWindow;
    }),
  }));
