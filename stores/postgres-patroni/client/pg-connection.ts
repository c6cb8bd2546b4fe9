import pg from "pg";
import type { QueryResult } from "pg";
import type { PgServerMessage } from "./classify.js";

/** A node as a client reaches it: its name and this client's own listener (proxy) for it. */
export interface PgNode {
  readonly name: string;
  readonly host: string;
  readonly port: number;
}

/** How a client's connections are made. */
export interface PgConnectSettings {
  readonly user: string;
  readonly database: string;
  /** Sent as `application_name`, so the server's views (`pg_stat_activity`) name the client. */
  readonly applicationName: string;
  /** The server's `statement_timeout` for every statement of the session, in ms. */
  readonly statementTimeoutMs: number;
  /**
   * The server's `idle_in_transaction_session_timeout`, in ms: a session left inside a transaction this long is
   * ended by the server, which rolls the transaction back and frees its row locks.
   */
  readonly idleInTransactionTimeoutMs: number;
}

/**
 * One open node-postgres connection to a named node. It knows whether it is still usable (`alive`: no socket
 * error or end seen), passes server notices to `onNotice`, and tracks the server's `in_hot_standby` report
 * (PostgreSQL 14+ sends it at start and whenever it changes, e.g. when a standby is promoted).
 */
export class PgConnection {
  alive = true;
  inHotStandby: boolean | undefined;
  onNotice: ((notice: PgServerMessage) => void) | undefined;

  private constructor(
    readonly node: string,
    readonly client: pg.Client,
  ) {}

  /**
   * Connects to `node`, or rejects within `timeoutMs` (node-postgres's `connectionTimeoutMillis`: the socket and
   * the startup exchange up to the first ready-for-query).
   */
  static async open(node: PgNode, settings: PgConnectSettings, timeoutMs: number): Promise<PgConnection> {
    const client = new pg.Client({
      host: node.host,
      port: node.port,
      user: settings.user,
      database: settings.database,
      application_name: settings.applicationName,
      statement_timeout: settings.statementTimeoutMs,
      idle_in_transaction_session_timeout: settings.idleInTransactionTimeoutMs,
      connectionTimeoutMillis: Math.max(1, Math.round(timeoutMs)),
      keepAlive: true,
    });
    const conn = new PgConnection(node.name, client);
    // Errors on an idle connection (the server went away) arrive as events; an unhandled one would crash.
    client.on("error", () => {
      conn.alive = false;
    });
    client.on("end", () => {
      conn.alive = false;
    });
    client.on("notice", (n) => conn.onNotice?.(n));
    client.connection.on("parameterStatus", (m: { parameterName: string; parameterValue: string }) => {
      if (m.parameterName === "in_hot_standby") conn.inHotStandby = m.parameterValue === "on";
    });
    try {
      await client.connect();
    } catch (err) {
      conn.destroy();
      throw err;
    }
    return conn;
  }

  /**
   * Sends one statement and waits at most `timeoutMs` for its answer (node-postgres's `query_timeout`, which
   * rejects with "Query read timeout" and leaves the statement running: the caller then destroys the connection).
   */
  query(text: string, values: readonly unknown[] | undefined, timeoutMs: number): Promise<QueryResult> {
    // node-postgres reads `query_timeout` from a query's config; @types/pg does not declare it.
    const config = {
      text,
      values: values as unknown[] | undefined,
      query_timeout: Math.max(1, Math.round(timeoutMs)),
    };
    return this.client.query(config as pg.QueryConfig);
  }

  /** Whether the connection is idle outside a transaction (node-postgres's last ready-for-query status `I`). */
  get idle(): boolean {
    return this.alive && this.client.getTransactionStatus() === "I";
  }

  /**
   * Closes the socket at once, whatever is in flight (a statement still running on the server is ended by the
   * server when it notices; an open transaction is rolled back). Idempotent.
   */
  destroy(): void {
    this.alive = false;
    this.onNotice = undefined;
    this.client.connection.stream.destroy();
    this.client.end().catch(() => undefined);
  }
}

/** Why a node was not taken, per node, for the error of a failed discovery. */
type Refusal = { node: string; reason: string };

/** What {@link discover} looks for: libpq's `target_session_attrs=read-write` or `standby`. */
export type PgTarget = "read-write" | "standby";

/**
 * No node qualified: nothing of the op was sent. Its message names every node and why it was passed over.
 */
export class PgNoNodeError extends Error {
  constructor(
    readonly target: PgTarget,
    readonly refusals: readonly Refusal[],
  ) {
    super(
      `no ${target === "read-write" ? "read-write node" : "standby"} found: ` +
        (refusals.map((r) => `${r.node}: ${r.reason}`).join("; ") || "no nodes"),
    );
    this.name = "PgNoNodeError";
  }
}

/**
 * Finds a node the way libpq's multi-host connection strings do (node-postgres has no `target_session_attrs`):
 * tries `nodes` in order, connects, and keeps the first connection that qualifies — for `read-write`, `SHOW
 * transaction_read_only` answers `off` (a primary; a hot standby answers `on`); for `standby`, `SELECT
 * pg_is_in_recovery()` answers true. Connections that do not qualify are closed. The whole search ends at
 * `deadline` (a `performance.now()` time), and each node gets at most `connectTimeoutMs` and at most its fair share
 * of what is left (left ÷ nodes still to try) for connecting and answering the probe: a node that swallows packets
 * (partitioned, paused) cannot use up an op's time before the nodes after it are tried — with libpq's per-host
 * `connect_timeout` alone, an old leader cut off first in the list would hide the new one for good. Rejects with
 * {@link PgNoNodeError} when none qualifies.
 */
export async function discover(
  target: PgTarget,
  nodes: readonly PgNode[],
  settings: PgConnectSettings,
  connectTimeoutMs: number,
  deadline: number,
): Promise<PgConnection> {
  const refusals: Refusal[] = [];
  for (const [i, node] of nodes.entries()) {
    const left = deadline - performance.now();
    if (left <= 0) {
      refusals.push({ node: node.name, reason: "not tried: the op's time ran out" });
      continue;
    }
    const nodeDeadline = performance.now() + Math.min(connectTimeoutMs, left / (nodes.length - i));
    let conn: PgConnection | undefined;
    try {
      conn = await PgConnection.open(node, settings, nodeDeadline - performance.now());
      const probe =
        target === "read-write"
          ? "SELECT current_setting('transaction_read_only') = 'off' AS ok"
          : "SELECT pg_is_in_recovery() AS ok";
      const r = await conn.query(probe, undefined, Math.max(1, nodeDeadline - performance.now()));
      if ((r.rows[0] as { ok: boolean } | undefined)?.ok === true) return conn;
      refusals.push({ node: node.name, reason: target === "read-write" ? "read-only" : "not in recovery" });
    } catch (err) {
      const e = err as { message?: string; code?: string };
      const message = (e.message ?? String(err)).split("\n")[0]!;
      const code = e.code && !message.includes(e.code) ? `${e.code} ` : "";
      refusals.push({ node: node.name, reason: `${code}${message}` || "error" });
    }
    conn?.destroy();
  }
  throw new PgNoNodeError(target, refusals);
}
