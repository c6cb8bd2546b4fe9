import type { QueryResult } from "pg";
import type { Client, Completion } from "../../../core/clients/index.js";
import { OpNotApplied, type Invocation, type Workload } from "../../../workloads/index.js";
import { PG_OPS, PG_SCHEMA, type PgIsolation, type PgSession } from "../ops/index.js";
import {
  classifyPgError,
  isServerError,
  isSyncRepCancel,
  sqlState,
  syncRepCancelText,
  type PgServerMessage,
  type PgStage,
} from "./classify.js";
import {
  discover,
  type PgConnection,
  type PgConnectSettings,
  type PgNode,
  type PgTarget,
} from "./pg-connection.js";

/** Options of {@link pgClient}. */
export interface PgClientOptions {
  /** The client's name (`c1`…): its `application_name`, and which standby it prefers. */
  readonly clientName: string;
  /** This client's own listeners (proxy) to each node, in the order leader discovery tries them. */
  readonly nodes: readonly PgNode[];
  readonly user: string;
  readonly database: string;
  readonly workload: Workload<any>;
  /**
   * The time an op may take, in ms: discovery, connecting and every statement share it (the harness deadline,
   * `withTimeout`, is a little longer). It sets the server's timeouts too ({@link pgConnectSettings}).
   */
  readonly opTimeoutMs: number;
  /** The isolation level of list-append's transactions (other workloads are single autocommit statements). */
  readonly isolation: PgIsolation;
  /** The longest a connection attempt to one node may take, in ms (default: 1000, at most `opTimeoutMs`). */
  readonly connectTimeoutMs?: number;
}

const ISOLATION_SQL: Readonly<Record<PgIsolation, string>> = {
  "read-committed": "READ COMMITTED",
  "repeatable-read": "REPEATABLE READ",
  serializable: "SERIALIZABLE",
};

/** The share of an op's time the server's `statement_timeout` allows one statement. */
export const STATEMENT_TIMEOUT_SHARE = 0.8;

const STAGE_ORDER: Readonly<Record<PgStage, number>> = {
  "nothing-sent": 0,
  uncommitted: 1,
  "commit-sent": 2,
};

/**
 * A workload client over node-postgres for a PostgreSQL cluster whose failover manager moves the primary (issue
 * 13 §3). Leader discovery is libpq's `target_session_attrs=read-write` over the client's node listeners, in order
 * ({@link discover}); the connection is kept until it fails or answers read-only (`25006`), and the next op
 * discovers again. Follower reads (`route: "follower"`) go to a hot standby, searched from this client's own
 * position in the node list so clients spread over the standbys; a standby that is promoted is left. There are no
 * retries: each op is sent once, every completion records the node that served it, and errors are classified by
 * {@link classifyPgError} from how far the op got. A commit whose wait for a synchronous standby was cut short
 * (the server's WARNING) is `info` with the server's words, even when `COMMIT` answered.
 *
 * @example
 * const client = withTimeout(pgClient({ clientName: "c1", nodes, user: "postgres", database: "postgres",
 *   workload, opTimeoutMs: 1000, isolation: "serializable" }), 1250);
 * await client.open();
 * await client.invoke({ f: "add", key: "faultline:set", value: 7 }); // { type: "ok", value: 7, node: "pg1" }
 */
