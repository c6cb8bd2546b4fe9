import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { assignShards, campaignFileHash, parseShard, seedFromHash } from "../../harness/campaign/index.js";
import { isFaultlineError } from "../../core/errors/index.js";

describe("parseShard", () => {
  it("should read I/N", () => {
    expect(parseShard("2/3")).toEqual({ index: 2, count: 3 });
    expect(parseShard(" 1 / 1 ")).toEqual({ index: 1, count: 1 });
  });

  it.each(["0/3", "4/3", "3", "a/b", "1/0", "-1/2", "1/1001", ""])(
    "should refuse %j naming --shard",
    (text) => {
      let err: unknown;
      try {
        parseShard(text);
      } catch (e) {
        err = e;
      }
      expect(isFaultlineError(err) && err.message).toMatch(/^--shard must be I\/N/);
    },
  );
});

describe("assignShards", () => {
  it("should balance by expected duration, longest runs first, ties to the lower shard", () => {
    expect(assignShards([20_000, 20_000, 8_000, 8_000], 2)).toEqual([1, 2, 1, 2]);
    expect(assignShards([60_000, 5_000, 5_000, 5_000], 2)).toEqual([1, 2, 2, 2]);
  });

  it("should put every run in exactly one shard, the same way every time, with no shard over-loaded", () => {
    fc.assert(
      fc.property(
        fc.array(fc.integer({ min: 1_000, max: 120_000 }), { minLength: 1, maxLength: 60 }),
        fc.integer({ min: 1, max: 8 }),
        (limits, count) => {
          const a = assignShards(limits, count);
          expect(assignShards(limits, count)).toEqual(a);
          expect(a.every((s) => s >= 1 && s <= count)).toBe(true);
          // Greedy longest-first: no shard exceeds the average load by more than the longest run.
          const load = new Array<number>(count).fill(0);
          a.forEach((s, i) => (load[s - 1]! += limits[i]! + 12_000));
          const mean = load.reduce((x, y) => x + y, 0) / count;
          expect(Math.max(...load)).toBeLessThanOrEqual(mean + Math.max(...limits) + 12_000);
        },
      ),
    );
  });
});

describe("campaignFileHash / seedFromHash", () => {
  it("should tell files apart by their bytes and derive a 32-bit seed", () => {
    const a = campaignFileHash("name: c\n");
    expect(a).toMatch(/^[0-9a-f]{64}$/);
    expect(campaignFileHash("name: c\n# x\n")).not.toBe(a);
    expect(seedFromHash(a)).toBe(seedFromHash(campaignFileHash(Buffer.from("name: c\n"))));
    expect(seedFromHash(a)).toBeLessThanOrEqual(0xffff_ffff);
  });
});
