import { describe, expect, it } from "vitest";
import { InputError } from "../../core/errors/index.js";
import {
  FAULT_FAMILIES,
  parseNemesisFlag,
  parseNemesisInterval,
  parseSchedule,
  parseScheduleFile,
} from "../../nemesis/schedule/index.js";

/** The error `fn` throws, asserting it is an InputError (exit 254). */
function inputError(fn: () => unknown): InputError {
  try {
    fn();
  } catch (err) {
    expect(err).toBeInstanceOf(InputError);
    return err as InputError;
  }
  throw new Error("expected an InputError");
}

describe("parseNemesisFlag", () => {
  it("should read families, named faults and none", () => {
    expect(parseNemesisFlag("partition,kill,pause,latency,clock")).toEqual([
      "partition",
      "kill",
      "pause",
      "latency",
      "clock",
    ]);
    expect(parseNemesisFlag(" kill-leader , partition-leader,isolate-node,pause-leader ")).toEqual([
      "kill-leader",
      "partition-leader",
      "isolate-node",
      "pause-leader",
    ]);
    expect(parseNemesisFlag("link,kill,link")).toEqual(["link", "kill"]);
    expect(parseNemesisFlag("none")).toEqual([]);
    expect(parseNemesisFlag(FAULT_FAMILIES.join(","))).toEqual([...FAULT_FAMILIES]);
  });

  it("should name the flag and suggest the closest word for an unknown fault", () => {
    const err = inputError(() => parseNemesisFlag("partition,kil"));
    expect(err.message).toBe('--nemesis: unknown fault "kil" (did you mean "kill"?)');
    expect(err.details).toMatchObject({ flag: "--nemesis" });
    expect(err.hint).toContain("isolate-follower");
    expect(inputError(() => parseNemesisFlag("kill-leadr")).message).toContain('did you mean "kill-leader"');
    expect(inputError(() => parseNemesisFlag("bitflip")).message).toBe('--nemesis: unknown fault "bitflip"');
  });

  it("should reject empty items, an empty list and none mixed with faults", () => {
    expect(inputError(() => parseNemesisFlag("")).message).toBe(
      "--nemesis: names no fault (use none for no faults)",
    );
    expect(inputError(() => parseNemesisFlag("kill,,pause")).message).toBe(
      '--nemesis: item 2 is empty in "kill,,pause"',
    );
    expect(inputError(() => parseNemesisFlag("none,kill")).message).toBe(
      '--nemesis: "none" cannot be combined with other faults in "none,kill"',
    );
  });
});

describe("parseNemesisInterval", () => {
  it("should read durations in ms", () => {
    expect(parseNemesisInterval("10s")).toBe(10_000);
    expect(parseNemesisInterval("500ms")).toBe(500);
    expect(parseNemesisInterval("2m")).toBe(120_000);
    expect(parseNemesisInterval("1.5")).toBe(1_500);
  });

  it("should name the flag for bad values", () => {
    expect(inputError(() => parseNemesisInterval("soon")).message).toBe(
      '--nemesis-interval: must be a duration like 500ms, 10s or 2m, got "soon"',
    );
    expect(inputError(() => parseNemesisInterval("0s")).message).toBe(
      '--nemesis-interval: must be at least 1ms, got "0s"',
    );
    expect(inputError(() => parseNemesisInterval("2h")).message).toBe(
      '--nemesis-interval: must be at most 1h, got "2h"',
    );
    expect(inputError(() => parseNemesisInterval("-3s")).details).toMatchObject({
      flag: "--nemesis-interval",
    });
  });
});

const good = {
  timeLimit: "60s",
  quietPeriod: "5s",
  minDuration: 1000,
  maxDuration: "10s",
  windows: [
    {
      id: "a",
      fault: "partition",
      target: "leader",
      params: { kind: "partition-leader" },
      start: "5s",
      duration: "8s",
    },
    { fault: "kill", target: "random-manager", start: 6000, duration: 2000, seed: 7 },
    {
      fault: "latency",
      target: "n2->n1",
      params: { latency: "200ms", jitter: 20 },
      start: "20s",
      duration: "3s",
    },
    { fault: "clock", target: "s2", params: { mode: "jump", offset: "-30s" }, start: "30s", duration: "5s" },
    {
      fault: "link",
      target: "replication",
      params: { toxic: "slicer", averageSize: 64 },
      start: "40s",
      duration: "5s",
    },
  ],
};

