import { describe, expect, it } from "vitest";
import { checkLinearizable } from "../../checkers/linearizable/index.js";
import { h } from "./linearizable-support.js";

const kv = { model: "kv" } as const;
const op = (p: number, f: string, key: string, value: unknown, result: unknown = value) => [
  [p, "invoke", f, f === "get" ? null : value, key] as const,
  [p, "ok", f, result, key] as const,
];

describe("checkLinearizable", () => {
  it("should concatenate appends and read a missing key as empty, with the whole result", () => {
    const r = checkLinearizable(
      h(
        ...op(0, "get", "x", null, null),
        ...op(0, "append", "x", "a"),
        ...op(1, "append", "x", "b"),
        ...op(1, "get", "x", null, "ab"),
        ...op(0, "get", "y", null, ""),
      ),
      kv,
    );
    expect(r).toEqual({
      valid: true,
      model: "kv",
      ops: 5,
      dropped: 0,
      keyCount: 2,
      keys: [
        { key: "x", valid: true, ops: 4 },
        { key: "y", valid: true, ops: 1 },
      ],
    });
  });

  it("should reset a key with put", () => {
    const ok = h(
      ...op(0, "append", "x", "a"),
      ...op(0, "put", "x", "z"),
      ...op(0, "append", "x", "b"),
      ...op(1, "get", "x", null, "zb"),
    );
    expect(checkLinearizable(ok, kv).valid).toBe(true);
    const bad = h(...op(0, "append", "x", "a"), ...op(0, "put", "x", "z"), ...op(1, "get", "x", null, "az"));
    expect(checkLinearizable(bad, kv).valid).toBe(false);
  });

  it("should check keys independently and stop at the first key that is not linearizable", () => {
    const r = checkLinearizable(
      h(
        ...op(0, "append", "x", "a"),
        ...op(1, "append", "y", "b"),
        ...op(2, "get", "y", null, ""),
        ...op(3, "get", "x", null, "b"),
        ...op(3, "append", "z", "c"),
      ),
      kv,
    );
    expect(r).toMatchObject({ valid: false, keyCount: 3, keys: [{ key: "x", valid: false, ops: 2 }] });
    if (r.valid === false) {
      expect(r.anomalies[0]).toMatchObject({ kind: "nonlinearizable", key: "x", ops: [6] });
      expect(r.anomalies[0].explanation).toBe(
        'On key "x", get → "b" — op 6 (process 3, invoked at 6.000 µs, returned at 7.000 µs) — cannot be ' +
          'linearized: every order of the ops before and alongside it leaves key "x" at "a" where it could take ' +
          'effect. Longest linearizable prefix (1 of 2 ops on key "x"): from "": [op 0] append "a" ⇒ "a".',
      );
    }
  });

  it("should let appends of unknown outcome land in any order after their invoke, or not at all", () => {
    const timedOut = (p: number, v: string) => [
      [p, "invoke", "append", v, "x"] as const,
      [p, "info", "append", v, "x", "timeout"] as const,
    ];
    const get = (v: string) => op(9, "get", "x", null, v);
    const base = [...timedOut(0, "a"), ...timedOut(1, "b")];
    for (const seen of ["", "a", "b", "ab", "ba"])
      expect(checkLinearizable(h(...base, ...get(seen)), kv).valid).toBe(true);
    expect(checkLinearizable(h(...base, ...get("aa")), kv).valid).toBe(false);
    expect(checkLinearizable(h(...base, ...get("ab"), ...get("a")), kv).valid).toBe(false);
  });

  it("should give unknown naming the op when a put has no string", () => {
    const r = checkLinearizable(h([0, "invoke", "put", { a: 1 }, "x"], [0, "ok", "put", { a: 1 }, "x"]), kv);
    expect(r.valid).toBe("unknown");
    if (r.valid === "unknown")
      expect(r.reason).toContain('op at index 0 (process 0, f "put"): kv put needs a string value');
  });
});