export function pgClient(options: PgClientOptions): Client {
  const { workload, nodes, opTimeoutMs } = options;
  const perform = PG_OPS[workload.name];
  if (!perform) throw new Error(`the postgres-patroni store has no ops for the ${workload.name} workload`);
  const schema = PG_SCHEMA[workload.name] ?? [];
  const settings = pgConnectSettings(options);
  const connectTimeoutMs = Math.min(options.connectTimeoutMs ?? 1000, opTimeoutMs);
  const standbyOrder = rotate(nodes, clientIndex(options.clientName));
  let state: "new" | "open" | "closed" = "new";
  const conns: Record<PgTarget, PgConnection | undefined> = { "read-write": undefined, standby: undefined };
  // Connections whose open transaction is being rolled back after an error, until the rollback answers.
  const rollingBack = new WeakMap<PgConnection, Promise<void>>();
  // The op still running, if the harness gave up on it (withTimeout): the next one must not share its connections.
  let running: Promise<Completion> | undefined;

  const drop = (target: PgTarget): void => {
    conns[target]?.destroy();
    conns[target] = undefined;
  };

  /** The kept connection for `target`, or a new one (for the leader, with the workload's tables made sure of). */
  async function connection(target: PgTarget, deadline: number): Promise<PgConnection> {
    // A rollback after the last op's error goes first (one statement at a time on a connection: node-postgres
    // deprecates queueing a query behind another).
    const settling = conns[target] && rollingBack.get(conns[target]);
    if (settling) await settling;
    const kept = conns[target];
    if (kept?.alive && !(target === "standby" && kept.inHotStandby === false)) return kept;
    drop(target);
    const conn = await discover(
      target,
      target === "read-write" ? nodes : standbyOrder,
      settings,
      connectTimeoutMs,
      deadline,
    );
    if (target === "read-write") {
      try {
        await ensureSchema(conn, schema, deadline);
      } catch (err) {
        conn.destroy();
        throw err;
      }
    }
    conns[target] = conn;
    return conn;
  }

  async function runOp(op: Invocation): Promise<Completion> {
    const deadline = performance.now() + opTimeoutMs;
    let stage: PgStage = "nothing-sent";
    let used: PgConnection | undefined;
    let syncRep: PgServerMessage | undefined;
    const onNotice = (n: PgServerMessage): void => {
      if (isSyncRepCancel(n)) syncRep ??= n;
    };

    /** Sends one statement on `conn`, marking how far the op got before it goes out. */
    const send = (conn: PgConnection, after: PgStage, text: string, values?: readonly unknown[]) => {
      const left = deadline - performance.now();
      if (left <= 0)
        throw new Error(`the op's ${opTimeoutMs} ms ran out before sending: ${text.slice(0, 40)}`);
      used = conn;
      conn.onNotice = onNotice;
      if (STAGE_ORDER[after] > STAGE_ORDER[stage]) stage = after;
      return conn.query(text, values, left);
    };
    const on = async (target: PgTarget): Promise<PgConnection> => {
      if (target === "standby" && !workload.usesFollowers) {
        throw new Error(`the ${workload.name} workload reads no followers`);
      }
      return connection(target, deadline);
    };
    const session: PgSession = {
      read: async (text, values) => send(await on("read-write"), "uncommitted", text, values),
      write: async (text, values) => send(await on("read-write"), "commit-sent", text, values),
      readFollower: async (text, values) => send(await on("standby"), "uncommitted", text, values),
      async transaction(body, { writes }) {
        const conn = await on("read-write");
        await send(conn, "uncommitted", `BEGIN ISOLATION LEVEL ${ISOLATION_SQL[options.isolation]}`);
        const result = await body({ query: (text, values) => send(conn, "uncommitted", text, values) });
        const commit: QueryResult = await send(conn, writes ? "commit-sent" : "uncommitted", "COMMIT");
        // A transaction that had failed answers COMMIT with ROLLBACK; body would have thrown first, but be sure.
        if (commit.command === "ROLLBACK")
          throw new OpNotApplied("COMMIT answered ROLLBACK: the transaction had aborted");
        return result;
      },
    };

    const withNode = (c: Completion): Completion => (used ? { ...c, node: used.node } : c);
    try {
      const value = await perform(session, op);
      if (syncRep) return withNode({ type: "info", error: syncRepCancelText(syncRep) });
      return withNode({ type: "ok", value });
    } catch (err) {
      afterError(err);
      if (err instanceof OpNotApplied && !syncRep) {
        return withNode(err.error === undefined ? { type: "fail" } : { type: "fail", error: err.error });
      }
      return withNode(classifyPgError(err, stage, syncRep));
    } finally {
      if (used) used.onNotice = undefined;
    }

    /**
     * Leaves no connection in an unknown state: one that answered read-only (the node was demoted) or did not
     * answer in time (its statement may still run) or broke is dropped; one left inside a transaction is rolled
     * back (queued before the next op's statements, so that op starts clean).
     */
    function afterError(err: unknown): void {
      for (const target of ["read-write", "standby"] as const) {
        const conn = conns[target];
        if (!conn || conn !== used) continue;
        const serverRefusal = isServerError(err) || err instanceof OpNotApplied;
        if (!conn.alive || !serverRefusal || sqlState(err) === "25006") drop(target);
        else if (!conn.idle) {
          rollingBack.set(
            conn,
            conn.client.query("ROLLBACK").then(
              () => void rollingBack.delete(conn),
              () => {
                rollingBack.delete(conn);
                if (conns[target] === conn) drop(target);
              },
            ),
          );
        }
      }
    }
  }

  return {
    open() {
      if (state !== "new") return Promise.reject(new Error(`open() on a ${state} postgres client`));
      // Connections are made by the first op that needs one (and again after a failure): each op then reports
      // why it could not reach a node, and clients that start together create the tables as they would in a run.
      state = "open";
      return Promise.resolve();
    },
    async invoke(op: Invocation): Promise<Completion> {
      if (state !== "open")
        return { type: "fail", error: `client is ${state === "new" ? "not open" : "closed"}` };
      if (running) {
        // The harness stopped waiting for the last op; cut its connections so nothing of it mixes with this one.
        drop("read-write");
        drop("standby");
        await running;
      }
      const p = runOp(op);
      running = p;
      try {
        return await p;
      } finally {
        if (running === p) running = undefined;
      }
    },
    close() {
      state = "closed";
      drop("read-write");
      drop("standby");
      return Promise.resolve();
    },
  };
}

