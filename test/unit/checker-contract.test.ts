import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { validateHistory } from "../../checkers/history/index.js";
import type { History, Op } from "../../checkers/history/index.js";
import { registeredCheckers } from "../../checkers/registry/index.js";
import { NOTHING_TO_JUDGE } from "../../checkers/core/index.js";
import { completedRun, deepFreeze, killedRun } from "./support/build-history.js";
import { shapedHistory, structurallyValidHistory, type HistoryShape } from "./support/random-history.js";

const context = { now: () => 0 };

/** The shape of history each checker judges in a run (the workload it belongs to); every checker must have one. */
const SHAPE: Record<string, HistoryShape> = {
  set: "set",
  "set-full": "set",
  counter: "counter",
  stats: "set",
  staleness: "versions",
  "split-brain": "versions",
  linearizable: "register",
  "list-append": "txn",
};

function wellFormed(r: { valid: unknown } & Record<string, unknown>): void {
  expect([true, false, "unknown"]).toContain(r.valid);
  if (r.valid === false) {
    expect(Array.isArray(r.anomalies) && r.anomalies.length > 0).toBe(true);
    for (const a of r.anomalies as { kind: unknown; explanation: unknown }[]) {
      expect(typeof a.kind).toBe("string");
      expect(typeof a.explanation).toBe("string");
    }
  }
  if (r.valid === "unknown") expect(typeof r.reason).toBe("string");
  expect(() => JSON.stringify(r)).not.toThrow();
}

const long = new Map<HistoryShape, Op[][]>();
/** A few long histories of a shape (50,000 steps, fresh elements and versions), made once per shape. */
function longHistories(shape: HistoryShape): Op[][] {
  if (!long.has(shape)) {
    const options = { minSteps: 50_000, maxSteps: 50_000, fresh: true };
    long.set(shape, fc.sample(shapedHistory(shape, options), { numRuns: 2, seed: 3 }));
  }
  return long.get(shape)!;
}

/**
 * The contract every registered checker passes, run with its default options: an empty history is valid; the same
 * history gives the same result; the input is never mutated (it is deep-frozen, and compared with a copy); no
 * structurally valid history makes it throw; results are well-formed tagged unions that serialise to JSON.
 */
describe.each(registeredCheckers.map((c) => [c.name, c] as const))("checker %s", (_name, def) => {
  const run = (h: History): ReturnType<typeof def.check> => def.check(h, { ...def.defaultOptions }, context);

  it("should answer unknown, nothing to judge, when the history is empty", () => {
    expect(run(deepFreeze([]))).toMatchObject({ valid: "unknown", reason: NOTHING_TO_JUDGE });
  });

  it("should answer unknown, nothing to judge, when the history holds only nemesis and monitor ops", () => {
    const h = deepFreeze([
      { index: 0, time: 0, process: "monitor", type: "info", f: "leader", value: "n1" },
      { index: 1, time: 1, process: "nemesis", type: "invoke", f: "initial-heal", value: null },
      { index: 2, time: 2, process: "nemesis", type: "ok", f: "initial-heal", value: null },
    ] satisfies Op[]);
    expect(run(h)).toMatchObject({ valid: "unknown", reason: NOTHING_TO_JUDGE });
  });

  it("should never answer valid when a faultline run's history stops before its final phase (harness killed)", () => {
    // Histories of the checker's workload, recorded as a faultline run records them (initial-heal first), cut
    // before the final heal: an anomaly found may stand, but what was recorded can never pass.
    const cut = fc.sample(shapedHistory(SHAPE[def.name]), { numRuns: 200, seed: 11 }).map(killedRun);
    const verdicts = cut.map((h) => run(deepFreeze(h)));
    for (const r of verdicts) expect(r.valid).not.toBe(true);
    const unknown = verdicts.filter((r) => r.valid === "unknown") as { reason: string }[];
    expect(unknown.length).toBeGreaterThan(30);
    expect(unknown.some((r) => r.reason.includes("no final-heal op"))).toBe(true);
  });

  it("should judge a run's history as before when its final phase was recorded", () => {
    const whole = fc.sample(shapedHistory(SHAPE[def.name]), { numRuns: 100, seed: 11 });
    for (const h of whole) {
      // A set read by no successful read is valid only without phase markers (nothing was added, nothing read).
      if (SHAPE[def.name] === "set" && !h.some((o) => o.type === "ok" && o.f === "read")) continue;
      // initial-heal first, final-heal right before the last ok read: the verdict is the unmarked history's.
      const marked = completedRun(h);
      expect(run(deepFreeze(marked)).valid).toBe(run(deepFreeze(h)).valid);
    }
  });

  it("should never throw, never mutate its input and be deterministic on any structurally valid history", () => {
    fc.assert(
      fc.property(structurallyValidHistory(), (h) => {
        validateHistory(h);
        const copy = structuredClone(h);
        deepFreeze(h);
        const first = run(h);
        const second = run(h);
        expect(second).toEqual(first);
        expect(h).toEqual(copy);
        wellFormed(first as never);
      }),
      { numRuns: 300 },
    );
  });

  it("should never throw, never mutate its input and be deterministic on histories of its workload's shape", () => {
    const shape = SHAPE[def.name];
    expect(shape, `no history shape for checker ${def.name} in this suite`).toBeDefined();
    fc.assert(
      fc.property(shapedHistory(shape), (h) => {
        validateHistory(h);
        const copy = structuredClone(h);
        deepFreeze(h);
        const first = run(h);
        expect(run(h)).toEqual(first);
        expect(h).toEqual(copy);
        wellFormed(first as never);
      }),
      { numRuns: 300 },
    );
  });

  it("should reach both verdicts on histories of its workload's shape (the shaped property is not vacuous)", () => {
    const verdicts = fc
      .sample(shapedHistory(SHAPE[def.name]), { numRuns: 300, seed: 7 })
      .map((h) => run(h).valid);
    expect(verdicts.filter((v) => v === true).length).toBeGreaterThan(30);
    expect(verdicts.filter((v) => v === false).length).toBeGreaterThan(5);
  });

  it("should answer unknown with the reason, not check, when the history is over its maxOps budget", () => {
    const h = deepFreeze(
      fc.sample(
        shapedHistory(SHAPE[def.name]).filter((x) => x.length >= 2),
        { numRuns: 1, seed: 3 },
      )[0],
    );
    const r = def.check(h, { ...def.defaultOptions, maxOps: h.length - 1 }, context) as {
      valid: unknown;
      reason?: string;
    };
    expect(r.valid).toBe("unknown");
    expect(r.reason).toContain(`maxOps = ${h.length - 1}`);
  });

  it("should answer unknown with the reason when its time limit runs out", () => {
    // Budgets read the clock every few thousand steps: a long history the checker judges valid without a limit
    // (so it has to do all its work), or else one it judges invalid.
    const long = longHistories(SHAPE[def.name]);
    const verdicts = long.map((x) => run(x).valid);
    const h = long[verdicts.indexOf(true)] ?? long[verdicts.indexOf(false)];
    expect(h, "no long history this checker can judge").toBeDefined();
    deepFreeze(h);
    let t = 0;
    const late = { now: () => (t += 1_000) }; // every clock reading is a second later
    const r = def.check(h, { ...def.defaultOptions, timeLimitMs: 10 }, late) as {
      valid: unknown;
      reason?: string;
    };
    expect(r.valid).toBe("unknown");
    expect(r.reason).toMatch(/time (limit|budget)/);
  });

  it("should accept its default options through its option specs", () => {
    for (const k of Object.keys(def.defaultOptions)) expect(Object.keys(def.optionSpecs)).toContain(k);
  });
});
