import fc from "fast-check";
import type { Op, OpType } from "../../../checkers/history/index.js";

/** One scheduling decision of {@link structurallyValidHistory}. */
interface Step {
  pick: number;
  f: string;
  outcome: OpType;
  value: unknown;
  key: string | undefined;
  node: string | undefined;
  dt: number;
}

const fs = ["add", "read", "write", "incr", "txn", "cas", "append", "get"];
const value = fc.oneof(
  fc.integer({ min: -3, max: 12 }),
  fc.constant(null),
  fc.array(fc.integer({ min: 0, max: 12 }), { maxLength: 6 }),
  fc.string({ maxLength: 3 }),
  fc.jsonValue({ maxDepth: 2 }).map((v) => JSON.parse(JSON.stringify(v)) as unknown),
);
const step: fc.Arbitrary<Step> = fc.record({
  pick: fc.nat(1000),
  f: fc.oneof(fc.constantFrom(...fs), fc.string({ minLength: 1, maxLength: 8 })),
  outcome: fc.constantFrom<OpType>("ok", "ok", "ok", "fail", "info", "invoke"),
  value,
  key: fc.option(fc.constantFrom("a", "b", "c"), { nil: undefined }),
  node: fc.option(fc.constantFrom("n1", "n2", "n3"), { nil: undefined }),
  dt: fc.nat(3_000_000),
});

/**
 * Arbitrary histories that pass the structural check (`validateHistory`): up to `concurrency` client processes,
 * each single-threaded and retired (id + concurrency) after an `info`; invokes left in flight at the end;
 * nemesis and monitor events (monitor `leader` events name a node). Values are a mix of what workloads write
 * (integers, arrays of integers, null) and arbitrary JSON, so checkers see both their contract and garbage.
 */
export function structurallyValidHistory(maxSteps = 60, concurrency = 4): fc.Arbitrary<Op[]> {
  return fc.array(step, { maxLength: maxSteps }).map((steps) => {
    const ops: Op[] = [];
    const procs = Array.from({ length: concurrency }, (_, i) => i);
    const inFlight = new Map<number, Op>();
    let time = 0;
    const push = (o: Omit<Op, "index" | "time">): void => {
      ops.push({ index: ops.length, time, ...o } as Op);
    };
    for (const s of steps) {
      time += s.dt;
      const slot = s.pick % (concurrency + 2);
      if (slot === concurrency) {
        push({ process: "nemesis", type: "info", f: "partition", value: s.value });
        continue;
      }
      if (slot === concurrency + 1) {
        push({ process: "monitor", type: "ok", f: "leader", value: s.node ?? "n1" });
        continue;
      }
      const p = procs[slot];
      const open = inFlight.get(p);
      if (!open) {
        const o: Omit<Op, "index" | "time"> = { process: p, type: "invoke", f: s.f, value: s.value };
        if (s.key !== undefined) o.key = s.key;
        push(o);
        inFlight.set(p, ops[ops.length - 1]);
        continue;
      }
      if (s.outcome === "invoke") continue; // leave it in flight a while longer
      const o: Omit<Op, "index" | "time"> = { process: p, type: s.outcome, f: open.f, value: s.value };
      if (open.key !== undefined) o.key = open.key;
      if (s.node !== undefined) o.node = s.node;
      if (s.outcome !== "ok") o.error = "boom";
      push(o);
      inFlight.delete(p);
      if (s.outcome === "info") procs[slot] = p + concurrency;
    }
    return ops;
  });
}

/** The op shapes of faultline's workloads, one per family of checkers (see {@link shapedHistory}). */
export type HistoryShape = "set" | "counter" | "register" | "txn" | "versions";

/** One scheduling decision of {@link shapedHistory}: `draws` fill the op's values. */
interface ShapedStep {
  pick: number;
  outcome: OpType;
  draws: number[];
  node: string;
  dt: number;
}

const shapedStep: fc.Arbitrary<ShapedStep> = fc.record({
  pick: fc.nat(1000),
  outcome: fc.constantFrom<OpType>("ok", "ok", "ok", "ok", "fail", "info", "invoke"),
  draws: fc.array(fc.nat(12), { minLength: 8, maxLength: 8 }),
  node: fc.constantFrom("n1", "n2", "n3"),
  dt: fc.nat(3_000_000),
});

/** An op as its invoke and its ok completion carry it. */
interface Shaped {
  f: string;
  key?: string;
  invoke: unknown;
  ok: unknown;
}

const KEYS = ["a", "b", "c"];