/**
 * The session settings of {@link pgClient}'s connections: `application_name` is the client's name; the server's
 * `statement_timeout` is {@link STATEMENT_TIMEOUT_SHARE} of the op's time, so a statement stuck on a responsive
 * server (a lock, a slow disk) is cancelled there — a definite failure, `57014` — before the client's own read
 * timeout would have to call the op unknown; `idle_in_transaction_session_timeout` is the op's time: an op never
 * pauses inside a transaction that long, so a transaction idle past it was left by a client that gave up while the
 * network (a partition, a dropped proxy link) kept the server from seeing its socket close — it would otherwise
 * hold its row locks against every later op until TCP gives up (hours).
 */
export function pgConnectSettings(
  options: Pick<PgClientOptions, "clientName" | "user" | "database" | "opTimeoutMs">,
): PgConnectSettings {
  return {
    user: options.user,
    database: options.database,
    applicationName: options.clientName,
    statementTimeoutMs: Math.max(1, Math.floor(options.opTimeoutMs * STATEMENT_TIMEOUT_SHARE)),
    idleInTransactionTimeoutMs: options.opTimeoutMs,
  };
}

/**
 * Makes sure the workload's tables exist (idempotent `CREATE TABLE IF NOT EXISTS`). Clients that start together
 * race to create them, and `IF NOT EXISTS` does not stop the loser from failing: it gets `23505` (the unique index
 * on `pg_type`'s names, after waiting for the winner to commit), `42710` (the table's row type already exists;
 * seen 2 times in 15 rounds of 6 clients) or `42P07` (duplicate table). The table is there in every case.
 */
export async function ensureSchema(
  conn: PgConnection,
  statements: readonly string[],
  deadline: number,
): Promise<void> {
  for (const text of statements) {
    try {
      await conn.query(text, undefined, Math.max(1, deadline - performance.now()));
    } catch (err) {
      const state = sqlState(err);
      if (state !== "23505" && state !== "42710" && state !== "42P07") throw err;
    }
  }
}

/** The client's position among clients: `c3` → 2 (a name without a number hashes to one). */
function clientIndex(name: string): number {
  const n = /(\d+)$/.exec(name);
  return n ? Number(n[1]) - 1 : [...name].reduce((h, c) => (h * 31 + c.charCodeAt(0)) >>> 0, 7);
}

/** `items` starting at position `k` (modulo their number), wrapping around. */
function rotate<T>(items: readonly T[], k: number): T[] {
  if (items.length === 0) return [];
  const s = ((k % items.length) + items.length) % items.length;
  return [...items.slice(s), ...items.slice(0, s)];
}
