import { describe, expect, it } from "vitest";
import { REDIS_OPS } from "../../stores/redis-sentinel/index.js";
import {
  counterWorkload,
  followerReadsWorkload,
  listAppendWorkload,
  OpNotApplied,
  registerWorkload,
  setWorkload,
} from "../../workloads/index.js";
import { FakeRedis, FakeStore, fakeSession } from "./support/fake-redis.js";
import { CAS_SCRIPT, runTransaction } from "../../stores/redis-sentinel/index.js";

const key = (k: number) => `l:${k}`;

describe("registerWorkload", () => {
  it("should read null before any write, write, and cas with the Lua script", async () => {
    const leader = new FakeRedis(new FakeStore());
    const w = registerWorkload();
    const s = fakeSession(leader);
    expect(await REDIS_OPS[w.name]!(s, { f: "read", key: "r0", value: null })).toBeNull();
    expect(await REDIS_OPS[w.name]!(s, { f: "write", key: "r0", value: 4 })).toBe(4);
    expect(await REDIS_OPS[w.name]!(s, { f: "cas", key: "r0", value: [4, 5] })).toEqual([4, 5]);
    expect(await REDIS_OPS[w.name]!(s, { f: "read", key: "r0", value: null })).toBe(5);
    expect(leader.store.strings.get("faultline:register:r0")).toBe("5");
    expect(leader.calls).toEqual(["get", "set", "eval", "get"]);
    expect(CAS_SCRIPT).toContain("redis.call('SET'");
  });

  it("should throw OpNotApplied without an error when the compare does not match", async () => {
    const w = registerWorkload();
    const s = fakeSession(new FakeRedis(new FakeStore()));
    await REDIS_OPS[w.name]!(s, { f: "write", key: "r1", value: 1 });
    const err = await REDIS_OPS[w.name]!(s, { f: "cas", key: "r1", value: [7, 8] }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(OpNotApplied);
    expect((err as OpNotApplied).error).toBeUndefined();
  });

  it("should count writes and cas as writes, reads not", () => {
    const w = registerWorkload();
    expect(w.isWrite({ f: "write", value: 1 })).toBe(true);
    expect(w.isWrite({ f: "cas", value: [1, 2] })).toBe(true);
    expect(w.isWrite({ f: "read", value: null })).toBe(false);
    expect(w.usesFollowers).toBe(false);
    expect(w.checkers).toEqual([{ name: "linearizable", options: { model: "cas-register" } }]);
  });

  it("should reject options it cannot honour, naming them", () => {
    expect(() => registerWorkload({ keys: 0 })).toThrow(/keys/);
    expect(() => registerWorkload({ readFraction: 0.8, writeFraction: 0.5 })).toThrow(
      /readFraction \+ writeFraction/,
    );
  });
});

describe("runTransaction", () => {
  it("should send MULTI, each command, EXEC, and fill the reads from EXEC's replies", async () => {
    const r = new FakeRedis(new FakeStore());
    r.store.lists.set(key(2), ["1", "2"]);
    const out = await runTransaction(
      r as never,
      [
        ["append", 1, 1],
        ["r", 2, null],
        ["r", 1, null],
      ],
      key,
    );
    expect(out).toEqual([
      ["append", 1, 1],
      ["r", 2, [1, 2]],
      ["r", 1, [1]],
    ]);
    expect(r.calls).toEqual(["multi", "rpush", "lrange", "lrange", "exec"]);
  });

  it("should send nothing more and fail definitely when the connection changes inside the transaction", async () => {
    const r = new FakeRedis(new FakeStore());
    r.onQueued = () => (r.stream = { remotePort: 2 }); // ioredis reconnected after the first command was queued
    const err = await runTransaction(
      r as never,
      [
        ["append", 1, 1],
        ["append", 1, 2],
      ],
      key,
    ).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(OpNotApplied);
    expect((err as OpNotApplied).error).toMatch(/connection changed.*EXEC was never sent/);
    expect(r.calls).toEqual(["multi", "rpush"]);
    expect(r.store.lists.size).toBe(0);
  });

  it("should DISCARD and fail definitely when the server refuses a command while queueing", async () => {
    const r = new FakeRedis(new FakeStore());
    r.refuseNextQueued = "NOREPLICAS Not enough good replicas to write.";
    const err = await runTransaction(r as never, [["append", 1, 1]], key).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(OpNotApplied);
    expect((err as OpNotApplied).error).toBe("before EXEC: NOREPLICAS Not enough good replicas to write.");
    expect(r.calls).toEqual(["multi", "rpush", "discard"]);
  });

  it("should fail definitely when EXEC says the transaction was aborted", async () => {
    const r = new FakeRedis(new FakeStore());
    r.execReply = "null";
    await expect(runTransaction(r as never, [["r", 0, null]], key)).rejects.toBeInstanceOf(OpNotApplied);
  });
});

describe("listAppendWorkload", () => {
  it("should count transactions with an append as writes and read the lists it used at the end", async () => {
    const w = listAppendWorkload({ activeKeys: 2, finalKeys: 3 });
    expect(w.isWrite({ f: "txn", value: [["r", 0, null]] })).toBe(false);
    expect(
      w.isWrite({
        f: "txn",
        value: [
          ["r", 0, null],
          ["append", 1, 1],
        ],
      }),
    ).toBe(true);
    expect(w.finalReads).toEqual([
      {
        f: "txn",
        value: [
          ["r", 0, null],
          ["r", 1, null],
        ],
      },
    ]);
    // The run loop tells the workload of every op it performs (observe).
    w.observe!({ f: "txn", value: [["append", 5, 1]] });
    // Keys 0…5 were handed out; the final read covers the 3 most recent.
    expect(w.finalReads[0]!.value).toEqual([
      ["r", 3, null],
      ["r", 4, null],
      ["r", 5, null],
    ]);
  });
});

describe("counterWorkload", () => {
  it("should INCRBY the delta and read 0 before any increment", async () => {
    const leader = new FakeRedis(new FakeStore());
    const w = counterWorkload();
    const s = fakeSession(leader);
    expect(await REDIS_OPS[w.name]!(s, { f: "read", key: "c0", value: null })).toBe(0);
    expect(await REDIS_OPS[w.name]!(s, { f: "incr", key: "c0", value: 3 })).toBe(3);
    expect(await REDIS_OPS[w.name]!(s, { f: "read", key: "c0", value: null })).toBe(3);
    expect(w.isWrite({ f: "incr", value: 1 })).toBe(true);
  });
});

describe("followerReadsWorkload", () => {
  it("should read from the follower connection when routed there and never move a version back", async () => {
    const leaderStore = new FakeStore();
    const leader = new FakeRedis(leaderStore);
    const follower = new FakeRedis(new FakeStore());
    const w = followerReadsWorkload();
    const s = fakeSession(leader, follower);
    await REDIS_OPS[w.name]!(s, { f: "write", key: "v0", value: 2 });
    await REDIS_OPS[w.name]!(s, { f: "write", key: "v0", value: 1 }); // a slower, older write lands second
    expect(await REDIS_OPS[w.name]!(s, { f: "read", key: "v0", value: null, route: "leader" })).toBe(2);
    expect(await REDIS_OPS[w.name]!(s, { f: "read", key: "v0", value: null, route: "follower" })).toBeNull();
    follower.store.catchUp(leaderStore);
    expect(await REDIS_OPS[w.name]!(s, { f: "read", key: "v0", value: null, route: "follower" })).toBe(2);
    expect(follower.calls).toEqual(["get", "get"]);
    expect(w.usesFollowers).toBe(true);
    expect(w.finalReads.every((r) => r.route === "leader")).toBe(true);
  });
});

describe("setWorkload", () => {
  it("should add set-full to its checkers only when it reads during the run", () => {
    expect(setWorkload().checkers.map((c) => c.name)).toEqual(["set"]);
    expect(setWorkload({ readEvery: 10 }).checkers.map((c) => c.name)).toEqual(["set", "set-full"]);
    expect(() => setWorkload({ readEvery: 1 })).toThrow(/readEvery/);
    expect(setWorkload().isWrite({ f: "add", value: 1 })).toBe(true);
    expect(setWorkload().isWrite({ f: "read", value: null })).toBe(false);
  });
});
