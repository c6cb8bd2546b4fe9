import { createServer, type Socket } from "node:net";
import type pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Client, Completion } from "../../core/clients/index.js";
import { allocatePorts } from "../../core/backends/local/index.js";
import {
  PgConnection,
  pgClient,
  pgConnectSettings,
  type PgClientOptions,
  type PgNode,
} from "../../stores/postgres-patroni/client/index.js";
import type { PgIsolation } from "../../stores/postgres-patroni/ops/index.js";
import { workloadByName } from "../../workloads/index.js";
import { startPgServers, type PgServer, type PgServers } from "./support/pg-server.js";

// The postgres-patroni store's client and SQL ops against a real PostgreSQL 15 primary with one streaming hot
// standby (no Patroni: the client only needs servers). Every op goes through `pgClient` as the harness calls it.

let servers: PgServers;
let admin: pg.Client;
let primary: PgNode;
let standby: PgNode;
/** A port nothing listens on: connections to it are refused. */
let dead: PgNode;
const clients: Client[] = [];

const node = (s: PgServer): PgNode => ({ name: s.name, host: "127.0.0.1", port: s.port });

async function client(workload: string, o: Partial<Omit<PgClientOptions, "workload">> = {}): Promise<Client> {
  const c = pgClient({
    clientName: "c1",
    // Leader discovery must pass over a refused port and a read-only standby to find the primary.
    nodes: [dead, standby, primary],
    user: "postgres",
    database: "postgres",
    opTimeoutMs: 5000,
    isolation: "serializable",
    ...o,
    workload: workloadByName(workload)!,
  });
  clients.push(c);
  await c.open();
  return c;
}

