import fc from "fast-check";
import { describe, expect, it } from "vitest";
import type { Op } from "../../checkers/history/index.js";
import { checkLinearizable } from "../../checkers/linearizable/index.js";
import { oracleLinearizable } from "./linearizable-reference.js";
import type { OracleModel } from "./linearizable-reference.js";

/**
 * The checker against a brute-force oracle on small random histories: arbitrary results (so about half are not
 * linearizable), heavy overlap, many ops of unknown outcome and never-completed invokes, two keys. Any verdict
 * that differs is a false alarm or a missed violation.
 */

type Shape = {
  f: number;
  key: number;
  a: number;
  b: number;
  res: number;
  type: "ok" | "fail" | "info" | "pending";
  error: boolean;
  start: number;
  duration: number;
};

const shape = fc.record<Shape>({
  f: fc.nat(),
  key: fc.nat(1),
  a: fc.nat(3),
  b: fc.nat(3),
  res: fc.nat(5),
  type: fc.constantFrom("ok", "ok", "ok", "fail", "info", "pending"),
  error: fc.boolean(),
  start: fc.nat(12),
  duration: fc.nat(8),
});

const STRINGS = ["", "a", "b", "ab", "ba", "aa"];

function args(model: OracleModel, f: string, s: Shape): unknown {
  switch (f) {
    case "write":
      return s.a;
    case "cas":
      return [s.a === 3 ? null : s.a, s.b];
    case "put":
    case "append":
      return s.a % 2 === 0 ? "a" : "b";
    case "add":
      return model === "set" ? s.a : 1 + (s.a % 2);
    case "incr":
      return s.a % 2 === 0 ? null : 2;
    default:
      return null;
  }
}

function result(model: OracleModel, s: Shape): unknown {
  switch (model) {
    case "kv":
      return s.res === 5 ? null : STRINGS[s.res];
    case "set":
      return [0, 1, 2, 3].filter((x) => (s.res + 1) & (1 << x) && x < 3);
    case "counter":
      return s.res === 5 ? null : s.res;
    default:
      return s.res >= 4 ? null : s.res;
  }
}

const FS: Record<OracleModel, string[]> = {
  register: ["read", "write"],
  "cas-register": ["read", "write", "cas"],
  kv: ["get", "put", "append"],
  set: ["read", "add"],
  counter: ["read", "incr", "add"],
};

/** One process per op (so any overlap is possible); events sorted by time, ties in any order. */
function build(model: OracleModel, shapes: Shape[]): Op[] {
  const events: { time: number; op: Omit<Op, "index"> }[] = [];
  shapes.forEach((s, p) => {
    const f = FS[model][s.f % FS[model].length];
    const key = String(s.key);
    const value = args(model, f, s);
    events.push({
      time: s.start * 10,
      op: { time: s.start * 10, process: p, type: "invoke", f, key, value },
    });
    if (s.type === "pending") return;
    const end = (s.start + s.duration) * 10;
    const done: Omit<Op, "index"> = { time: end, process: p, type: s.type, f, key, value };
    if (s.type === "ok" && (f === "read" || f === "get")) done.value = result(model, s);
    if (s.type !== "ok" && s.error) done.error = "timeout";
    events.push({ time: end, op: done });
  });
  events.sort((x, y) => x.time - y.time);
  return events.map((e, index) => ({ index, ...e.op }));
}

const MODELS: OracleModel[] = ["register", "cas-register", "kv", "set", "counter"];

describe("checkLinearizable", () => {
  for (const model of MODELS) {
    it(`should agree with a brute-force oracle when given random small ${model} histories`, () => {
      let valid = 0;
      let invalid = 0;
      fc.assert(
        fc.property(fc.array(shape, { minLength: 1, maxLength: 7 }), (shapes) => {
          const history = build(model, shapes);
          const expected = oracleLinearizable(history, model);
          const r = checkLinearizable(history, { model });
          if (expected) valid++;
          else invalid++;
          expect(r.valid).toBe(expected);
        }),
        { numRuns: 3000 },
      );
      // The generator must exercise both verdicts, or the property proves little.
      process.stdout.write(`${model}: ${valid} linearizable, ${invalid} not\n`);
      expect(valid).toBeGreaterThan(300);
      expect(invalid).toBeGreaterThan(300);
    });
  }
});
