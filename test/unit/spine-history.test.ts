import { getEventListeners } from "node:events";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { parseHistory, validateHistory } from "../../checkers/history/index.js";
import { manualClock } from "../../core/clock/index.js";
import { openHistoryWriter } from "../../core/history/index.js";
import { noopClient, type Client, type Completion } from "../../core/clients/index.js";
import { createRandom } from "../../core/random/index.js";
import { runWorkers, staggerMs } from "../../harness/runner/index.js";
import { setWorkload } from "../../workloads/index.js";
import { tempDir } from "./support/temp-dir.js";

const tmp = (): string => join(tempDir("faultline-history-"), "history.jsonl");

describe("openHistoryWriter", () => {
  it("should stamp index and time and, flushing per entry, put each line on disk before append returns", () => {
    const clock = manualClock(5);
    const path = tmp();
    const h = openHistoryWriter({ path, clock, flush: "entry" });
    h.append({ process: 0, type: "invoke", f: "add", key: "s", value: 1 });
    clock.advance(10);
    h.append({ process: 0, type: "ok", f: "add", key: "s", value: 1, node: "n1" });
    // Not closed yet: a crash now must still leave both lines.
    expect(readFileSync(path, "utf8")).toBe(
      '{"index":0,"time":5,"process":0,"type":"invoke","f":"add","key":"s","value":1}\n' +
        '{"index":1,"time":15,"process":0,"type":"ok","f":"add","key":"s","value":1,"node":"n1"}\n',
    );
    h.close();
    h.close();
    expect(() => h.append({ process: 0, type: "invoke", f: "add", value: 2 })).toThrow(/closed/);
  });

  it("should, by default, write a turn's entries at the end of that turn, before any I/O", async () => {
    const path = tmp();
    const h = openHistoryWriter({ path, clock: manualClock() });
    h.append({ process: 0, type: "invoke", f: "add", value: 1 });
    h.append({ process: 0, type: "info", f: "add", value: 1, error: "timeout" });
    expect(readFileSync(path, "utf8")).toBe("");
    await new Promise((r) => setImmediate(r));
    expect(parseHistory(readFileSync(path, "utf8")).history.map((o) => o.type)).toEqual(["invoke", "info"]);
    h.close();
  });

  it("should batch by time when told to and write everything on close", () => {
    const path = tmp();
    const h = openHistoryWriter({ path, clock: manualClock(), flush: 10_000 });
    for (let i = 0; i < 3; i++) h.append({ process: "monitor", type: "info", f: "leader", value: `n${i}` });
    expect(readFileSync(path, "utf8")).toBe("");
    h.close();
    expect(parseHistory(readFileSync(path, "utf8")).history.map((o) => o.value)).toEqual(["n0", "n1", "n2"]);
  });

  it("should tell subscribers about every entry until they unsubscribe", () => {
    const h = openHistoryWriter({ clock: manualClock() });
    const seen: number[] = [];
    const off = h.subscribe((op) => seen.push(op.index));
    h.append({ process: "nemesis", type: "invoke", f: "start-kill-leader", value: null });
    off();
    h.append({ process: "nemesis", type: "ok", f: "start-kill-leader", value: null });
    expect(seen).toEqual([0]);
    expect(h.ops).toHaveLength(2);
  });
});

/** A client that answers from a script: one completion per invoke, in order. */
function scripted(script: Completion["type"][]): () => Client {
  let i = 0;
  return () => ({
    ...noopClient(),
    invoke: (op) => {
      const type = script[i++ % script.length]!;
      return Promise.resolve(
        type === "ok" ? { type, value: op.value, node: "n1" } : { type, error: `${type} on purpose` },
      );
    },
  });
}