async function eventually<T>(what: string, ms: number, fn: () => Promise<T | undefined>): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const v = await fn();
    if (v !== undefined) return v;
    if (Date.now() > deadline) throw new Error(`${what} did not happen within ${ms} ms`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** The pid of client `name`'s backend once it waits on `event` (`SyncRep`, or any `Lock` wait). */
async function backendWaiting(name: string, event: "SyncRep" | "Lock"): Promise<number> {
  return eventually(`${name} waiting on ${event}`, 10_000, async () => {
    const r = await admin.query(
      "SELECT pid FROM pg_stat_activity WHERE application_name = $1 AND (wait_event = $2 OR wait_event_type = $2)",
      [name, event],
    );
    return r.rows.length > 0 ? (r.rows[0] as { pid: number }).pid : undefined;
  });
}

async function setSyncStandbys(names: string): Promise<void> {
  await admin.query(`ALTER SYSTEM SET synchronous_standby_names = '${names}'`);
  await admin.query("SELECT pg_reload_conf()");
  // The reload reaches every backend at its next command; give the postmaster's signal time to land.
  await eventually("reload", 5000, async () => {
    const r = await admin.query("SHOW synchronous_standby_names");
    return (r.rows[0] as { synchronous_standby_names: string }).synchronous_standby_names === names
      ? true
      : undefined;
  });
}

beforeAll(async () => {
  servers = await startPgServers({ standbys: 1 });
  primary = node(servers.primary);
  standby = node(servers.standbys[0]!);
  dead = { name: "pg0", host: "127.0.0.1", port: (await allocatePorts(1))[0]! };
  admin = await servers.admin(servers.primary);
}, 180_000);

afterAll(async () => {
  for (const c of clients) await c.close().catch(() => undefined);
  await admin?.end().catch(() => undefined);
  await servers?.stop();
}, 60_000);

describe("pgClient on a real PostgreSQL", () => {
  it("should add to a set and read it back sorted numerically, on the primary", async () => {
    const c = await client("set");
    for (const v of [10, 2, 1]) {
      expect(await c.invoke({ f: "add", key: "s", value: v })).toEqual({ type: "ok", value: v, node: "pg1" });
    }
    expect(await c.invoke({ f: "read", key: "s", value: null })).toEqual({
      type: "ok",
      value: [1, 2, 10],
      node: "pg1",
    });
    expect(await c.invoke({ f: "read", key: "other", value: null })).toEqual({
      type: "ok",
      value: [],
      node: "pg1",
    });
  });

  it("should read, write and compare-and-set registers, a cas that does not match failing without an error", async () => {
    const c = await client("register");
    expect(await c.invoke({ f: "read", key: "r0", value: null })).toEqual({
      type: "ok",
      value: null,
      node: "pg1",
    });
    expect(await c.invoke({ f: "write", key: "r0", value: 1 })).toEqual({
      type: "ok",
      value: 1,
      node: "pg1",
    });
    expect(await c.invoke({ f: "write", key: "r0", value: 2 })).toEqual({
      type: "ok",
      value: 2,
      node: "pg1",
    });
    expect(await c.invoke({ f: "cas", key: "r0", value: [2, 3] })).toEqual({
      type: "ok",
      value: [2, 3],
      node: "pg1",
    });
    // The register holds 3: the UPDATE's row count is 0, the op ran and did not swap.
    expect(await c.invoke({ f: "cas", key: "r0", value: [2, 4] })).toEqual({ type: "fail", node: "pg1" });
    expect(await c.invoke({ f: "cas", key: "r9", value: [1, 5] })).toEqual({ type: "fail", node: "pg1" });
    expect(await c.invoke({ f: "read", key: "r0", value: null })).toEqual({
      type: "ok",
      value: 3,
      node: "pg1",
    });
  });

  it("should increment counters by their deltas and read them (a missing counter reads 0)", async () => {
    const c = await client("counter");
    expect(await c.invoke({ f: "incr", key: "c0", value: 3 })).toEqual({ type: "ok", value: 3, node: "pg1" });
    expect(await c.invoke({ f: "incr", key: "c0", value: 4 })).toEqual({ type: "ok", value: 4, node: "pg1" });
    expect(await c.invoke({ f: "read", key: "c0", value: null })).toEqual({
      type: "ok",
      value: 7,
      node: "pg1",
    });
    expect(await c.invoke({ f: "read", key: "c9", value: null })).toEqual({
      type: "ok",
      value: 0,
      node: "pg1",
    });
  });

  it.each(["read-committed", "repeatable-read", "serializable"] as const)(
    "should run a transaction of appends and reads at %s and return the completed micro-ops",
    async (isolation) => {
      const c = await client("list-append", { isolation });
      const k = { "read-committed": 10, "repeatable-read": 20, serializable: 30 }[isolation];
      const txn = [
        ["append", k, 1],
        ["r", k, null],
        ["append", k, 2],
        ["r", k, null],
        ["r", k + 1, null],
      ];
      expect(await c.invoke({ f: "txn", value: txn })).toEqual({
        type: "ok",
        value: [
          ["append", k, 1],
          ["r", k, [1]],
          ["append", k, 2],
          ["r", k, [1, 2]],
          ["r", k + 1, []],
        ],
        node: "pg1",
      });
    },
  );

  it("should write versions on the primary, read them from the standby or the primary as routed, never back", async () => {
    const c = await client("follower-reads");
    expect(await c.invoke({ f: "write", key: "v0", value: 2 })).toEqual({
      type: "ok",
      value: 2,
      node: "pg1",
    });
    // A lower version leaves the key as it is.
    expect(await c.invoke({ f: "write", key: "v0", value: 1 })).toEqual({
      type: "ok",
      value: 1,
      node: "pg1",
    });
    const read = await eventually("the standby replays version 2", 10_000, async () => {
      const r = await c.invoke({ f: "read", key: "v0", value: null, route: "follower" });
      return r.type === "ok" && r.value === 2 ? r : undefined;
    });
    expect(read).toEqual({ type: "ok", value: 2, node: "pg2" });
    expect(await c.invoke({ f: "read", key: "v0", value: null, route: "leader" })).toEqual({
      type: "ok",
      value: 2,
      node: "pg1",
    });
    expect(await c.invoke({ f: "read", key: "v9", value: null, route: "follower" })).toEqual({
      type: "ok",
      value: null,
      node: "pg2",
    });
  });

  it("should fail a follower read cleanly, with nothing sent, when no node is a standby", async () => {
    const c = await client("follower-reads", { nodes: [dead, primary] });
    const r = await c.invoke({ f: "read", key: "v0", value: null, route: "follower" });
    expect(r).toEqual({
      type: "fail",
      error: expect.stringMatching(
        /^nothing sent: no standby found: pg0: .*ECONNREFUSED.*; pg1: not in recovery$/,
      ),
    });
    // The leader route still works on the same client.
    expect(await c.invoke({ f: "read", key: "v0", value: null, route: "leader" })).toMatchObject({
      type: "ok",
      node: "pg1",
    });
  });

  it("should fail a write with nothing sent when no node is read-write, naming why each was passed over", async () => {
    const c = await client("set", { nodes: [dead, standby] });
    expect(await c.invoke({ f: "add", key: "s", value: 99 })).toEqual({
      type: "fail",
      error: expect.stringMatching(
        /^nothing sent: no read-write node found: pg0: .*ECONNREFUSED.*; pg2: read-only$/,
      ),
    });
  });

  it("should still find the primary within one op's time when the first node swallows connections", async () => {
    // A listener that accepts and never answers: a node behind a partition or paused.
    const sockets: Socket[] = [];
    const silent = createServer((s) => sockets.push(s));
    await new Promise<void>((r) => silent.listen(0, "127.0.0.1", r));
    try {
      const black = { name: "pgX", host: "127.0.0.1", port: (silent.address() as { port: number }).port };
      const c = await client("register", { nodes: [black, standby, primary], opTimeoutMs: 1000 });
      expect(await c.invoke({ f: "write", key: "r-black", value: 1 })).toEqual({
        type: "ok",
        value: 1,
        node: "pg1",
      });
    } finally {
      for (const s of sockets) s.destroy();
      await new Promise<void>((r) => silent.close(() => r()));
    }
  });

  it("should let the server end a transaction its client left open past the op's time, freeing its row locks", async () => {
    const c = await client("list-append", { clientName: "c13", opTimeoutMs: 1500 });
    expect(await c.invoke({ f: "txn", value: [["append", 80, 1]] })).toMatchObject({ type: "ok" });
    // A client whose socket the network stopped carrying leaves its backend idle in a transaction: here a
    // connection with the client's own session settings, the transaction left open by hand.
    const left = await PgConnection.open(
      primary,
      pgConnectSettings({ clientName: "c14", user: "postgres", database: "postgres", opTimeoutMs: 1500 }),
      5000,
    );
    await left.query("BEGIN", undefined, 5000);
    await left.query("SELECT * FROM faultline_list WHERE k = 80 FOR UPDATE", undefined, 5000);
    const ended = await eventually("the server ends the idle transaction", 10_000, async () => {
      const r = await admin.query(
        "SELECT count(*)::int AS n FROM pg_stat_activity WHERE application_name = 'c14'",
      );
      return (r.rows[0] as { n: number }).n === 0 ? true : undefined;
    });
    expect(ended).toBe(true);
    left.destroy();
    expect(
      await c.invoke({
        f: "txn",
        value: [
          ["append", 80, 2],
          ["r", 80, null],
        ],
      }),
    ).toEqual({
      type: "ok",
      value: [
        ["append", 80, 2],
        ["r", 80, [1, 2]],
      ],
      node: "pg1",
    });
  });

  it("should fail a write refused as read-only (25006), then find no read-write node until the primary takes writes again", async () => {
    const c = await client("set");
    expect(await c.invoke({ f: "add", key: "ro", value: 1 })).toMatchObject({ type: "ok", node: "pg1" });
    const added = [1];
    let next = 100;
    await admin.query("ALTER SYSTEM SET default_transaction_read_only = on");
    await admin.query("SELECT pg_reload_conf()");
    try {
      // Until the reload reaches the client's backend, its adds still succeed.
      const refused = await eventually("the primary refuses writes", 10_000, async () => {
        const r = await c.invoke({ f: "add", key: "ro", value: next });
        if (r.type === "ok") added.push(next);
        next++;
        return r.type === "ok" ? undefined : r;
      });
      expect(refused).toEqual({
        type: "fail",
        error: "25006 cannot execute INSERT in a read-only transaction",
        node: "pg1",
      });
      // The connection was dropped: the next op looks for a read-write node again and finds none.
      expect(await c.invoke({ f: "add", key: "ro", value: 3 })).toEqual({
        type: "fail",
        error: expect.stringMatching(/no read-write node found: .*pg2: read-only; pg1: read-only$/),
      });
    } finally {
      await admin.query("ALTER SYSTEM RESET default_transaction_read_only");
      await admin.query("SELECT pg_reload_conf()");
    }
    await eventually("writes again", 10_000, async () => {
      const r = await c.invoke({ f: "add", key: "ro", value: 4 });
      return r.type === "ok" ? r : undefined;
    });
    // Neither the refused add nor the one with no node to go to took effect.
    expect(await c.invoke({ f: "read", key: "ro", value: null })).toMatchObject({
      value: [1, 4, ...added.slice(1)],
    });
  });

  it("should fail a write the server cancels at its statement_timeout (57014) while it waits for a row lock", async () => {
    const c = await client("register", { opTimeoutMs: 1500 });
    expect(await c.invoke({ f: "write", key: "locked", value: 1 })).toMatchObject({ type: "ok" });
    const holder = await servers.admin(servers.primary);
    try {
      await holder.query("BEGIN");
      await holder.query("SELECT * FROM faultline_register WHERE k = 'locked' FOR UPDATE");
      expect(await c.invoke({ f: "write", key: "locked", value: 2 })).toEqual({
        type: "fail",
        error: "57014 canceling statement due to statement timeout",
        node: "pg1",
      });
    } finally {
      await holder.query("ROLLBACK");
      await holder.end();
    }
    expect(await c.invoke({ f: "read", key: "locked", value: null })).toEqual({
      type: "ok",
      value: 1,
      node: "pg1",
    });
  });

  it("should fail a transaction whose connection is terminated (57P01) before COMMIT was sent", async () => {
    const c = await client("list-append", { clientName: "c7", opTimeoutMs: 10_000 });
    expect(await c.invoke({ f: "txn", value: [["append", 40, 1]] })).toMatchObject({ type: "ok" });
    const holder = await servers.admin(servers.primary);
    try {
      await holder.query("BEGIN");
      await holder.query("SELECT * FROM faultline_list WHERE k = 40 FOR UPDATE");
      const pending = c.invoke({
        f: "txn",
        value: [
          ["append", 41, 1],
          ["append", 40, 2],
        ],
      });
      const pid = await backendWaiting("c7", "Lock");
      await admin.query("SELECT pg_terminate_backend($1)", [pid]);
      expect(await pending).toEqual({
        type: "fail",
        error: "before commit: 57P01 terminating connection due to administrator command",
        node: "pg1",
      });
    } finally {
      await holder.query("ROLLBACK");
      await holder.end();
    }
    // Nothing of it took effect, and the client goes on with a new connection.
    expect(
      await c.invoke({
        f: "txn",
        value: [
          ["r", 40, null],
          ["r", 41, null],
        ],
      }),
    ).toEqual({
      type: "ok",
      value: [
        ["r", 40, [1]],
        ["r", 41, []],
      ],
      node: "pg1",
    });
  });

  describe("while the primary waits for a synchronous standby that never answers", () => {
    beforeAll(() => setSyncStandbys("nobody"));
    afterAll(() => setSyncStandbys(""));

    it("should complete info with the server's warning when the wait is cancelled, the row then visible on the primary", async () => {
      const c = await client("set", { clientName: "c2", opTimeoutMs: 30_000 });
      const pending = c.invoke({ f: "add", key: "sync", value: 1 });
      await admin.query("SELECT pg_cancel_backend($1)", [await backendWaiting("c2", "SyncRep")]);
      expect(await pending).toEqual({
        type: "info",
        error: expect.stringMatching(
          /^canceling wait for synchronous replication due to user request \(The transaction has already committed locally, but might not have been replicated to the standby\.\)/,
        ),
        node: "pg1",
      });
      const seen = await admin.query("SELECT element FROM faultline_set WHERE k = 'sync'");
      expect(seen.rows).toEqual([{ element: "1" }]);
    });

    it("should complete info with the server's warning when the waiting backend is terminated", async () => {
      const c = await client("list-append", { clientName: "c3", opTimeoutMs: 30_000 });
      const pending = c.invoke({
        f: "txn",
        value: [
          ["append", 50, 1],
          ["r", 50, null],
        ],
      });
      await admin.query("SELECT pg_terminate_backend($1)", [await backendWaiting("c3", "SyncRep")]);
      expect(await pending).toEqual({
        type: "info",
        error: expect.stringMatching(
          /^canceling the wait for synchronous replication and terminating connection due to administrator command \(The transaction has already committed locally.*then: Connection terminated unexpectedly$/,
        ),
        node: "pg1",
      });
      const seen = await admin.query("SELECT vals FROM faultline_list WHERE k = 50");
      expect(seen.rows).toEqual([{ vals: ["1"] }]);
    });

    it("should complete info when the commit is not answered within the op's time, and go on with a new connection", async () => {
      const c = await client("counter", { clientName: "c4", opTimeoutMs: 1500 });
      const r = await c.invoke({ f: "incr", key: "sync", value: 5 });
      expect(r).toEqual({
        type: "info",
        error: "after the commit was sent: Query read timeout",
        node: "pg1",
      });
      // A read needs no synchronous standby: the same client answers it on a fresh connection.
      expect(await c.invoke({ f: "read", key: "sync", value: null })).toMatchObject({
        type: "ok",
        node: "pg1",
      });
    });

    it("should cut an op the harness gave up on when the next one starts, so they never share a connection", async () => {
      const c = await client("set", { clientName: "c6", opTimeoutMs: 30_000 });
      // withTimeout answers the harness and lets the op run on: the next invoke comes while it still waits.
      const abandoned = c.invoke({ f: "add", key: "abandon", value: 1 });
      await backendWaiting("c6", "SyncRep");
      const next = await c.invoke({ f: "read", key: "abandon", value: null });
      expect(await abandoned).toEqual({
        type: "info",
        error: "after the commit was sent: Connection terminated",
        node: "pg1",
      });
      // The read ran on a new connection (a shared one would have queued behind the waiting commit until the
      // op's time ran out); the abandoned insert is committed locally but, still waiting, invisible.
      expect(next).toEqual({ type: "ok", value: [], node: "pg1" });
    });

    it("should answer a read-only transaction at once (without a transaction id its COMMIT waits for no standby)", async () => {
      const c = await client("list-append", { clientName: "c5", opTimeoutMs: 1500 });
      expect(await c.invoke({ f: "txn", value: [["r", 50, null]] })).toMatchObject({ type: "ok" });
    });
  });

  describe("two concurrent transactions that each read the list the other appends to (write skew)", () => {
    /**
     * T1 reads x and appends to y; T2 reads y and appends to x. A third session holds a share lock on both rows,
     * so both transactions have read (their snapshots taken) and wait at their appends; then it lets go.
     */
    async function writeSkew(
      isolation: PgIsolation,
      x: number,
      y: number,
    ): Promise<[Completion, Completion]> {
      const setup = await client("list-append", { clientName: "c10", isolation });
      expect(
        await setup.invoke({
          f: "txn",
          value: [
            ["append", x, 1],
            ["append", y, 1],
          ],
        }),
      ).toMatchObject({ type: "ok" });
      const t1 = await client("list-append", { clientName: "c8", isolation });
      const t2 = await client("list-append", { clientName: "c9", isolation });
      const holder = await servers.admin(servers.primary);
      try {
        await holder.query("BEGIN");
        await holder.query("SELECT * FROM faultline_list WHERE k = ANY($1) FOR SHARE", [[x, y]]);
        const p1 = t1.invoke({
          f: "txn",
          value: [
            ["r", x, null],
            ["append", y, 2],
          ],
        });
        const p2 = t2.invoke({
          f: "txn",
          value: [
            ["r", y, null],
            ["append", x, 2],
          ],
        });
        await backendWaiting("c8", "Lock");
        await backendWaiting("c9", "Lock");
        await holder.query("COMMIT");
        return [await p1, await p2];
      } finally {
        await holder.query("ROLLBACK").catch(() => undefined);
        await holder.end();
      }
    }

    it("should let both commit under repeatable read, each missing the other's append (G2-item)", async () => {
      const [r1, r2] = await writeSkew("repeatable-read", 60, 61);
      expect(r1).toEqual({
        type: "ok",
        value: [
          ["r", 60, [1]],
          ["append", 61, 2],
        ],
        node: "pg1",
      });
      expect(r2).toEqual({
        type: "ok",
        value: [
          ["r", 61, [1]],
          ["append", 60, 2],
        ],
        node: "pg1",
      });
      const both = await admin.query("SELECT k, vals FROM faultline_list WHERE k IN (60, 61) ORDER BY k");
      expect(both.rows).toEqual([
        { k: "60", vals: ["1", "2"] },
        { k: "61", vals: ["1", "2"] },
      ]);
    });

    it("should abort one of them under serializable with a serialization failure (40001 → fail)", async () => {
      const results = await writeSkew("serializable", 70, 71);
      const failed = results.filter((r) => r.type === "fail");
      expect(results.filter((r) => r.type === "ok")).toHaveLength(1);
      expect(failed).toEqual([
        { type: "fail", error: expect.stringMatching(/^40001 could not serialize access/), node: "pg1" },
      ]);
    });
  });

  it("should create the tables once when many clients start on an empty database at once", async () => {
    await admin.query("CREATE DATABASE race");
    const racers = await Promise.all(
      Array.from({ length: 6 }, (_, i) => client("counter", { clientName: `r${i}`, database: "race" })),
    );
    // open() connects nothing: the first op of each makes the tables, all at the same moment.
    const results = await Promise.all(racers.map((c, i) => c.invoke({ f: "incr", key: "c0", value: i + 1 })));
    expect(results.filter((r) => r.type !== "ok")).toEqual([]);
    expect(await racers[0]!.invoke({ f: "read", key: "c0", value: null })).toEqual({
      type: "ok",
      value: 21,
      node: "pg1",
    });
  });

  // Last: it promotes the standby, so the fixture has two primaries afterwards.
  it("should leave a standby that is promoted and take it as the leader when it comes first", async () => {
    const c = await client("follower-reads", { clientName: "c11" });
    expect(await c.invoke({ f: "read", key: "v0", value: null, route: "follower" })).toMatchObject({
      type: "ok",
      node: "pg2",
    });
    const promoter = await servers.admin(servers.standbys[0]!);
    try {
      await promoter.query("SELECT pg_promote(true, 30)");
    } finally {
      await promoter.end();
    }
    // The kept follower connection learns of the promotion (in_hot_standby) and is left: no node is a standby now.
    const none = await eventually("the client leaves the promoted standby", 10_000, async () => {
      const r = await c.invoke({ f: "read", key: "v0", value: null, route: "follower" });
      return r.type === "fail" ? r : undefined;
    });
    expect(none).toEqual({
      type: "fail",
      error: expect.stringMatching(
        /^nothing sent: no standby found: (?=.*pg1: not in recovery)(?=.*pg2: not in recovery)/,
      ),
    });
    // Discovery takes the first read-write node in order: pg2, now a second primary.
    const fresh = await client("follower-reads", { clientName: "c12" });
    expect(await fresh.invoke({ f: "write", key: "v0", value: 9 })).toEqual({
      type: "ok",
      value: 9,
      node: "pg2",
    });
  });
});
