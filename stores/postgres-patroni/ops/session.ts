import type { QueryResult } from "pg";
import type { Invocation } from "../../../workloads/index.js";

/** The transaction isolation levels of `--isolation` (PostgreSQL's `BEGIN ISOLATION LEVEL …`). */
export type PgIsolation = "read-committed" | "repeatable-read" | "serializable";

/** Every {@link PgIsolation}, for schemas and help texts. */
export const PG_ISOLATIONS: readonly PgIsolation[] = ["read-committed", "repeatable-read", "serializable"];

/** Statements inside a transaction of {@link PgSession.transaction}. */
export interface PgTransaction {
  query(text: string, values?: readonly unknown[]): Promise<QueryResult>;
}

/**
 * What an op's SQL gets from the client: statements on the leader (a read-write node) or on a standby, each kind
 * saying what it may change, so the client knows whether an error can have left an effect (`classifyPgError`).
 * The node recorded as having served an op is the node of the last statement it sent.
 */
export interface PgSession {
  /** A statement on the leader, in autocommit, that changes nothing (a lost answer is a `fail`). */
  read(text: string, values?: readonly unknown[]): Promise<QueryResult>;
  /** A statement on the leader, in autocommit, that writes: once sent it may have committed (a lost answer is `info`). */
  write(text: string, values?: readonly unknown[]): Promise<QueryResult>;
  /**
   * A statement that changes nothing, on a hot standby (a node with `pg_is_in_recovery()`), for workloads with
   * `usesFollowers`; other workloads get an error. Rejects without sending anything when no node is a standby.
   */
  readFollower(text: string, values?: readonly unknown[]): Promise<QueryResult>;
  /**
   * One transaction on the leader at the client's isolation level: `BEGIN ISOLATION LEVEL …`, `body`'s statements,
   * `COMMIT` once `body` resolves (nothing is committed if it throws). `writes` says whether the transaction may
   * write, i.e. whether an unanswered `COMMIT` leaves the op unknown.
   */
  transaction<T>(body: (tx: PgTransaction) => Promise<T>, options: { writes: boolean }): Promise<T>;
}

/**
 * Performs one op of a workload with SQL and resolves with the value to record on `ok`. Throwing means the op did
 * not complete normally; the client classifies the error as `fail` or `info` (`OpNotApplied` is always `fail`).
 */
export type PgOp = (session: PgSession, op: Invocation) => Promise<unknown>;
