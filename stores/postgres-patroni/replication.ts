/**
 * How writes are replicated: `async` (Patroni's default: the leader acknowledges before any standby has the
 * WAL), `sync` (`synchronous_mode`: the leader waits for `synchronousNodeCount` standbys, but Patroni drops the
 * requirement when no standby is left) or `sync-strict` (`synchronous_mode_strict`: with no synchronous standby,
 * `synchronous_standby_names = '*'` and every commit waits).
 */
export type ReplicationMode = "async" | "sync" | "sync-strict";

/** PostgreSQL's `synchronous_commit` levels that wait for a standby (only meaningful in `sync` modes). */
export type SynchronousCommit = "remote_write" | "on" | "remote_apply";

/** The store's replication settings. */
export interface PgReplication {
  mode: ReplicationMode;
  /** Patroni's `synchronous_node_count` (sync modes). */
  synchronousNodeCount: number;
  synchronousCommit: SynchronousCommit;
  /** Patroni's `maximum_lag_on_failover` in bytes: a standby further behind may not be promoted. */
  maximumLagOnFailover: number;
}

/** Patroni's defaults: asynchronous, one synchronous node when switched on, 1 MiB of allowed lag. */
export const DEFAULT_REPLICATION: PgReplication = {
  mode: "async",
  synchronousNodeCount: 1,
  synchronousCommit: "on",
  maximumLagOnFailover: 1_048_576,
};

/** Patroni's DCS keys for a replication setting. */
export function patroniReplicationKeys(r: PgReplication): Record<string, unknown> {
  return {
    synchronous_mode: r.mode !== "async",
    synchronous_mode_strict: r.mode === "sync-strict",
    synchronous_node_count: r.synchronousNodeCount,
    maximum_lag_on_failover: r.maximumLagOnFailover,
  };
}
