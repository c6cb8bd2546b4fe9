/**
 * How far an op got when it went wrong, which is what decides whether it may have taken effect:
 *
 * - `nothing-sent`: no statement of the op reached a server (no node accepted the connection, none was read-write,
 *   the op ran out of time before its first statement);
 * - `uncommitted`: statements were sent, but no `COMMIT` and no autocommit write: nothing can have taken effect,
 *   because the client never sends `COMMIT` after an error and a transaction that is never committed is rolled back;
 * - `commit-sent`: a `COMMIT`, or a write statement in autocommit (its own commit), was sent: it may have committed.
 */
export type PgStage = "nothing-sent" | "uncommitted" | "commit-sent";

/** An op's outcome as {@link classifyPgError} decides it. */
export interface PgOutcome {
  type: "fail" | "info";
  error: string;
}

/** The fields of a server message (node-postgres's `DatabaseError` and `NoticeMessage`) the classification reads. */
export interface PgServerMessage {
  message?: string | undefined;
  /** `ERROR`, `FATAL`, `PANIC`, `WARNING`, … (sent in the server's `lc_messages`; C/English on faultline's nodes). */
  severity?: string | undefined;
  /** The SQLSTATE (PostgreSQL's errcodes appendix). */
  code?: string | undefined;
  detail?: string | undefined;
}

/**
 * Whether a server notice says a commit's wait for a synchronous standby was cut short (PostgreSQL's
 * `SyncRepWaitForLSN`: a `WARNING` "canceling wait for synchronous replication due to user request" on a query
 * cancel, or "canceling the wait for synchronous replication and terminating connection due to administrator
 * command" (57P01) before a terminated backend exits, both with the detail "The transaction has already committed
 * locally, but might not have been replicated to the standby."). The commit then stays on the primary, visible,
 * without being replicated: it answers `COMMIT` (after a cancel) or closes the connection (after a terminate).
 */
export function isSyncRepCancel(notice: PgServerMessage): boolean {
  return (
    /cancel(l)?ing (the )?wait for synchronous replication/i.test(notice.message ?? "") ||
    /already committed locally/i.test(notice.detail ?? "")
  );
}

/** The text recorded for a cut-short synchronous-replication wait: the server's message and detail. */
export function syncRepCancelText(notice: PgServerMessage): string {
  const detail = notice.detail ? ` (${notice.detail})` : "";
  return `${notice.message ?? "synchronous replication wait cancelled"}${detail}; committed on the primary, may not be replicated`;
}

/**
 * Classifies a node-postgres error into the op's outcome, given how far the op got ({@link PgStage}) and the
 * synchronous-replication warning the server sent during it, if any ({@link isSyncRepCancel}):
 *
 * - a cut-short synchronous-replication wait → **info** with the server's warning: the commit took effect on the
 *   primary (it is durable and visible there) but was not acknowledged by a standby, so it may be lost on failover;
 * - a server `ERROR` (any SQLSTATE: `25006` read-only transaction, `40001` serialization failure, `40P01` deadlock,
 *   `57014` statement timeout, `23505`, …) → **fail**: the server rolled the statement's transaction back. No ERROR
 *   can follow a commit record (PostgreSQL turns errors after it into PANIC, and a sync-rep wait ends with a WARNING);
 * - anything else (a `FATAL` such as `57P01` admin shutdown or `57P03` cannot connect now, a lost connection, the
 *   client's query timeout, a refused connection) → **fail** unless a commit was sent, **info** once it was.
 *
 * @example
 * classifyPgError(Object.assign(new Error("could not serialize access"), { severity: "ERROR", code: "40001" }), "commit-sent");
 * // { type: "fail", error: "40001 could not serialize access" }
 * classifyPgError(new Error("Connection terminated unexpectedly"), "commit-sent"); // { type: "info", … }
 */
export function classifyPgError(err: unknown, stage: PgStage, syncRepWarning?: PgServerMessage): PgOutcome {
  const error = describePgError(err);
  if (syncRepWarning) return { type: "info", error: `${syncRepCancelText(syncRepWarning)}; then: ${error}` };
  if (isServerError(err)) return { type: "fail", error };
  if (stage === "commit-sent") return { type: "info", error: `after the commit was sent: ${error}` };
  return {
    type: "fail",
    error: stage === "nothing-sent" ? `nothing sent: ${error}` : `before commit: ${error}`,
  };
}

/** Whether `err` is an `ERROR` the server answered a statement with (its transaction is rolled back). */
export function isServerError(err: unknown): boolean {
  const e = err as PgServerMessage | undefined;
  return typeof e === "object" && e !== null && e.severity === "ERROR" && sqlState(err) !== undefined;
}

/** The SQLSTATE of a server message, if `err` is one. */
export function sqlState(err: unknown): string | undefined {
  if (typeof err !== "object" || err === null) return undefined;
  // Node's socket errors carry a `code` too (`EPIPE`), but never a severity.
  const { code, severity } = err as PgServerMessage;
  return typeof severity === "string" && typeof code === "string" && /^[0-9A-Z]{5}$/.test(code)
    ? code
    : undefined;
}

/** One line for the history: `<SQLSTATE> <message>` for server messages, the message (or code) otherwise. */
export function describePgError(err: unknown): string {
  const message = err instanceof Error ? err.message : String(err);
  const line = (message.split("\n")[0] || (err as { code?: string } | null)?.code || "unknown error").slice(
    0,
    300,
  );
  const state = sqlState(err);
  return state ? `${state} ${line}` : line;
}
