import { readlinkSync, existsSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { DisposalStack } from "../../core/disposal/index.js";
import { createRandom } from "../../core/random/index.js";
import {
  renderRedisConf,
  renderSentinelConf,
  parseReplication,
  sentinelRecords,
  healthyFlags,
} from "../../stores/redis-sentinel/index.js";
import { describeEvent } from "../../stores/redis-sentinel/index.js";
import { listeningUrl } from "../../nemesis/network/index.js";
import { createRunDirectory, timestamp } from "../../core/run-store/index.js";
import { processStartTime, runTagEnv } from "../../core/backends/local/index.js";
import { harnessAlive } from "../../core/backends/reaper/index.js";
import { tempDir } from "./support/temp-dir.js";

describe("createRandom", () => {
  it("should repeat the same sequence for the same seed and differ for another", () => {
    const a = createRandom(7);
    const b = createRandom(7);
    const xs = Array.from({ length: 20 }, () => a.next());
    expect(Array.from({ length: 20 }, () => b.next())).toEqual(xs);
    expect(createRandom(8).next()).not.toBe(xs[0]);
    for (const x of xs) expect(x >= 0 && x < 1).toBe(true);
  });

  it("should fork by label, independent of how much the parent was used", () => {
    const a = createRandom(1);
    const b = createRandom(1);
    b.next();
    b.next();
    expect(a.fork("nemesis").next()).toBe(b.fork("nemesis").next());
    expect(a.fork("nemesis").next()).not.toBe(a.fork("workload").next());
  });

  it("should shuffle to a permutation and pick members", () => {
    const r = createRandom(3);
    expect(r.shuffle([1, 2, 3, 4, 5]).sort()).toEqual([1, 2, 3, 4, 5]);
    expect(["a", "b"]).toContain(r.pick(["a", "b"]));
    expect(() => r.int(0)).toThrow(RangeError);
  });
});

describe("DisposalStack", () => {
  it("should dispose last first, run every cleanup despite failures, and only once", async () => {
    const order: string[] = [];
    const stack = new DisposalStack();
    stack.defer("a", () => order.push("a"));
    stack.defer("b", () => {
      order.push("b");
      throw new Error("b broke");
    });
    stack.defer("c", async () => {
      order.push("c");
    });
    await expect(stack.disposeAsync()).rejects.toThrow('cleanup "b" failed: b broke');
    expect(order).toEqual(["c", "b", "a"]);
    await stack.disposeAsync();
    expect(order).toEqual(["c", "b", "a"]);
    expect(() => stack.defer("late", () => undefined)).toThrow(/already disposed/);
  });

  it("should aggregate several failures", async () => {
    const stack = new DisposalStack();
    stack.defer("x", () => Promise.reject(new Error("x")));
    stack.defer("y", () => Promise.reject(new Error("y")));
    await expect(stack[Symbol.asyncDispose]()).rejects.toBeInstanceOf(AggregateError);
  });
});

describe("renderRedisConf / renderSentinelConf", () => {
  it("should announce public ports, bind the source address, and follow the persistence mode", () => {
    const conf = renderRedisConf(
      {
        realPort: 27201,
        publicPort: 27301,
        sourceAddress: "127.0.1.2",
        dir: "/d",
        replicaOfPublicPort: 27300,
      },
      { persistence: "aof-always", minReplicasToWrite: 1, minReplicasMaxLag: 1 },
    );
    const lines = conf.split("\n");
    for (const l of [
      "port 27201",
      "bind-source-addr 127.0.1.2",
      "replica-announce-port 27301",
      "replicaof 127.0.0.1 27300",
      "appendonly yes",
      "appendfsync always",
      "repl-diskless-sync-delay 0",
      "min-replicas-to-write 1",
      "min-replicas-max-lag 1",
      'save ""',
      "set-proc-title no",
    ]) {
      expect(lines).toContain(l);
    }
    // Redis config files take no trailing comments.
    for (const l of lines) expect(l.startsWith("#") || !l.includes("#")).toBe(true);
    const leader = renderRedisConf(
      { realPort: 1, publicPort: 2, sourceAddress: "127.0.1.1", dir: "/d" },
      {
        persistence: "none",
        minReplicasToWrite: 0,
        minReplicasMaxLag: 10,
      },
    );
    expect(leader).toContain("appendonly no");
    expect(leader).not.toContain("replicaof");
  });

  it("should make Sentinel announce its public port and watch the leader's public port", () => {
    const conf = renderSentinelConf(
      { realPort: 1, publicPort: 27311, sourceAddress: "127.0.2.1", dir: "/s", leaderPublicPort: 27301 },
      { masterName: "m", quorum: 2, downAfterMs: 1000, failoverTimeoutMs: 3000, parallelSyncs: 2 },
    ).split("\n");
    expect(conf).toContain("sentinel announce-port 27311");
    expect(conf).toContain("bind-source-addr 127.0.2.1");
    expect(conf).toContain("sentinel monitor m 127.0.0.1 27301 2");
    expect(conf).toContain("sentinel down-after-milliseconds m 1000");
    expect(conf).toContain("sentinel parallel-syncs m 2");
  });
});

describe("parseReplication", () => {
  it("should read a leader's followers and a follower's link", () => {
    const leader = parseReplication(
      "# Replication\r\nrole:master\r\nconnected_slaves:2\r\nslave0:ip=127.0.0.1,port=27302,state=online,offset=42,lag=0\r\nslave1:ip=127.0.0.1,port=27303,state=wait_bgsave,offset=0,lag=1\r\n",
    );
    expect(leader.role).toBe("master");
    expect(leader.replicas).toEqual([
      { ip: "127.0.0.1", port: 27302, state: "online", offset: 42, lag: 0 },
      { ip: "127.0.0.1", port: 27303, state: "wait_bgsave", offset: 0, lag: 1 },
    ]);
    const f = parseReplication(
      "role:slave\r\nmaster_host:127.0.0.1\r\nmaster_port:27301\r\nmaster_link_status:up\r\nmaster_sync_in_progress:0\r\n",
    );
    expect(f).toMatchObject({
      role: "slave",
      masterHost: "127.0.0.1",
      masterPort: 27301,
      masterLinkStatus: "up",
      masterSyncInProgress: false,
    });
  });

  it("should read Sentinel's flat replies and their flags", () => {
    expect(sentinelRecords([["name", "x", "flags", "slave,s_down"]])).toEqual([
      { name: "x", flags: "slave,s_down" },
    ]);
    expect(healthyFlags("slave")).toBe(true);
    expect(healthyFlags("slave,s_down")).toBe(false);
    expect(healthyFlags("sentinel,disconnected")).toBe(false);
  });
});

describe("describeEvent", () => {
  const nodes = new Map([
    ["127.0.0.1:27301", "n1"],
    ["127.0.0.1:27302", "n2"],
  ]);
  const target = { nodeByPublic: (h: string, p: number) => nodes.get(`${h}:${p}`) };
  it("should name the node an event is about", () => {
    expect(describeEvent("s1", "+sdown", "master m 127.0.0.1 27301", target)).toEqual({
      manager: "s1",
      event: "+sdown",
      kind: "suspects-down",
      text: "master m 127.0.0.1 27301",
      node: "n1",
    });
    expect(describeEvent("s2", "+switch-master", "m 127.0.0.1 27301 127.0.0.1 27302", target)).toMatchObject({
      from: "n1",
      to: "n2",
    });
    expect(describeEvent("s2", "+new-epoch", "3", target)).toEqual({
      manager: "s2",
      event: "+new-epoch",
      kind: "other",
      text: "3",
    });
  });
});

describe("listeningUrl", () => {
  it("should find the proxy's API URL in its JSON log line", () => {
    const log =
      '{"level":30,"msg":"starting"}\n{"level":30,"event":"listening","url":"http://127.0.0.1:41234","msg":"listening"}\n';
    expect(listeningUrl(log)).toBe("http://127.0.0.1:41234");
    expect(listeningUrl('{"msg":"starting"}\n')).toBeUndefined();
  });
});

describe("createRunDirectory", () => {
  it("should create store/<test>/<timestamp>/ with nodes/, point latest at it, and not reuse a name", () => {
    const store = tempDir("faultline-store-");
    const now = new Date("2026-11-26T05:42:01.123Z");
    const a = createRunDirectory({ storeDir: store, testName: "set-none", now });
    expect(a.path).toBe(join(store, "set-none", "20261126T054201.123Z"));
    expect(a.runId).toBe("set-none/20261126T054201.123Z");
    expect(existsSync(a.files.nodes)).toBe(true);
    const b = createRunDirectory({ storeDir: store, testName: "set-none", now });
    expect(b.path).toBe(`${a.path}-2`);
    expect(readlinkSync(join(store, "latest"))).toBe(join("set-none", "20261126T054201.123Z-2"));
    expect(timestamp(now)).toBe("20261126T054201.123Z");
  });
});

describe("run tags", () => {
  it("should tell a live harness from a dead one by pid and start time", () => {
    const me = {
      pid: 1,
      runId: "r",
      runDir: "",
      command: "",
      harnessPid: process.pid,
      harnessStart: processStartTime(process.pid)!,
    };
    expect(harnessAlive(me)).toBe(true);
    expect(harnessAlive({ ...me, harnessStart: "1" })).toBe(false); // a reused pid
    expect(runTagEnv({ runId: "r", harnessPid: 5, harnessStart: "9", runDir: "/x" })).toEqual({
      FAULTLINE_RUN_ID: "r",
      FAULTLINE_HARNESS_PID: "5",
      FAULTLINE_HARNESS_START: "9",
      FAULTLINE_RUN_DIR: "/x",
    });
  });
});
