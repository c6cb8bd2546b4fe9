import { describe, expect, it } from "vitest";
import { createRandom } from "../../core/random/index.js";
import {
  counterGenerator,
  followerReadsGenerator,
  listAppendGenerator,
  registerGenerator,
  setGenerator,
  type Invocation,
  type OpGenerator,
} from "../../workloads/index.js";

/** Runs a generator `n` steps with one seeded random stream; returns the ops and every state it went through. */
function drive<S>(g: OpGenerator<S>, n: number, seed = 1): { ops: Invocation[]; states: S[] } {
  const random = createRandom(seed);
  const ops: Invocation[] = [];
  const states: S[] = [g.initial];
  let state = g.initial;
  for (let i = 0; i < n; i++) {
    const step = g.next(state, { process: i % 4, random });
    ops.push(step.op);
    states.push((state = step.state));
  }
  return { ops, states };
}

/** A generator is pure: the same state and seed give the same op and next state, and the state is not mutated. */
function expectPure<S>(g: OpGenerator<S>): void {
  const { states } = drive(g, 50);
  const mid = states[25]!;
  const frozen = JSON.stringify(mid);
  const a = g.next(mid, { process: 0, random: createRandom(9) });
  const b = g.next(mid, { process: 3, random: createRandom(9) });
  expect(a).toEqual(b);
  expect(JSON.stringify(mid)).toBe(frozen);
  expect(drive(g, 200, 4).ops).toEqual(drive(g, 200, 4).ops);
}

describe("setGenerator", () => {
  it("should add 0, 1, 2, … and read every k-th op when readEvery is k", () => {
    const { ops } = drive(setGenerator("s", 3), 9);
    expect(ops).toEqual([
      { f: "add", key: "s", value: 0 },
      { f: "add", key: "s", value: 1 },
      { f: "read", key: "s", value: null },
      { f: "add", key: "s", value: 2 },
      { f: "add", key: "s", value: 3 },
      { f: "read", key: "s", value: null },
      { f: "add", key: "s", value: 4 },
      { f: "add", key: "s", value: 5 },
      { f: "read", key: "s", value: null },
    ]);
  });

  it("should only add when readEvery is 0, its state being the next value", () => {
    const { ops, states } = drive(setGenerator("s"), 5);
    expect(ops.map((o) => o.value)).toEqual([0, 1, 2, 3, 4]);
    expect(states.at(-1)).toBe(5);
    expectPure(setGenerator("s", 4));
  });
});

describe("registerGenerator", () => {
  const options = { keys: ["r0", "r1", "r2"], readFraction: 0.4, writeFraction: 0.3 };

  it("should write every value at most once, and cas from the last value it gave the key", () => {
    const { ops } = drive(registerGenerator(options), 2000);
    const written = ops.flatMap((o) =>
      o.f === "write" ? [o.value as number] : o.f === "cas" ? [(o.value as number[])[1]!] : [],
    );
    expect(new Set(written).size).toBe(written.length);
    const last = new Map<string, number>();
    for (const o of ops) {
      expect(options.keys).toContain(o.key);
      if (o.f === "read") expect(o.value).toBeNull();
      if (o.f === "cas") {
        const [expected, next] = o.value as [number, number];
        expect(expected).toBe(last.get(o.key!));
        last.set(o.key!, next);
      }
      if (o.f === "write") last.set(o.key!, o.value as number);
    }
  });

  it("should never cas a key nothing was written to yet, and mix ops in about the asked fractions", () => {
    const { ops } = drive(registerGenerator(options), 3000);
    const seen = new Set<string>();
    for (const o of ops) {
      if (o.f === "cas") expect(seen.has(o.key!)).toBe(true);
      if (o.f !== "read") seen.add(o.key!);
    }
    const share = (f: string) => ops.filter((o) => o.f === f).length / ops.length;
    expect(share("read")).toBeCloseTo(0.4, 1);
    expect(share("write")).toBeCloseTo(0.3, 1);
    expect(share("cas")).toBeCloseTo(0.3, 1);
    expectPure(registerGenerator(options));
  });
});