describe("parseSchedule", () => {
  it("should accept durations as strings, fill in defaults and keep explicit values", () => {
    const s = parseSchedule(good, { cluster: { nodes: 3, managers: 3 } });
    expect(s).toMatchObject({
      timeLimit: 60_000,
      quietPeriod: 5_000,
      minDuration: 1_000,
      maxDuration: 10_000,
    });
    expect(s.windows.map((w) => w.id)).toEqual(["a", "f2", "f3", "f4", "f5"]);
    expect(s.windows[0]).toMatchObject({
      params: { kind: "partition-leader", cut: "blackhole" },
      start: 5_000,
    });
    expect(s.windows[1]).toMatchObject({ params: {}, seed: 7 });
    expect(s.windows[2]).toMatchObject({ params: { latency: 200, jitter: 20, stream: "both" } });
    expect(s.windows[3]).toMatchObject({ params: { mode: "jump", offset: -30_000 } });
    expect(s.windows[4]).toMatchObject({
      params: { toxic: "slicer", averageSize: 64, sizeVariation: 0, delay: 0 },
    });
    // Seeds default to a hash of the id: fixed, and different between windows.
    expect(parseSchedule(good).windows[0]!.seed).toBe(s.windows[0]!.seed);
    expect(s.windows[0]!.seed).not.toBe(s.windows[2]!.seed);
  });

  it("should default the bounds of a bare schedule to what cannot reject it", () => {
    expect(parseSchedule({ timeLimit: 1000 })).toEqual({
      timeLimit: 1000,
      quietPeriod: 0,
      minDuration: 1,
      maxDuration: 1000,
      windows: [],
    });
  });

  it("should name the bad field and the file for structural errors", () => {
    const bad = structuredClone(good) as { windows: Record<string, unknown>[] } & Record<string, unknown>;
    bad.windows[1]!.duration = "long";
    bad.windows[2]!.target = "n2-n1";
    bad.windows[3]!.fault = "skew";
    bad.windows[4]!.colour = "red";
    bad.extra = 1;
    const err = inputError(() => parseSchedule(bad, { source: "plan.json" }));
    expect(err.code).toBe("BAD_SCHEDULE");
    expect(err.message).toContain(
      'field "windows[1].duration" in plan.json: must be a whole number of ms or a duration like 500ms or 10s, got "long"',
    );
    expect(err.message).toContain('field "windows[2].target" in plan.json: must be a link selector');
    expect(err.message).toContain(`field "windows[3].fault" in plan.json: Invalid discriminator value`);
    expect(err.message).toContain('field "windows[4].colour" in plan.json: unknown field');
    expect(err.message).toContain('field "extra" in plan.json: unknown field');
  });

  it("should reject a refused one-way cut and a missing time limit, naming the fields", () => {
    const err = inputError(() =>
      parseSchedule({
        windows: [
          {
            fault: "partition",
            target: "n2",
            params: { kind: "one-way", to: "n1", cut: "refuse" },
            start: 0,
            duration: 1,
          },
        ],
      }),
    );
    expect(err.message).toContain('field "timeLimit"');
    expect(err.message).toContain('field "windows[0].params.cut": a one-way cut can only blackhole');
  });

  it("should name the field of each broken invariant", () => {
    const err = inputError(() =>
      parseSchedule(
        {
          timeLimit: "20s",
          quietPeriod: "5s",
          maxDuration: "4s",
          windows: [
            { fault: "kill", target: "leader", start: "2s", duration: "3s" },
            { fault: "pause", target: "random-follower", start: "4s", duration: "1s" },
            { fault: "pause", target: "n7", start: "1s", duration: "5s" },
            {
              id: "f1",
              fault: "partition",
              target: "n1",
              params: { kind: "partition-halves" },
              start: "13s",
              duration: "3s",
            },
          ],
        },
        { source: "plan.json", cluster: { nodes: 3, managers: 3 } },
      ),
    );
    const m = err.message;
    expect(m).toContain(
      'field "windows[1]" in plan.json: f2 (pause) overlaps f1 (kill, windows[0]): both may act on one process (leader, random-follower)',
    );
    expect(m).toContain(
      'field "windows[2].start" in plan.json: windows must be in start order, but 1000 < 4000',
    );
    expect(m).toContain('field "windows[2].duration" in plan.json: must lie in [1, 4000] ms, got 5000');
    expect(m).toContain('field "windows[2].target" in plan.json: n7 is not in the cluster');
    expect(m).toContain('field "windows[3].id" in plan.json: "f1" is already the id of windows[0]');
    expect(m).toContain(
      'field "windows[3].target" in plan.json: partition-halves splits every server, so its target is "all", got "n1"',
    );
    expect(m).toContain(
      'field "windows[3].duration" in plan.json: the fault must stop by 15000 ms (time limit 20000 − quiet period 5000), but stops at 16000',
    );
  });
});

describe("parseScheduleFile", () => {
  it("should parse a JSON file", () => {
    expect(parseScheduleFile(JSON.stringify(good), { source: "plan.json" }).windows).toHaveLength(5);
  });

  it("should name the file on a syntax error", () => {
    const err = inputError(() => parseScheduleFile("{ timeLimit: 1 }", { source: "plan.json" }));
    expect(err.message).toMatch(/^plan\.json is not valid JSON: /);
  });
});
