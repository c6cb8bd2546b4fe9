import { getEventListeners } from "node:events";
import { describe, expect, it } from "vitest";
import { sleep } from "../../core/clock/index.js";

describe("sleep", () => {
  it("should put one abort listener on a signal however many sleeps wait on it, and wake them all on abort", async () => {
    const ac = new AbortController();
    const started = Date.now();
    const sleeps = Array.from({ length: 20 }, () => sleep(10_000, ac.signal));
    expect(getEventListeners(ac.signal, "abort")).toHaveLength(1);
    ac.abort();
    await Promise.all(sleeps);
    expect(Date.now() - started).toBeLessThan(1000);
    expect(getEventListeners(ac.signal, "abort")).toHaveLength(0);
  });

  it("should remove the listener when the last sleep ends by its timer", async () => {
    const ac = new AbortController();
    const short = sleep(5, ac.signal);
    const long = sleep(40, ac.signal);
    await short;
    expect(getEventListeners(ac.signal, "abort")).toHaveLength(1);
    await long;
    expect(getEventListeners(ac.signal, "abort")).toHaveLength(0);
    // A later sleep subscribes afresh, and an abort still wakes it.
    const again = sleep(10_000, ac.signal);
    expect(getEventListeners(ac.signal, "abort")).toHaveLength(1);
    ac.abort();
    await again;
  });

  it("should resolve at once when the signal has already aborted or ms is not positive", async () => {
    const ac = new AbortController();
    ac.abort();
    const started = Date.now();
    await sleep(10_000, ac.signal);
    await sleep(0);
    expect(Date.now() - started).toBeLessThan(100);
    expect(getEventListeners(ac.signal, "abort")).toHaveLength(0);
  });
});