describe("runWorkers", () => {
  it("should retire a process after info and continue as id + concurrency, keeping the history valid", async () => {
    const history = openHistoryWriter({ clock: manualClock() });
    let completions = 0;
    history.subscribe((op) => {
      if (typeof op.process === "number" && op.type !== "invoke") completions++;
    });
    const states = await runWorkers({
      workload: setWorkload(),
      clientNames: ["c1", "c2"],
      makeClient: scripted(["ok", "info", "fail", "ok"]),
      history,
      random: createRandom(3),
      rate: 0,
      shouldStop: () => completions >= 40,
      signal: new AbortController().signal,
    });
    validateHistory(history.ops);
    const infos = history.ops.filter((o) => o.type === "info");
    expect(infos.length).toBeGreaterThan(0);
    for (const info of infos) {
      const p = info.process as number;
      expect(history.ops.some((o) => o.process === p && o.index > info.index)).toBe(false);
    }
    // The worker carried on under the next id (all but possibly each worker's last info, at the stop).
    const continued = infos.filter((info) =>
      history.ops.some((o) => o.process === (info.process as number) + 2 && o.index > info.index),
    );
    expect(continued.length).toBeGreaterThanOrEqual(infos.length - 2);
    expect(continued.length).toBeGreaterThan(0);
    // Each worker's final process id is its index plus a multiple of the concurrency.
    expect(states.map((s) => s.clientName)).toEqual(["c1", "c2"]);
    expect(states[0]!.process % 2).toBe(0);
    expect(states[1]!.process % 2).toBe(1);
    // Values are unique across processes; fail and info completions repeat the invoke's value.
    const invokes = history.ops.filter((o) => o.type === "invoke").map((o) => o.value);
    expect(new Set(invokes).size).toBe(invokes.length);
    const ok = history.ops.find((o) => o.type === "ok")!;
    expect(ok.node).toBe("n1");
  });

  it("should keep one abort listener on the run's signal and raise no warning when 12 workers wait at once", async () => {
    const warnings: string[] = [];
    const onWarning = (w: Error): void => void warnings.push(`${w.name}: ${w.message}`);
    process.on("warning", onWarning);
    try {
      const history = openHistoryWriter({ clock: manualClock() });
      const ac = new AbortController();
      let most = 0;
      const sampler = setInterval(() => {
        most = Math.max(most, getEventListeners(ac.signal, "abort").length);
      }, 5);
      const stopAt = Date.now() + 400;
      await runWorkers({
        workload: setWorkload(),
        clientNames: Array.from({ length: 12 }, (_, i) => `c${i + 1}`),
        makeClient: scripted(["ok"]),
        history,
        random: createRandom(7),
        rate: 60,
        shouldStop: () => Date.now() > stopAt,
        signal: ac.signal,
      });
      clearInterval(sampler);
      // A warning is emitted on the next tick.
      await new Promise((r) => setImmediate(r));
      expect(history.ops.length).toBeGreaterThan(0);
      expect(most).toBe(1);
      expect(getEventListeners(ac.signal, "abort")).toHaveLength(0);
      expect(warnings.filter((w) => w.includes("MaxListenersExceeded"))).toEqual([]);
    } finally {
      process.off("warning", onWarning);
    }
  });

  it("should stop at once when aborted", async () => {
    const history = openHistoryWriter({ clock: manualClock() });
    const ac = new AbortController();
    ac.abort();
    await runWorkers({
      workload: setWorkload(),
      clientNames: ["c1"],
      makeClient: scripted(["ok"]),
      history,
      random: createRandom(1),
      rate: 10,
      shouldStop: () => false,
      signal: ac.signal,
    });
    expect(history.ops).toEqual([]);
  });
});

describe("staggerMs", () => {
  it("should average concurrency/rate seconds and never pause when the rate is 0", () => {
    const r = createRandom(5);
    const samples = Array.from({ length: 5000 }, () => staggerMs(r, { rate: 100, concurrency: 5 }));
    const mean = samples.reduce((a, b) => a + b, 0) / samples.length;
    expect(mean).toBeGreaterThan(45);
    expect(mean).toBeLessThan(55);
    expect(Math.max(...samples)).toBeLessThan(100);
    expect(staggerMs(r, { rate: 0, concurrency: 5 })).toBe(0);
  });
});
