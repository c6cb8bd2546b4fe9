/**
 * Latency on the replication links on the real cluster: with the leader writing steadily, each follower's lag
 * behind the leader (in bytes of the replication stream) grows while the latency is on, and shrinks back after.
 */
import { describe, expect, it } from "vitest";
import { sleep } from "../../core/clock/index.js";
import { replOffset, withNemesisBench, writeLoad } from "./support/nemesis-helpers.js";

/** Median of a list. */
function median(values: number[]): number {
  const s = [...values].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)]!;
}

describe("latency-replication", () => {
  it("should grow the followers' replication lag while it is on", async () => {
    await withNemesisBench(async ({ cluster, windows }) => {
      const leader = (await cluster.leader())!;
      const followers = cluster.nodes
        .filter((n) => n.role === "data" && n.name !== leader)
        .map((n) => n.name);
      // Bytes the follower is behind: its applied offset read right after the leader's (the gap in between
      // only makes it look further behind, by the same small amount in both phases).
      const lag = async (): Promise<number> => {
        const ahead = await replOffset(cluster, leader);
        const behind = await Promise.all(followers.map((f) => replOffset(cluster, f)));
        return Math.max(...behind.map((b) => ahead - b));
      };
      const sample = async (n: number): Promise<number[]> => {
        const out: number[] = [];
        for (let i = 0; i < n; i++) {
          out.push(await lag());
          await sleep(100);
        }
        return out;
      };
      const load = writeLoad(cluster, leader, 2);
      await sleep(500);
      const before = await sample(15);

      const d = windows([
        {
          fault: "latency",
          target: "replication",
          params: { latency: 600, jitter: 0, stream: "downstream" },
        },
      ]);
      const start = await d.fire("start", "f1");
      expect(start.value).toMatchObject({ toxic: "latency", attributes: { latency: 600, jitter: 0 } });
      expect([...start.value.links].sort()).toEqual(followers.map((f) => `${f}->${leader}`).sort());
      await sleep(1000);
      const during = await sample(15);
      await d.fire("stop", "f1");
      await sleep(1500);
      const after = await sample(15);
      await load.stop();

      // 600 ms of the stream is in flight: at a few hundred writes a second of ~90 bytes that is kilobytes, where
      // a healthy loopback link lags by next to nothing.
      expect(median(during)).toBeGreaterThan(3_000);
      expect(median(during)).toBeGreaterThan(5 * Math.max(median(before), 200));
      expect(median(after)).toBeLessThan(median(during) / 5);
      console.log(
        `replication lag (bytes, median of 15): before ${median(before)}, during ${median(during)}, after ${median(after)}`,
      );
    });
  });
});
