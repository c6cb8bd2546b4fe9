import { describe, expect, it } from "vitest";
import { nemesisWords, runTitle } from "../../harness/results/index.js";

describe("nemesisWords / runTitle", () => {
  it("should name a --nemesis choice as given", () => {
    expect(nemesisWords({ nemesis: "kill-leader", schedule: { windows: [{}, {}] } })).toBe("kill-leader");
    expect(runTitle("/x/y", { testName: "set-kill", nemesis: "partition" })).toBe("set-kill (partition)");
  });

  it("should call a run given a schedule file (nemesis none, windows) a schedule, not none", () => {
    const config = { testName: "set-schedule", nemesis: "none", schedule: { windows: [{ fault: "kill" }] } };
    expect(nemesisWords(config)).toBe("schedule of 1 fault");
    expect(runTitle("/x/y", config)).toBe("set-schedule (schedule of 1 fault)");
    expect(nemesisWords({ nemesis: "none", schedule: { windows: [{}, {}, {}] } })).toBe(
      "schedule of 3 faults",
    );
  });

  it("should say none for a run without faults, and nothing without a config", () => {
    expect(nemesisWords({ nemesis: "none", schedule: { windows: [] } })).toBe("none");
    expect(nemesisWords(undefined)).toBeUndefined();
    expect(runTitle("/x/set-none", undefined)).toBe("set-none");
  });
});
