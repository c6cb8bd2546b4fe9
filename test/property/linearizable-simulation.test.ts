import fc from "fast-check";
import { afterAll, describe, expect, it } from "vitest";
import type { Op } from "../../checkers/history/index.js";
import { checkLinearizable } from "../../checkers/linearizable/index.js";
import { simulate } from "./linearizable-simulate.js";
import type { Fate, SimModel, SimOp, SimRecord, Simulated } from "./linearizable-simulate.js";

/**
 * Histories produced by running each model's sequential reference under random concurrency (every effect at a
 * random instant inside its op's window; crashes as `info` with or without effect, invokes that never complete,
 * refusals) are always linearizable; the same histories with one injected anomaly are never, and the explanation
 * names the op that shows it.
 */

const MODELS: SimModel[] = ["register", "cas-register", "kv", "set", "counter"];
const RUNS = 600;

const fate = fc.constantFrom<Fate>(
  "ok",
  "ok",
  "ok",
  "ok",
  "ok",
  "ok",
  "fail",
  "info-effect",
  "info-none",
  "pending-effect",
  "pending-none",
);
const simOp = fc.record<SimOp>({
  worker: fc.nat(),
  kind: fc.nat(),
  key: fc.nat(),
  arg: fc.nat(),
  gap: fc.nat(30),
  duration: fc.integer({ min: 1, max: 60 }),
  at: fc.nat(1000),
  fate,
});
const scenario = fc.record({
  workers: fc.integer({ min: 1, max: 6 }),
  keys: fc.integer({ min: 1, max: 3 }),
  ops: fc.array(simOp, { minLength: 1, maxLength: 40 }),
});

const counts = { valid: 0, stale: 0, lost: 0 };
afterAll(() => {
  // The number of histories each property actually checked (fast-check also skips samples without an anomaly).
  process.stdout.write(
    `linearizable simulation: ${counts.valid} valid histories, ${counts.stale} with a stale read, ${counts.lost} with a lost write\n`,
  );
});

const READS = new Set(["read", "get"]);
const isRead = (r: SimRecord): boolean => READS.has(r.f) && r.type === "ok";
const isMutation = (r: SimRecord): boolean => !READS.has(r.f);
/** a finished before b started, in history order. */
const before = (a: SimRecord, b: SimRecord): boolean =>
  a.completeIndex >= 0 && a.completeIndex < b.invokeIndex;

/** The history with the completion of `r` reporting `value` instead. */
function withResult(sim: Simulated, r: SimRecord, value: unknown): Op[] {
  return sim.history.map((op, i) => (i === r.completeIndex ? { ...op, value } : op));
}

/**
 * A value `r` cannot have read: for register-like models, the state right after a mutation m0 that finished before
 * another mutation m1, itself finished before `r` began (values and appended tokens are unique, so only m0 leaves
 * that state, and m1 always lies between); for a set, its result without an element whose add finished before
 * `r` began; for a counter, less than the increments that finished before `r` began.
 */
function staleValue(model: SimModel, sim: Simulated, r: SimRecord): { value: unknown } | undefined {
  const same = sim.records.filter((m) => m.key === r.key);
  if (model === "set") {
    const y = same.find((m) => m.f === "add" && m.type === "ok" && before(m, r));
    if (y === undefined) return undefined;
    return { value: (r.result as unknown[]).filter((e) => e !== y.args) };
  }
  if (model === "counter") {
    const sum = same
      .filter((m) => isMutation(m) && m.type === "ok" && before(m, r))
      .reduce((acc, m) => acc + (m.args === null ? 1 : (m.args as number)), 0);
    return sum >= 1 ? { value: sum - 1 } : undefined;
  }
  const changed = (m: SimRecord): boolean => isMutation(m) && m.type === "ok" && m.produced !== undefined;
  const m1 = same.find((m) => changed(m) && before(m, r));
  if (m1 === undefined) return undefined;
  const m0 = same.find((m) => changed(m) && before(m, m1) && m.after !== undefined);
  // No such m0: the initial state (nothing writes null or "" again).
  return { value: m0 === undefined ? null : m0.after };
}

