/**
 * faultline inside your own vitest suite: a real Redis + Sentinel cluster per test, every link through
 * faultline's proxy, and your code (here: plain ioredis) pointed at it.
 *
 * Needs `redis-server` on the PATH (Debian: `apt-get install redis-server`). In your project:
 *
 *   npm install --save-dev faultline vitest ioredis
 *   npx vitest run redis-failover.test.ts        # about a minute: three clusters, one after another
 *
 * Each test starts its own cluster (`await using` stops it, and removes its files, when the test ends, pass or
 * fail). Give the tests room: a cluster starts in 2–5 s, a failover takes 2–4 s. Run such files one at a time
 * (vitest's `fileParallelism: false`): two clusters at once on a small machine make Sentinel's timings flaky.
 * In this repository the file runs in CI, in the `e2e` project of vitest.config.ts.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Redis, type RedisOptions } from "ioredis";
import { describe, expect, it } from "vitest";
import { run, startCluster } from "faultline";

/** What an application might configure: quick timeouts and retries, so a failover is noticed and survived. */
const APP_OPTIONS: RedisOptions = {
  connectTimeout: 1000,
  commandTimeout: 1000,
  maxRetriesPerRequest: 1,
  retryStrategy: () => 100,
  sentinelRetryStrategy: () => 100,
  // A demoted leader answers writes with READONLY: reconnect (through Sentinel) to the new one.
  reconnectOnError: (err) => (err.message.startsWith("READONLY") ? 2 : false),
};

/**
 * Sentinel's down-after for these clusters. At faultline's default (1 s) a Sentinel can declare a leader it has just
 * switched to down before its throttled reconnect has pinged it, and fail over a second time (redis/redis#2370,
 * #8607; README, `manager-reconnect`): a test that expects one failover must leave it more room.
 */
const DOWN_AFTER_MS = 2000;

/** Retries `attempt` until it resolves (a client needs a moment to find a new leader). */
async function eventually<T>(attempt: () => Promise<T>, timeoutMs = 20_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      return await attempt();
    } catch (err) {
      if (Date.now() > deadline) throw err;
      await new Promise((r) => setTimeout(r, 200));
    }
  }
}

describe("Redis + Sentinel under faults", () => {
  it("should keep accepting writes once Sentinel has replaced a killed leader", async () => {
    await using cluster = await startCluster({ clients: ["app"], downAfterMs: DOWN_AFTER_MS });
    const redis = new Redis({ ...cluster.ioredisOptions("app"), ...APP_OPTIONS });
    redis.on("error", () => undefined); // reconnects are expected here
    try {
      await redis.set("greeting", "hello");
      const old = (await cluster.leader())!;
      await cluster.kill(old);
      const next = await cluster.awaitNewLeader(old, 30_000);
      expect(next).not.toBe(old);
      // The application's client finds the new leader through Sentinel and writes again.
      await eventually(() => redis.set("after-failover", "yes"));
      expect(await redis.get("after-failover")).toBe("yes");
      // The old leader comes back as a follower of the new one.
      await cluster.restart(old);
      expect(await cluster.awaitHealthy(30_000)).toBe(next);
    } finally {
      redis.disconnect();
    }
  }, 120_000);

  it("should lose a write the isolated leader acknowledged (asynchronous replication)", async () => {
    await using cluster = await startCluster({ clients: ["app", "other"], downAfterMs: DOWN_AFTER_MS });
    const app = new Redis({ ...cluster.ioredisOptions("app"), ...APP_OPTIONS });
    const other = new Redis({ ...cluster.ioredisOptions("other"), ...APP_OPTIONS });
    app.on("error", () => undefined);
    other.on("error", () => undefined);
    try {
      await app.set("before", "1");
      await eventually(async () => expect(await other.get("before")).toBe("1"));
      // The leader and the app on one side, everything else on the other.
      const cut = await cluster.partitionLeader({ withClients: ["app"] });
      expect(await app.set("during", "acknowledged")).toBe("OK");
      const next = await cluster.awaitNewLeader(cut.leader, 30_000);
      await cut.heal();
      await cluster.awaitHealthy(30_000);
      // The old leader rejoined as a follower of `next` and dropped what only it had: the write is gone.
      await eventually(async () => expect(await other.get("before")).toBe("1"));
      expect(await other.get("during")).toBeNull();
      expect(await cluster.leader()).toBe(next);
    } finally {
      app.disconnect();
      other.disconnect();
    }
  }, 120_000);

  it("should find lost writes with faultline's own workload and checkers", async () => {
    const storeDir = mkdtempSync(join(tmpdir(), "faultline-example-"));
    try {
      const result = await run({
        workload: "set",
        nemesis: "partition-leader",
        timeLimit: "10s",
        nemesisInterval: "2s",
        partitionDuration: "6s",
        seed: 7,
        storeDir,
      });
      // The verdict is data: assert what your system promises. Redis + Sentinel with asynchronous
      // replication does not promise to keep acknowledged writes, and faultline shows it.
      expect(result.valid).toBe(false);
      expect(result.exitCode).toBe(1);
      expect(result.results.set!.valid).toBe(false);
      expect(result.results.set!.lostCount).toBeGreaterThan(0);
      expect(result.files.report).toBe(join(result.runDir, "report.html"));
    } finally {
      rmSync(storeDir, { recursive: true, force: true });
    }
  }, 180_000);
});
