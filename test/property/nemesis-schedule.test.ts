import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { createRandom, type Random } from "../../core/random/index.js";
import { grudgeToLinkRules, type Topology } from "../../nemesis/grudge/index.js";
import {
  checkSchedule,
  compareMeasures,
  FAULT_CATALOGUE,
  FAULT_FAMILIES,
  FAULT_NAMES,
  faultNamesOf,
  generateSchedule,
  parseSchedule,
  partitionGrudge,
  resolveLinks,
  resolveProcesses,
  resolveScheduleOptions,
  scheduleArbitrary,
  scheduleMeasure,
  scheduleTimeline,
  shrinkCandidates,
  windowEnd,
  DYNAMIC_LINK_SELECTORS,
  DYNAMIC_PROCESS_SELECTORS,
  type ClusterShape,
  type FaultAction,
  type FaultWindow,
  type LinkSelector,
  type ProcessSelector,
  type NemesisChoice,
  type Schedule,
  type ScheduleOptions,
} from "../../nemesis/schedule/index.js";

/**
 * A small model of a cluster's fault state, for schedule properties: which processes are killed, paused or run
 * on a skewed clock, which directed pairs a partition cuts, which links carry a toxic. It performs a schedule's
 * timeline the way the nemesis will (targets resolved when each fault fires, with the window's seed), lets the
 * leader move around adversarially (a failover may happen at any event), and throws when two faults fight over
 * one process, one link or the network.
 */

/** Two faults acting on one process, link or the network at once. */
class Fight extends Error {}

class ClusterModel {
  /** process → the window that holds it, per process fault. */
  readonly killed = new Map<string, string>();
  readonly paused = new Map<string, string>();
  readonly skewed = new Map<string, string>();
  /** window → the link rules its partition installed (at most one partition at a time). */
  readonly cuts = new Map<string, string[]>();
  /** `source>destination` → the window whose toxic is on that link. */
  readonly toxics = new Map<string, string>();
  leader: string | undefined;
  readonly #chaos: Random;

  constructor(
    readonly topology: Topology,
    seed: number,
  ) {
    this.leader = topology.nodes[0];
    this.#chaos = createRandom(seed);
  }

  /** Whether no fault is left: the healthy state the final heal must reach. */
  isHealthy(): boolean {
    return (
      this.killed.size === 0 &&
      this.paused.size === 0 &&
      this.skewed.size === 0 &&
      this.cuts.size === 0 &&
      this.toxics.size === 0
    );
  }

  /** Everything removed, as the harness's final heal does. */
  heal(): void {
    for (const m of [this.killed, this.paused, this.skewed, this.cuts, this.toxics]) m.clear();
  }

