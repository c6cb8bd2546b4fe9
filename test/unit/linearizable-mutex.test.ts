import { describe, expect, it } from "vitest";
import { checkLinearizable, createMutexModel } from "../../checkers/linearizable/index.js";
import { h } from "./linearizable-support.js";

const mutex = { model: "mutex" } as const;

describe("createMutexModel", () => {
  it("should find a lock taken and given back in turn valid", () => {
    const r = checkLinearizable(
      h(
        [0, "invoke", "acquire"],
        [0, "ok", "acquire"],
        [1, "invoke", "acquire"],
        [0, "invoke", "release"],
        [0, "ok", "release"],
        [1, "ok", "acquire"],
      ),
      mutex,
    );
    expect(r).toMatchObject({ valid: true, model: "mutex", ops: 3, dropped: 0 });
  });

  it("should find two clients holding the lock at once invalid, naming the acquire", () => {
    const r = checkLinearizable(
      h([0, "invoke", "acquire"], [0, "ok", "acquire"], [1, "invoke", "acquire"], [1, "ok", "acquire"]),
      mutex,
    );
    expect(r.valid).toBe(false);
    if (r.valid === false) {
      expect(r.counterexample?.op).toMatchObject({ index: 2, description: "acquire" });
      expect(r.anomalies[0].explanation).toContain("held");
    }
  });

  it("should find a release of a free lock invalid, and a failed one no evidence", () => {
    expect(checkLinearizable(h([0, "invoke", "release"], [0, "ok", "release"]), mutex).valid).toBe(false);
    const failed = h([0, "invoke", "release"], [0, "fail", "release", undefined, undefined, ":not-held"]);
    expect(checkLinearizable(failed, mutex)).toMatchObject({ valid: true, dropped: 1 });
  });

  it("should let an acquire of unknown outcome have happened or not", () => {
    const taken = h(
      [0, "invoke", "acquire"],
      [0, "info", "acquire"],
      [1, "invoke", "release"],
      [1, "ok", "release"],
    );
    expect(checkLinearizable(taken, mutex).valid).toBe(true);
    const notTaken = h(
      [0, "invoke", "acquire"],
      [0, "info", "acquire"],
      [1, "invoke", "acquire"],
      [1, "ok", "acquire"],
    );
    expect(checkLinearizable(notTaken, mutex).valid).toBe(true);
  });

  it("should start held when the initial state is true, and refuse any other initial state", () => {
    const release = h([0, "invoke", "release"], [0, "ok", "release"]);
    expect(checkLinearizable(release, { model: "mutex", initial: true }).valid).toBe(true);
    expect(() => createMutexModel({ initial: "yes" })).toThrow(
      'mutex\'s initial state must be true (held) or false (free), got "yes"',
    );
  });
});
