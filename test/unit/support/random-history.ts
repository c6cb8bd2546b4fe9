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