describe("listAppendGenerator", () => {
  const options = { activeKeys: 3, maxTxnLength: 4, maxAppendsPerKey: 5, readFraction: 0.5 };

  it("should make transactions of 1…maxTxnLength micro-ops of the checker's shapes", () => {
    const { ops } = drive(listAppendGenerator(options), 500);
    const lengths = new Set<number>();
    for (const o of ops) {
      expect(o.f).toBe("txn");
      const mops = o.value as unknown[][];
      lengths.add(mops.length);
      for (const m of mops) {
        expect(m).toHaveLength(3);
        expect(Number.isInteger(m[1])).toBe(true);
        if (m[0] === "r") expect(m[2]).toBeNull();
        else expect(m[0]).toBe("append");
      }
    }
    expect([...lengths].sort()).toEqual([1, 2, 3, 4]);
  });

  it("should append 1, 2, 3, … per key, each once, and retire a key after maxAppendsPerKey", () => {
    const { ops, states } = drive(listAppendGenerator(options), 500);
    const perKey = new Map<number, number[]>();
    for (const o of ops) {
      for (const [f, k, e] of o.value as [string, number, number | null][]) {
        if (f === "append") perKey.set(k, [...(perKey.get(k) ?? []), e!]);
      }
    }
    for (const [, elements] of perKey) {
      expect(elements).toEqual(elements.map((_, i) => i + 1));
      expect(elements.length).toBeLessThanOrEqual(8); // one txn may pass the limit by up to 3 appends
    }
    const full = [...perKey.values()].filter((e) => e.length >= options.maxAppendsPerKey).length;
    expect(full).toBeGreaterThan(10);
    const end = states.at(-1)!;
    expect(end.active).toHaveLength(3);
    expect(end.nextKey).toBe(3 + full);
    expectPure(listAppendGenerator(options));
  });
});

describe("counterGenerator", () => {
  it("should increment by 1…maxDelta and read with null", () => {
    const { ops } = drive(counterGenerator({ keys: ["c0", "c1"], readFraction: 0.3, maxDelta: 5 }), 1000);
    const deltas = new Set(ops.filter((o) => o.f === "incr").map((o) => o.value));
    expect([...deltas].sort()).toEqual([1, 2, 3, 4, 5]);
    for (const o of ops) {
      expect(["c0", "c1"]).toContain(o.key);
      if (o.f === "read") expect(o.value).toBeNull();
    }
    expect(ops.filter((o) => o.f === "read").length / ops.length).toBeCloseTo(0.3, 1);
    expectPure(counterGenerator({ keys: ["c0"], readFraction: 0.3, maxDelta: 5 }));
  });
});

describe("followerReadsGenerator", () => {
  const options = { keys: ["v0", "v1"], readFraction: 0.6, followerFraction: 0.75 };

  it("should write versions 1, 2, 3, … per key in generation order", () => {
    const { ops } = drive(followerReadsGenerator(options), 1000);
    for (const key of options.keys) {
      const versions = ops.filter((o) => o.f === "write" && o.key === key).map((o) => o.value);
      expect(versions).toEqual(versions.map((_, i) => i + 1));
    }
  });

  it("should route reads to followers and the leader in about the asked fractions", () => {
    const { ops } = drive(followerReadsGenerator(options), 3000);
    const reads = ops.filter((o) => o.f === "read");
    for (const r of reads) expect(r.value).toBeNull();
    expect(reads.length / ops.length).toBeCloseTo(0.6, 1);
    expect(reads.filter((r) => r.route === "follower").length / reads.length).toBeCloseTo(0.75, 1);
    expect(ops.filter((o) => o.f === "write").every((o) => o.route === undefined)).toBe(true);
    expectPure(followerReadsGenerator(options));
  });
});
