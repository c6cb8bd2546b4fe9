import { afterEach, describe, expect, it, vi } from "vitest";
import { manualClock } from "../../core/clock/index.js";
import { openHistoryWriter } from "../../core/history/index.js";
import { progressLine, startProgress, tallyHistory } from "../../harness/runner/index.js";

/** A history in memory with a tally kept from it. */
function tallied() {
  const clock = manualClock();
  const history = openHistoryWriter({ clock });
  return { clock, history, tally: tallyHistory(history) };
}

describe("tallyHistory", () => {
  it("should count client completions, follow the monitor's leader and the faults started and not stopped", () => {
    const { history, tally } = tallied();
    history.append({ process: 0, type: "invoke", f: "add", value: 1 });
    history.append({ process: 0, type: "ok", f: "add", value: 1 });
    history.append({ process: 1, type: "invoke", f: "add", value: 2 });
    history.append({ process: 1, type: "fail", f: "add", value: 2 });
    history.append({ process: 2, type: "invoke", f: "add", value: 3 });
    history.append({ process: 2, type: "info", f: "add", value: 3 });
    history.append({ process: "monitor", type: "info", f: "leader", value: "n1" });
    expect(tally).toMatchObject({ ok: 1, fail: 1, info: 1, leader: "n1" });
    expect([...tally.faults]).toEqual([]);

    // A fault counts as active from its ok start to its ok stop; an invoke alone changes nothing.
    history.append({ process: "nemesis", type: "invoke", f: "start-partition-leader", value: null });
    expect([...tally.faults]).toEqual([]);
    history.append({ process: "nemesis", type: "ok", f: "start-partition-leader", value: { leader: "n1" } });
    expect([...tally.faults]).toEqual(["partition-leader"]);
    history.append({ process: "monitor", type: "info", f: "leader", value: null });
    expect(tally.leader).toBeNull();
    history.append({ process: "monitor", type: "info", f: "leader", value: "n2" });
    history.append({ process: "nemesis", type: "invoke", f: "stop-partition-leader", value: null });
    history.append({ process: "nemesis", type: "ok", f: "stop-partition-leader", value: null });
    expect(tally).toMatchObject({ ok: 1, fail: 1, info: 1, leader: "n2" });
    expect([...tally.faults]).toEqual([]);
  });

  it("should know the leader the monitor named before the tally subscribed (a store whose monitor answers at once)", () => {
    const clock = manualClock();
    const history = openHistoryWriter({ clock });
    history.append({ process: "monitor", type: "info", f: "leader", value: "n2" });
    expect(tallyHistory(history).leader).toBe("n2");
  });
});

describe("progressLine", () => {
  it("should show elapsed / limit, ok / fail / info, the leader and the active faults", () => {
    const tally = { ok: 812, fail: 3, info: 2, leader: "n2", faults: new Set(["partition-leader"]) };
    expect(progressLine(tally, 7249, 20_000)).toBe(
      "   7.2s / 20s  ok 812  fail 3  info 2  leader n2  faults partition-leader",
    );
    expect(progressLine({ ok: 0, fail: 0, info: 0, leader: null, faults: new Set() }, 0, 10_000)).toBe(
      "   0.0s / 10s  ok 0  fail 0  info 0  leader ?  faults none",
    );
  });
});

describe("startProgress", () => {
  afterEach(() => void vi.useRealTimers());

  it("should print a plain line every 5 s when not on a terminal, and a last one on stop", () => {
    vi.useFakeTimers();
    const { clock, history, tally } = tallied();
    const out: string[] = [];
    const p = startProgress({
      tally,
      clock,
      startNs: 0,
      limitMs: 10_000,
      sink: { write: (t) => out.push(t) },
    });
    history.append({ process: "monitor", type: "info", f: "leader", value: "n1" });
    clock.advance(5e9);
    vi.advanceTimersByTime(5000);
    expect(out).toEqual(["faultline:    5.0s / 10s  ok 0  fail 0  info 0  leader n1  faults none\n"]);
    // Elapsed never shows past the limit (the final phase runs after it).
    clock.advance(7e9);
    p.stop();
    p.stop();
    expect(out.slice(1)).toEqual([
      "faultline:   10.0s / 10s  ok 0  fail 0  info 0  leader n1  faults none\n",
    ]);
    vi.advanceTimersByTime(20_000);
    expect(out).toHaveLength(2);
  });

  it("should rewrite one line in place 4 times a second on a terminal, ending it with a newline on stop", () => {
    vi.useFakeTimers();
    const { clock, tally } = tallied();
    const out: string[] = [];
    const p = startProgress({
      tally,
      clock,
      startNs: 0,
      limitMs: 20_000,
      sink: { write: (t) => out.push(t), isTTY: true },
    });
    clock.advance(1e9);
    vi.advanceTimersByTime(1000);
    expect(out).toHaveLength(4);
    // Carriage return, then ANSI "erase the line", then the line.
    const erase = "\r\u001b[2K";
    for (const line of out) expect(line.startsWith(`${erase}   1.0s / 20s  ok 0`), line).toBe(true);
    p.stop();
    expect(out.at(-1)).toBe(`${erase}   1.0s / 20s  ok 0  fail 0  info 0  leader ?  faults none\n`);
  });
});