/** The op a workload of `shape` would record, its values drawn from `d` (small integers, so values collide). */
function shapedOp(shape: HistoryShape, d: number[]): Shaped {
  const key = KEYS[d[1] % KEYS.length];
  const list = (n: number): number[] => d.slice(2, 2 + (n % 6));
  switch (shape) {
    case "set":
      return d[0] % 3 === 0
        ? { f: "read", invoke: null, ok: list(d[7]) }
        : { f: "add", invoke: d[2], ok: d[2] };
    case "counter":
      return d[0] % 3 === 0
        ? { f: "read", invoke: null, ok: d[2] - 2 }
        : { f: d[0] % 2 ? "add" : "incr", invoke: d[2] - 3, ok: d[2] - 3 };
    case "register": {
      const v = d[2] % 5 === 0 ? null : d[2];
      if (d[0] % 3 === 0) return { f: "read", key, invoke: null, ok: v };
      if (d[0] % 3 === 1) return { f: "write", key, invoke: d[3], ok: d[3] };
      return { f: "cas", key, invoke: [d[3], d[4]], ok: [d[3], d[4]] };
    }
    case "txn": {
      const n = 1 + (d[0] % 3);
      const invoke: unknown[] = [];
      const ok: unknown[] = [];
      for (let i = 0; i < n; i++) {
        const k = KEYS[d[1 + i] % KEYS.length];
        if (d[4 + i] % 2 === 0) {
          invoke.push(["append", k, d[5 + i]]);
          ok.push(["append", k, d[5 + i]]);
        } else {
          invoke.push(["r", k, null]);
          ok.push(["r", k, d.slice(3 + i, 3 + i + (d[7] % 5))]);
        }
      }
      return { f: "txn", invoke, ok };
    }
    case "versions": {
      const version = 1 + d[2];
      return d[0] % 2 === 0
        ? { f: "write", key, invoke: version, ok: version }
        : { f: "read", key, invoke: null, ok: d[3] % 4 === 0 ? null : version };
    }
  }
}

/**
 * Like {@link structurallyValidHistory}, but every client op has the shape a workload of `shape` records (set adds
 * and whole-set reads; counter increments and reads; register reads, writes and compare-and-sets per key; list-append
 * transactions; versioned writes and reads served by nodes), with colliding values drawn at random, so the checker
 * that judges that workload gets past its input checks and into its search and explanations, on valid and invalid
 * histories alike. Completions name the node that served them; the monitor reports leaders. `fresh` makes every
 * list-append element and every written version unique (otherwise they collide and some histories cannot be checked).
 */
export function shapedHistory(
  shape: HistoryShape,
  { maxSteps = 60, minSteps = 0, concurrency = 4, fresh = false } = {},
): fc.Arbitrary<Op[]> {
  return fc.array(shapedStep, { minLength: minSteps, maxLength: maxSteps }).map((steps) => {
    let appended = 100;
    const versions = new Map<string, number>();
    const ops: Op[] = [];
    const procs = Array.from({ length: concurrency }, (_, i) => i);
    const inFlight = new Map<number, Shaped>();
    let time = 0;
    const push = (o: Omit<Op, "index" | "time">): void => {
      ops.push({ index: ops.length, time, ...o } as Op);
    };
    for (const s of steps) {
      time += s.dt;
      const slot = s.pick % (concurrency + 2);
      if (slot === concurrency) {
        push({ process: "nemesis", type: "info", f: "partition", value: null });
        continue;
      }
      if (slot === concurrency + 1) {
        push({ process: "monitor", type: "info", f: "leader", value: s.node });
        continue;
      }
      const p = procs[slot];
      const open = inFlight.get(p);
      if (!open) {
        const shaped = shapedOp(shape, s.draws);
        if (fresh && shape === "txn") {
          // Every append a new element, as the list-append workload writes them.
          for (const [i, mop] of (shaped.invoke as unknown[][]).entries()) {
            if (mop[0] === "append") mop[2] = (shaped.ok as unknown[][])[i][2] = appended++;
          }
        }
        if (fresh && shape === "versions" && shaped.f === "write") {
          // Each key's versions written once, in increasing order, as the follower-reads workload writes them.
          const v = (versions.get(shaped.key!) ?? 0) + 1;
          versions.set(shaped.key!, v);
          shaped.invoke = shaped.ok = v;
        }
        const o: Omit<Op, "index" | "time"> = {
          process: p,
          type: "invoke",
          f: shaped.f,
          value: shaped.invoke,
        };
        if (shaped.key !== undefined) o.key = shaped.key;
        push(o);
        inFlight.set(p, shaped);
        continue;
      }
      if (s.outcome === "invoke") continue; // leave it in flight a while longer
      const value = structuredClone(s.outcome === "ok" ? open.ok : open.invoke);
      const o: Omit<Op, "index" | "time"> = { process: p, type: s.outcome, f: open.f, value, node: s.node };
      if (open.key !== undefined) o.key = open.key;
      if (s.outcome !== "ok") o.error = "boom";
      push(o);
      inFlight.delete(p);
      if (s.outcome === "info") procs[slot] = p + concurrency;
    }
    return ops;
  });
}
