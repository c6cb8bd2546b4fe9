import { describe, expect, it } from "vitest";
import { REDIS_OPS } from "../../stores/redis-sentinel/index.js";
import { createRandom } from "../../core/random/index.js";
import { setWorkload, workloadByName, type Invocation } from "../../workloads/index.js";

describe("setWorkload", () => {
  it("should generate add 0, 1, 2, … on one key whatever process asks", () => {
    const w = setWorkload({ key: "k" });
    let state = w.generator.initial;
    const ops: Invocation[] = [];
    for (let p = 0; p < 6; p++) {
      const step = w.generator.next(state, { process: p % 3, random: createRandom(p) });
      ops.push(step.op);
      state = step.state;
    }
    expect(ops).toEqual([0, 1, 2, 3, 4, 5].map((v) => ({ f: "add", key: "k", value: v })));
  });

  it("should be pure: the same state gives the same op and does not change", () => {
    const g = setWorkload().generator;
    const a = g.next(41, { process: 0, random: createRandom(1) });
    const b = g.next(41, { process: 7, random: createRandom(2) });
    expect(a).toEqual(b);
    expect(a.state).toBe(42);
  });

  it("should read the whole set at the end and be judged by the set checker", () => {
    const w = setWorkload();
    expect(w.finalReads).toEqual([{ f: "read", key: "faultline:set", value: null }]);
    expect(w.checkers).toEqual([{ name: "set", options: {} }]);
    expect(workloadByName("set")?.name).toBe("set");
    expect(workloadByName("nope")).toBeUndefined();
  });

  it("should perform add with SADD and read with SMEMBERS, as sorted numbers", async () => {
    const calls: string[][] = [];
    const leader = {
      sadd: (k: string, v: string) => (calls.push(["sadd", k, v]), Promise.resolve(1)),
      smembers: (k: string) => (calls.push(["smembers", k]), Promise.resolve(["10", "2", "7"])),
    };
    const w = setWorkload({ key: "s" });
    const session = { leader } as never;
    expect(await REDIS_OPS[w.name]!(session, { f: "add", key: "s", value: 5 })).toBe(5);
    expect(await REDIS_OPS[w.name]!(session, { f: "read", key: "s", value: null })).toEqual([2, 7, 10]);
    expect(calls).toEqual([
      ["sadd", "s", "5"],
      ["smembers", "s"],
    ]);
    await expect(REDIS_OPS[w.name]!(session, { f: "cas", value: 1 })).rejects.toThrow(/no op "cas"/);
  });
});