function ops(model: SimModel, unique: boolean) {
  return scenario.map(({ workers, keys, ops }) => ({
    sim: simulate(model, ops, { workers, keys, unique }),
    model,
  }));
}

describe("checkLinearizable", () => {
  for (const model of MODELS) {
    it(`should find every simulated ${model} history linearizable when ops crash and fail at random`, () => {
      fc.assert(
        fc.property(fc.boolean(), scenario, (unique, { workers, keys, ops: list }) => {
          const { history } = simulate(model, list, { workers, keys, unique });
          const r = checkLinearizable(history, { model });
          counts.valid++;
          expect(r.valid).toBe(true);
        }),
        { numRuns: RUNS },
      );
    });

    it(`should find a simulated ${model} history invalid and name the read when one read is stale`, () => {
      fc.assert(
        fc.property(ops(model, true), fc.nat(), ({ sim }, pick) => {
          const reads = sim.records.filter(isRead);
          fc.pre(reads.length > 0);
          const r = reads[pick % reads.length];
          const stale = staleValue(model, sim, r);
          fc.pre(stale !== undefined);
          const result = checkLinearizable(withResult(sim, r, stale!.value), { model });
          counts.stale++;
          expect(result.valid).toBe(false);
          if (result.valid !== false) return;
          expect(result.counterexample?.op.index).toBe(r.invokeIndex);
          expect(result.anomalies[0].explanation).toContain(`op ${r.invokeIndex} (`);
        }),
        { numRuns: RUNS },
      );
    });

    it(`should find a simulated ${model} history invalid and name an op that observed it when an acknowledged write is lost`, () => {
      fc.assert(
        fc.property(scenario, fc.nat(), ({ workers, keys, ops: list }, pick) => {
          const candidates = list.map((o, i) => i).filter((i) => list[i].fate === "ok");
          fc.pre(candidates.length > 0);
          const lost = candidates[pick % candidates.length];
          const sim = simulate(model, list, { workers, keys, unique: true, lose: new Set([lost]) });
          const w = sim.records[lost];
          fc.pre(isMutation(w) && w.type === "ok" && w.produced !== undefined);
          // Shown only if some read after w returned a value that excludes it (see staleValue's argument).
          const exposing = sim.records.filter(
            (r) => isRead(r) && r.key === w.key && before(w, r) && exposes(model, sim, w, r),
          );
          fc.pre(exposing.length > 0);
          const result = checkLinearizable(sim.history, { model });
          counts.lost++;
          expect(result.valid).toBe(false);
          if (result.valid !== false) return;
          // The op that cannot be linearized observes the state (a read; in cas-register also a cas, which sees
          // whether the value matched) and returned after w began: everything before that is unaffected.
          const op = result.counterexample!.op;
          expect(READS.has(op.f) || op.f === "cas").toBe(true);
          expect(op.type === "ok" || op.type === "fail").toBe(true);
          expect(op.completionIndex).toBeGreaterThan(w.invokeIndex);
          expect(result.anomalies[0].explanation).toContain(`op ${op.index} (`);
        }),
        { numRuns: RUNS },
      );
    });
  }
});

/** True when read `r` (after lost mutation `w`) returned what cannot follow `w`. */
function exposes(model: SimModel, sim: Simulated, w: SimRecord, r: SimRecord): boolean {
  const same = sim.records.filter((m) => m.key === r.key);
  if (model === "set") return !(r.result as unknown[]).includes(w.args);
  if (model === "counter") {
    const sum = same
      .filter((m) => isMutation(m) && m.type === "ok" && before(m, r))
      .reduce((acc, m) => acc + (m.args === null ? 1 : (m.args as number)), 0);
    return (r.result as number) < sum;
  }
  // Register-like: r returned the initial state, or the state right after a mutation that finished before w began.
  if (r.result === null) return true;
  return same.some(
    (m0) => m0 !== w && isMutation(m0) && m0.type === "ok" && m0.after === r.result && before(m0, w),
  );
}
