/**
 * The proxy's random draws come from a seed: the same seed gives the same toxicity decisions and jitter, another
 * seed other ones, and nothing in the proxy reaches for unseeded randomness.
 */
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { seededDraws, type DrawKey } from "../../nemesis/proxy/index.js";
import { LatencyStage } from "../../nemesis/proxy/stage-latency.js";
import type { Item, LinkControl, Receiver } from "../../nemesis/proxy/stage.js";
import type { ToxicDef } from "../../nemesis/proxy/toxic-definition.js";
import type { ToxicDraws } from "../../nemesis/proxy/toxic-draws.js";

const key: DrawKey = {
  proxy: "n1",
  toxic: "slow",
  scope: "proxy",
  connection: 1,
  stream: "downstream",
  use: "chunks",
};

function take(next: () => number, n: number): number[] {
  return Array.from({ length: n }, () => next());
}

describe("seededDraws", () => {
  it("should give the same sequence for the same seed and key", () => {
    expect(take(seededDraws(42).sequence(key), 50)).toEqual(take(seededDraws(42).sequence(key), 50));
  });

  it("should restart a key's sequence when it is asked for again", () => {
    const draws = seededDraws(42);
    expect(take(draws.sequence(key), 10)).toEqual(take(draws.sequence(key), 10));
  });

  it("should give different sequences for different seeds", () => {
    expect(take(seededDraws(1).sequence(key), 10)).not.toEqual(take(seededDraws(2).sequence(key), 10));
  });

  it("should give each proxy, toxic, scope, connection, stream and use its own sequence", () => {
    const draws = seededDraws(42);
    const variants: DrawKey[] = [
      key,
      { ...key, proxy: "n2" },
      { ...key, toxic: "slow2" },
      { ...key, scope: "link" },
      { ...key, connection: 2 },
      { ...key, stream: "upstream" },
      { ...key, stream: "accept" },
      { ...key, use: "toxicity" },
      // Fields that differ only in where one name ends must not share a sequence.
      { ...key, proxy: "n1s", toxic: "low" },
    ];
    const firsts = variants.map((k) => take(draws.sequence(k), 4).join(","));
    expect(new Set(firsts).size).toBe(variants.length);
  });

  it("should draw uniform numbers in [0, 1)", () => {
    const xs = take(seededDraws(9).sequence(key), 10_000);
    expect(xs.every((x) => x >= 0 && x < 1)).toBe(true);
    const mean = xs.reduce((a, b) => a + b, 0) / xs.length;
    expect(mean).toBeGreaterThan(0.48);
    expect(mean).toBeLessThan(0.52);
  });

  it("should report the seed it was made from", () => {
    expect(seededDraws(1234).seed).toBe(1234);
  });
});

/** A link whose clock stands at 0, whose draws come from `draws` for connection `connection`. */
function fakeLink(draws: ToxicDraws, connection: number): LinkControl {
  return {
    now: () => 0,
    drawsFor: (def, use) =>
      draws.sequence({ proxy: "p", toxic: def.name, scope: "proxy", connection, stream: "downstream", use }),
    dropped: () => {},
    hold: () => {},
    resetConnection: () => {},
  };
}

function latencyDef(attributes: Record<string, number>, toxicity = 1): ToxicDef {
  return { name: "lat", type: "latency", stream: "downstream", toxicity, attributes, revision: 0 };
}

/**
 * The delay the latency toxic gives each of `n` chunks. Chunks are stamped long in the past, so each leaves at
 * once with its timestamp advanced by exactly its delay (no timer runs).
 */
function delays(draws: ToxicDraws, def: ToxicDef, n: number, connection = 1): number[] {
  const out: number[] = [];
  const sink: Receiver = { write: (item: Item) => out.push((item as { ts: number }).ts + 1e9) };
  const stage = new LatencyStage(def, fakeLink(draws, connection), sink);
  for (let i = 0; i < n; i++) stage.write({ data: Buffer.from("x"), ts: -1e9 });
  stage.destroy();
  return out;
}

describe("LatencyStage draws", () => {
  it("should draw the same jitter sequence from the same seed", () => {
    const def = latencyDef({ latency: 100, jitter: 40 });
    const a = delays(seededDraws(5), def, 40);
    expect(a).toEqual(delays(seededDraws(5), def, 40));
    expect(a.every((d) => d >= 60 && d < 140)).toBe(true);
    expect(new Set(a).size).toBeGreaterThan(10);
  });

  it("should draw another jitter sequence from another seed", () => {
    const def = latencyDef({ latency: 100, jitter: 40 });
    expect(delays(seededDraws(5), def, 40)).not.toEqual(delays(seededDraws(6), def, 40));
  });

  it("should make the same toxicity decision for each connection from the same seed, and others from another seed", () => {
    const def = latencyDef({ latency: 100 }, 0.5);
    // A connection the toxic applies to delays its chunk by 100 ms; one it skips, by 0.
    const decisions = (seed: number): boolean[] =>
      Array.from({ length: 64 }, (_, i) => delays(seededDraws(seed), def, 1, i + 1)[0] === 100);
    const a = decisions(11);
    expect(a).toEqual(decisions(11));
    expect(a).not.toEqual(decisions(12));
    const applied = a.filter(Boolean).length;
    expect(applied).toBeGreaterThan(16);
    expect(applied).toBeLessThan(48);
  });
});

describe("Stage toxicity draws", () => {
  /** Whether the toxic applies after `chunks` chunks went through and one update re-drew its toxicity. */
  function appliesAfterUpdate(seed: number, connection: number, chunks: number): boolean {
    const def = latencyDef({ latency: 100, jitter: 10 }, 0.5);
    const out: number[] = [];
    const sink: Receiver = { write: (item: Item) => out.push((item as { ts: number }).ts + 1e9) };
    const stage = new LatencyStage(def, fakeLink(seededDraws(seed), connection), sink);
    for (let i = 0; i < chunks; i++) stage.write({ data: Buffer.from("x"), ts: -1e9 });
    def.revision++;
    stage.reconfigure();
    stage.write({ data: Buffer.from("x"), ts: -1e9 });
    stage.destroy();
    return out.at(-1)! > 0;
  }

  it("should re-draw toxicity on an update independently of how many chunks drew jitter before", () => {
    const decisions = (chunks: number): boolean[] =>
      Array.from({ length: 32 }, (_, i) => appliesAfterUpdate(3, i + 1, chunks));
    const none = decisions(0);
    expect(decisions(7)).toEqual(none);
    expect(decisions(50)).toEqual(none);
    expect(new Set(none)).toEqual(new Set([true, false]));
  });
});

describe("nemesis/proxy sources", () => {
  it("should never call Math.random (every draw comes from the seed)", () => {
    const dir = join(import.meta.dirname, "..", "..", "nemesis", "proxy");
    const offenders = readdirSync(dir)
      .filter((f) => f.endsWith(".ts"))
      .filter((f) => /\bMath\.random\b/.test(readFileSync(join(dir, f), "utf8")));
    expect(offenders).toEqual([]);
  });
});