  /** A failover, or not: the leader becomes any data node that is neither killed nor paused. */
  maybeFailover(): void {
    if (this.#chaos.int(3) !== 0) return;
    const up = this.topology.nodes.filter((n) => !this.killed.has(n) && !this.paused.has(n));
    this.leader = up.length === 0 ? undefined : this.#chaos.pick(up);
  }

  start(w: FaultWindow): void {
    this.maybeFailover();
    const ctx = { topology: this.topology, leader: this.leader, random: createRandom(w.seed) };
    switch (w.fault) {
      case "kill":
      case "pause":
      case "clock": {
        const held = w.fault === "kill" ? this.killed : w.fault === "pause" ? this.paused : this.skewed;
        for (const p of resolveProcesses(w.target, ctx)) {
          for (const m of [this.killed, this.paused, this.skewed]) {
            const other = m.get(p);
            if (other !== undefined) throw new Fight(`${w.id} (${w.fault}) and ${other} both act on ${p}`);
          }
          held.set(p, w.id);
        }
        break;
      }
      case "partition": {
        if (this.cuts.size > 0) throw new Fight(`${w.id} partitions while ${[...this.cuts.keys()][0]} does`);
        const resolved = partitionGrudge(w, ctx);
        // A partition that found nothing to cut still holds the network for its window.
        const rules = resolved.kind === "grudge" ? grudgeToLinkRules(resolved.grudge) : [];
        this.cuts.set(
          w.id,
          rules.map((r) => `${r.source}>${r.destination}:${r.stream}`),
        );
        break;
      }
      case "latency":
      case "link":
        for (const { source, destination } of resolveLinks(w.target, ctx)) {
          const key = `${source}>${destination}`;
          const other = this.toxics.get(key);
          if (other !== undefined) throw new Fight(`${w.id} and ${other} both put a toxic on ${key}`);
          this.toxics.set(key, w.id);
        }
        break;
    }
  }

  /** Removes exactly what `w` added. */
  stop(w: FaultWindow): void {
    for (const m of [this.killed, this.paused, this.skewed, this.toxics]) {
      for (const [k, id] of m) if (id === w.id) m.delete(k);
    }
    this.cuts.delete(w.id);
    this.maybeFailover();
  }
}

/** The names of a cluster of this shape. */
function topologyOf(shape: { nodes: number; managers: number; clients?: number }): Topology {
  const names = (p: string, n: number): string[] => Array.from({ length: n }, (_, i) => `${p}${i + 1}`);
  return {
    nodes: names("n", shape.nodes),
    managers: names("s", shape.managers),
    clients: names("c", shape.clients ?? 3),
  };
}

/**
 * Performs a schedule on a fresh model: every event in timeline order. Returns the model as the final heal finds
 * it (before healing), after checking that no fault was still on at `timeLimit - quietPeriod`.
 */
function perform(schedule: Schedule, topology: Topology, chaosSeed: number): ClusterModel {
  const model = new ClusterModel(topology, chaosSeed);
  const horizon = schedule.timeLimit - schedule.quietPeriod;
  for (const e of scheduleTimeline(schedule)) {
    if (e.at > horizon)
      throw new Error(`${e.window.id} ${e.action}s at ${e.at}, after the quiet period began (${horizon})`);
    if (e.action === "start") model.start(e.window);
    else model.stop(e.window);
  }
  for (const w of schedule.windows) {
    if (windowEnd(w) > horizon) throw new Error(`${w.id} is still on when the quiet period begins`);
  }
  return model;
}

/** Options over the whole space: any mix of families and names, any bounds, any cluster shape. */
const optionsArb: fc.Arbitrary<Partial<ScheduleOptions>> = fc
  .record({
    faults: fc.subarray<NemesisChoice>([...FAULT_FAMILIES, ...FAULT_NAMES], { minLength: 1, maxLength: 6 }),
    // From 500 ms: up to a few hundred windows in a 2-minute run, which keeps shrink checks quick.
    interval: fc.integer({ min: 500, max: 20_000 }),
    timeLimit: fc.integer({ min: 1, max: 120_000 }),
    quietPeriod: fc.integer({ min: 0, max: 10_000 }),
    minDuration: fc.integer({ min: 1, max: 3_000 }),
    extra: fc.integer({ min: 0, max: 12_000 }),
    cut: fc.constantFrom("blackhole" as const, "refuse" as const),
    cluster: fc.record({
      nodes: fc.integer({ min: 1, max: 5 }),
      managers: fc.integer({ min: 0, max: 5 }),
      clients: fc.integer({ min: 1, max: 4 }),
    }),
  })
  .map(({ extra, ...o }) => ({ ...o, maxDuration: o.minDuration + extra }))
  // Leave out mixes that name a fault the cluster cannot run (that is an error, tested in the unit tests).
  .filter((o) => {
    try {
      scheduleArbitrary(o);
      return true;
    } catch {
      return false;
    }
  });

/** Busy runs: long, with faults that start often and last long, so many windows overlap and must not fight. */
const busyOptionsArb: fc.Arbitrary<Partial<ScheduleOptions>> = fc.record({
  faults: fc.subarray<NemesisChoice>([...FAULT_FAMILIES], { minLength: 2 }),
  interval: fc.integer({ min: 500, max: 3_000 }),
  timeLimit: fc.integer({ min: 30_000, max: 120_000 }),
  quietPeriod: fc.integer({ min: 0, max: 5_000 }),
  minDuration: fc.constant(1_000),
  maxDuration: fc.integer({ min: 5_000, max: 15_000 }),
  cluster: fc.record({
    nodes: fc.integer({ min: 2, max: 5 }),
    managers: fc.integer({ min: 2, max: 5 }),
    clients: fc.integer({ min: 1, max: 4 }),
  }),
});

/** Options (general or busy) with a schedule drawn from them. */
const generatedArb = fc
  .oneof(optionsArb, busyOptionsArb)
  .chain((options) =>
    scheduleArbitrary(options).map((schedule) => ({ options: resolveScheduleOptions(options), schedule })),
  );

const shapeTopology = (c: ClusterShape): Topology => topologyOf(c);

describe("scheduleArbitrary", () => {
  it("should only yield schedules that satisfy every invariant", () => {
    fc.assert(
      fc.property(generatedArb, ({ options, schedule }) => {
        expect(checkSchedule(schedule, options.cluster)).toEqual({ valid: true });
      }),
    );
  });

  it("should stop every fault inside the run, before the quiet period, with durations within bounds", () => {
    fc.assert(
      fc.property(generatedArb, ({ options, schedule }) => {
        const horizon = options.timeLimit - options.quietPeriod;
        expect(schedule.timeLimit).toBe(options.timeLimit);
        for (const w of schedule.windows) {
          expect(w.start).toBeGreaterThanOrEqual(0);
          expect(windowEnd(w)).toBeLessThanOrEqual(horizon);
          expect(w.duration).toBeGreaterThanOrEqual(options.minDuration);
          expect(w.duration).toBeLessThanOrEqual(options.maxDuration);
        }
        const starts = scheduleTimeline(schedule).filter((e) => e.action === "start").length;
        const stops = scheduleTimeline(schedule).filter((e) => e.action === "stop").length;
        expect(starts).toBe(stops);
        expect(new Set(schedule.windows.map((w) => w.id)).size).toBe(schedule.windows.length);
      }),
    );
  });

  it("should only use the chosen faults", () => {
    fc.assert(
      fc.property(generatedArb, ({ options, schedule }) => {
        const families = new Set(
          options.faults.flatMap((c) => faultNamesOf(c).map((n) => FAULT_CATALOGUE[n].fault)),
        );
        for (const w of schedule.windows) expect(families.has(w.fault)).toBe(true);
      }),
    );
  });

  it("should never let two faults fight over a process, a link or the network, whatever the leader does", () => {
    fc.assert(
      fc.property(generatedArb, fc.nat(), ({ options, schedule }, chaos) => {
        perform(schedule, shapeTopology(options.cluster), chaos);
      }),
    );
  });

  it("should leave the healthy state once every window has stopped, so the final heal finds nothing to undo", () => {
    fc.assert(
      fc.property(generatedArb, fc.nat(), ({ options, schedule }, chaos) => {
        const model = perform(schedule, shapeTopology(options.cluster), chaos);
        expect(model.isHealthy()).toBe(true);
        model.heal();
        expect(model.isHealthy()).toBe(true);
      }),
    );
  });
});

const shape3x3: ClusterShape = { nodes: 3, managers: 3, clients: 2 };

/** Any process target of a 3-node, 3-manager cluster, dynamic or by name. */
const anyProcess = fc.constantFrom<ProcessSelector>(
  ...DYNAMIC_PROCESS_SELECTORS,
  "n1",
  "n2",
  "n3",
  "s1",
  "s2",
  "s3",
);
/** Any link target of that cluster with 2 clients, dynamic or by name. */
const anyLink = fc.constantFrom<LinkSelector>(
  ...DYNAMIC_LINK_SELECTORS,
  "n2->n1",
  "n1->n2",
  "n3->n1",
  "c1->n1",
  "c2->n1",
  "c1->s1",
  "s1->n1",
  "s2->n2",
  "s1->s2",
  "s2->s1",
);

/** Hand-written-like windows over every target kind, not only what the generator draws. */
const anyActionArb: fc.Arbitrary<FaultAction> = fc.oneof(
  fc.record({
    fault: fc.constantFrom("kill" as const, "pause" as const),
    target: anyProcess,
    params: fc.constant({}),
  }),
  fc.record({
    fault: fc.constant("clock" as const),
    target: anyProcess,
    params: fc.constant({ mode: "offset" as const, offset: 5000 }),
  }),
  fc.record({
    fault: fc.constant("latency" as const),
    target: anyLink,
    params: fc.constant({ latency: 100, jitter: 0, stream: "both" as const }),
  }),
  fc.record({
    fault: fc.constant("link" as const),
    target: anyLink,
    params: fc.constant({ toxic: "blackhole" as const, stream: "upstream" as const }),
  }),
  anyProcess
    .filter((t) => !t.startsWith("all-"))
    .map((target) => ({
      fault: "partition" as const,
      target,
      params: { kind: "isolate-node" as const, cut: "refuse" as const },
    })),
  fc.constant({
    fault: "partition" as const,
    target: "all" as const,
    params: { kind: "partition-halves" as const, cut: "blackhole" as const },
  }),
);

/**
 * Schedules of such windows at random times, keeping each window only when the schedule still checks valid: what
 * `checkSchedule` lets through from a hand-written file.
 */
const handWrittenArb: fc.Arbitrary<Schedule> = fc
  .array(
    fc.record({
      start: fc.integer({ min: 0, max: 20_000 }),
      duration: fc.integer({ min: 1, max: 8_000 }),
      seed: fc.nat(),
      action: anyActionArb,
    }),
    { maxLength: 30 },
  )
  .map((drawn) => {
    const base = { timeLimit: 30_000, quietPeriod: 2_000, minDuration: 1, maxDuration: 8_000 };
    const sorted = [...drawn].sort((a, b) => a.start - b.start);
    let windows: FaultWindow[] = [];
    sorted.forEach((d, i) => {
      const w = {
        id: `h${i}`,
        ...d.action,
        start: d.start,
        duration: d.duration,
        seed: d.seed,
      } as FaultWindow;
      if (checkSchedule({ ...base, windows: [...windows, w] }, shape3x3).valid) windows = [...windows, w];
    });
    return { ...base, windows };
  });

describe("checkSchedule", () => {
  it("should let no hand-written schedule through whose faults fight, whatever the leader does", () => {
    fc.assert(
      fc.property(handWrittenArb, fc.nat(), (schedule, chaos) => {
        expect(perform(schedule, topologyOf(shape3x3), chaos).isHealthy()).toBe(true);
      }),
      { numRuns: 200 },
    );
  });
});

describe("generateSchedule", () => {
  it("should give the same schedule for the same seed, also across a JSON round trip", () => {
    fc.assert(
      fc.property(optionsArb, fc.integer({ min: 0, max: 0xffff_ffff }), (options, seed) => {
        const a = generateSchedule(options, seed);
        const b = generateSchedule(options, seed);
        expect(b).toEqual(a);
        const text = JSON.stringify(a);
        expect(JSON.parse(text)).toEqual(a);
        expect(
          JSON.stringify(generateSchedule(JSON.parse(JSON.stringify(options)) as typeof options, seed)),
        ).toBe(text);
        // What config.json stores parses back to the very same schedule.
        expect(parseSchedule(JSON.parse(text), { cluster: resolveScheduleOptions(options).cluster })).toEqual(
          a,
        );
      }),
      { numRuns: 50 },
    );
  });

  it("should give different schedules for different seeds when faults are drawn", () => {
    const options = {
      faults: ["kill", "pause", "partition"] as NemesisChoice[],
      timeLimit: 120_000,
      interval: 5_000,
    };
    const distinct = new Set([1, 2, 3, 4, 5].map((seed) => JSON.stringify(generateSchedule(options, seed))));
    expect(distinct.size).toBe(5);
  });
});

describe("shrinkCandidates", () => {
  it("should only propose valid schedules that are strictly smaller, keeping ids", () => {
    fc.assert(
      fc.property(generatedArb, ({ options, schedule }) => {
        const ids = new Set(schedule.windows.map((w) => w.id));
        for (const c of shrinkCandidates(schedule)) {
          expect(checkSchedule(c, options.cluster)).toEqual({ valid: true });
          expect(compareMeasures(scheduleMeasure(c), scheduleMeasure(schedule))).toBeLessThan(0);
          for (const w of c.windows) expect(ids.has(w.id)).toBe(true);
          expect(c.quietPeriod).toBe(schedule.quietPeriod);
          expect(c.timeLimit).toBeGreaterThanOrEqual(Math.min(1000, schedule.timeLimit));
        }
      }),
      { numRuns: 60 },
    );
  });

  it("should never propose the same candidate twice", () => {
    fc.assert(
      fc.property(generatedArb, ({ schedule }) => {
        const keys = shrinkCandidates(schedule).map((c) => JSON.stringify(c));
        expect(new Set(keys).size).toBe(keys.length);
      }),
      { numRuns: 60 },
    );
  });

  it("should be deterministic and keep candidates fight-free on the model", () => {
    fc.assert(
      fc.property(generatedArb, fc.nat(), ({ options, schedule }, chaos) => {
        const candidates = shrinkCandidates(schedule);
        expect(shrinkCandidates(schedule)).toEqual(candidates);
        for (const c of candidates)
          expect(perform(c, shapeTopology(options.cluster), chaos).isHealthy()).toBe(true);
      }),
      { numRuns: 40 },
    );
  });

  it("should reach the empty schedule by always taking the first candidate", () => {
    fc.assert(
      fc.property(generatedArb, ({ schedule }) => {
        let s: Schedule = schedule;
        for (let steps = 0; ; steps++) {
          const [next] = shrinkCandidates(s);
          if (next === undefined) break;
          s = next;
          expect(steps).toBeLessThan(10_000);
        }
        expect(s.windows).toEqual([]);
      }),
      { numRuns: 30 },
    );
  });
});

describe("ClusterModel", () => {
  const topology = topologyOf({ nodes: 3, managers: 3 });
  const at = (w: Partial<FaultWindow> & Pick<FaultWindow, "fault" | "target" | "params">): FaultWindow =>
    ({ id: "w", start: 0, duration: 1000, seed: 1, ...w }) as FaultWindow;

  it("should report a fight when two faults hold one process", () => {
    const model = new ClusterModel(topology, 1);
    model.start(at({ id: "a", fault: "pause", target: "n2", params: {} }));
    expect(() => model.start(at({ id: "b", fault: "kill", target: "n2", params: {} }))).toThrow(Fight);
  });

  it("should find a fight between 'leader' and 'random-follower' for some failover, which is why they conflict", () => {
    const fights = Array.from({ length: 64 }, (_, chaos) => {
      const model = new ClusterModel(topology, chaos);
      model.start(at({ id: "a", fault: "kill", target: "leader", params: {} }));
      try {
        model.start(at({ id: "b", fault: "kill", target: "random-follower", params: {}, seed: chaos }));
        return false;
      } catch (err) {
        return err instanceof Fight;
      }
    });
    expect(fights).toContain(true);
  });

  it("should not be healthy while a fault is on", () => {
    const model = new ClusterModel(topology, 1);
    const w = at({
      fault: "latency",
      target: "replication",
      params: { latency: 100, jitter: 0, stream: "both" },
    });
    model.start(w);
    expect(model.isHealthy()).toBe(false);
    model.stop(w);
    expect(model.isHealthy()).toBe(true);
  });
});
