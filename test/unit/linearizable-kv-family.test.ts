import { describe, expect, it } from "vitest";
import { checkLinearizable, kvModel } from "../../checkers/linearizable/index.js";
import type { KvInput, KvOutput, KvState } from "../../checkers/linearizable/index.js";
import { generateKvHistory } from "../property/support/kv-history.js";
import { h } from "./linearizable-support.js";
import type { Line } from "./linearizable-support.js";

/** Applies ops to the kv model from its initial state (all legal). */
function run(...ops: [input: KvInput, output: KvOutput][]): KvState {
  let s = kvModel.init();
  for (const [input, output] of ops) {
    const r = kvModel.step(s, input, output);
    if (!r.ok) throw new Error("illegal");
    s = r.state;
  }
  return s;
}

const call = (f: string, args: unknown, result?: unknown) => ({
  f,
  key: "k",
  args,
  result,
  type: "ok" as const,
  error: undefined,
});
const op = (f: string, args: unknown, result?: unknown): [KvInput, KvOutput] => {
  const o = kvModel.operation(call(f, args, result))!;
  return [o.input, o.output];
};

describe("kvModel", () => {
  it("should hash equal strings alike however they were built, and orders of the same appends apart", () => {
    const ab = run(op("append", "a"), op("append", "b"));
    const ba = run(op("append", "b"), op("append", "a"));
    const put = run(op("put", "ab"));
    expect(kvModel.equal(ab, put)).toBe(true);
    expect(kvModel.hash(ab)).toBe(kvModel.hash(put));
    expect(kvModel.equal(ab, ba)).toBe(false);
    expect(kvModel.hash(ab)).not.toBe(kvModel.hash(ba));
  });

  it("should make every string holding a value no get returns one state, from which no get is legal", () => {
    const ops = [op("append", "a"), op("append", "b"), op("get", null, "a"), op("put", "z")];
    const inputs = ops.map(([i]) => i);
    const outputs = ops.map(([, o]) => o);
    kvModel.refine(inputs, outputs);
    // "b" and "z" are in no get's result; "a" is.
    const [a, b, get, z] = inputs.map((input, i): [KvInput, KvOutput] => [input, outputs[i]]);
    const ab = run(a, b);
    const ba = run(b, a);
    expect(kvModel.equal(ab, ba)).toBe(true);
    expect(kvModel.hash(ab)).toBe(kvModel.hash(ba));
    expect(kvModel.describeState(ab)).toBe('"ab"');
    expect(kvModel.equal(run(z), ab)).toBe(true);
    expect(kvModel.step(run(a), get[0], get[1]).ok).toBe(true);
    expect(kvModel.step(ab, get[0], get[1]).ok).toBe(false);
    expect(kvModel.step(run(z), op("get", null, "z")[0], op("get", null, "z")[1]).ok).toBe(false);
  });

  it("should make a string that starts no get result unread, whatever order its appends came in", () => {
    const ops = [op("append", "a"), op("append", "b"), op("put", "P"), op("get", null, "Pab")];
    const inputs = ops.map(([i]) => i);
    const outputs = ops.map(([, o]) => o);
    kvModel.refine(inputs, outputs);
    const [a, b, put] = inputs.map((input, i): [KvInput, KvOutput] => [input, outputs[i]]);
    // "a", "ab", "b", "ba" start no result ("Pab"); "P", "Pa", "Pab" do.
    expect(run(a).unread).toBe(true);
    expect(kvModel.equal(run(a, b), run(b, a))).toBe(true);
    expect(kvModel.hash(run(a, b))).toBe(kvModel.hash(run(b, a)));
    expect(run(put).unread).toBe(false);
    expect(run(put, a).unread).toBe(false);
    expect(run(put, b).unread).toBe(true);
    expect(kvModel.step(run(put, a, b), ops[3][0], outputs[3]).ok).toBe(true);
  });

  it("should say a get can no longer be legal only when the string is not a prefix of what it read", () => {
    const [gi, go] = op("get", null, "xyz");
    expect(kvModel.reaches(run(op("append", "xy")), gi, go)).toBe(true);
    expect(kvModel.reaches(run(), gi, go)).toBe(true);
    expect(kvModel.reaches(run(op("append", "y")), gi, go)).toBe(false);
    expect(kvModel.reaches(run(op("append", "xyzw")), gi, go)).toBe(false);
  });
});

