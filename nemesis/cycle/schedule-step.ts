/** One step of a nemesis schedule: wait, or invoke a nemesis op. */
export type ScheduleStep = { kind: "sleep"; ms: number } | { kind: "op"; f: string; value?: unknown };

/** A nemesis schedule: steps, in order, possibly endless (the run loop stops at its time limit). */
export type Schedule = Iterable<ScheduleStep>;