describe("checkLinearizable", () => {
  it("should find a generated 50-client kv history linearizable", () => {
    const { history } = generateKvHistory({ seed: 1, clients: 50, keys: 10, opsPerClient: 40 });
    expect(history).toHaveLength(4000);
    const r = checkLinearizable(history, { model: "kv", timeLimitMs: 20_000 });
    expect(r).toMatchObject({ valid: true, keyCount: 10, ops: 2000 });
  });

  it("should find a generated 50-client kv history invalid on its key when one get lost an append", () => {
    const { history, violation } = generateKvHistory({
      seed: 2,
      clients: 50,
      keys: 10,
      opsPerClient: 40,
      violation: true,
    });
    const r = checkLinearizable(history, { model: "kv", timeLimitMs: 20_000 });
    expect(r.valid).toBe(false);
    if (r.valid === false) expect(r.counterexample?.key).toBe(violation!.key);
  });

  it("should decide the generated 100-client kv histories with default settings: valid, and invalid on its key", () => {
    const ok = generateKvHistory({ seed: 1, clients: 100, keys: 10, opsPerClient: 40 });
    expect(checkLinearizable(ok.history, { model: "kv" })).toMatchObject({
      valid: true,
      keyCount: 10,
      ops: 4000,
    });
    const bad = generateKvHistory({ seed: 2, clients: 100, keys: 10, opsPerClient: 40, violation: true });
    const r = checkLinearizable(bad.history, { model: "kv" });
    expect(r.valid).toBe(false);
    if (r.valid === false) expect(r.counterexample?.key).toBe(bad.violation!.key);
  }, 120_000);

  it("should not try every order of appends that a concurrent put overwrites (counted in clock readings)", () => {
    // Eight appends and a put, all concurrent (the appends invoked first, so the search tries them first); a get then
    // reads the put's value followed by every token in reverse order. Before the put, every order of the appends
    // makes a different string (109,600 sequences; about 5,000 clock readings to try them all); none starts the
    // get's result, so they are all one state (about 45 readings).
    const tokens = ["a", "b", "c", "d", "e", "f", "g", "h"];
    const lines: Line[] = tokens.map((t, p) => [p, "invoke", "append", t, "k"]);
    lines.push([8, "invoke", "put", "P", "k"]);
    tokens.forEach((t, p) => lines.push([p, "ok", "append", t, "k"]));
    lines.push([8, "ok", "put", "P", "k"]);
    lines.push([9, "invoke", "get", null, "k"], [9, "ok", "get", "P" + [...tokens].reverse().join(""), "k"]);
    let reads = 0;
    const now = (): number => reads++; // the search reads the clock once every 256 steps
    const r = checkLinearizable(h(...lines), { model: "kv", timeLimitMs: 200, now });
    expect(r).toMatchObject({ valid: true, keyCount: 1, ops: 10 });
  });

  it("should not try every subset of appends no get can read before proving a key invalid (counted in clock readings)", () => {
    // 40 concurrent appends of strings no get contains, then a get of "Q", which nobody wrote. Every string the
    // appends make is unread, and unread they change nothing, so the search takes them at once rather than trying
    // each of the 2⁴⁰ subsets of them in turn before the get (too far ahead for the lookahead to see).
    const lines: Line[] = [];
    for (let p = 0; p < 40; p++) lines.push([p, "invoke", "append", `u${p}`, "k"]);
    for (let p = 0; p < 40; p++) lines.push([p, "ok", "append", `u${p}`, "k"]);
    lines.push([40, "invoke", "get", null, "k"], [40, "ok", "get", "Q", "k"]);
    let reads = 0;
    const now = (): number => reads++; // the search reads the clock once every 256 steps
    const r = checkLinearizable(h(...lines), { model: "kv", timeLimitMs: 200, now });
    expect(r).toMatchObject({ valid: false, keyCount: 1, ops: 41 });
  });

  it("should find an easy invalid key even when an earlier key is too hard to finish in time", () => {
    // Key "hard": 30 concurrent writes and a read of a value nobody wrote (about 30·2²⁹ configurations).
    const lines: Line[] = [];
    for (let p = 0; p < 30; p++) lines.push([p, "invoke", "write", p + 1, "hard"]);
    lines.push([30, "invoke", "read", null, "hard"], [30, "ok", "read", 999, "hard"]);
    for (let p = 0; p < 30; p++) lines.push([p, "ok", "write", p + 1, "hard"]);
    // Key "easy": a stale read.
    lines.push([40, "invoke", "write", 1, "easy"], [40, "ok", "write", 1, "easy"]);
    lines.push([41, "invoke", "read", null, "easy"], [41, "ok", "read", null, "easy"]);
    let reads = 0;
    const now = (): number => reads++; // one "ms" per clock reading
    const r = checkLinearizable(h(...lines), { model: "register", timeLimitMs: 2_000, now });
    expect(r).toMatchObject({ valid: false, keys: [{ key: "easy", valid: false, ops: 2 }] });
    if (r.valid === false) expect(r.anomalies[0]).toMatchObject({ key: "easy", ops: [64] });
  });
});
