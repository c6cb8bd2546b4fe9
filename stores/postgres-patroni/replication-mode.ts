import type { PgReplication, ReplicationMode } from "./replication.js";
import type { PgSettings } from "./settings.js";

/** The replication modes of `--replication` for this store. */
export const PG_REPLICATION_MODES: readonly ReplicationMode[] = ["async", "sync", "sync-strict"];

/** The grammar, for help texts and messages. */
export const PG_REPLICATION_GRAMMAR = "async | sync | sync-strict";

/** The canonical mode of `text`, or what is wrong with it. */
export function canonicalPgReplication(text: string): { text: string } | { error: string } {
  const t = text.trim().toLowerCase();
  if ((PG_REPLICATION_MODES as readonly string[]).includes(t)) return { text: t };
  return {
    error:
      `the postgres-patroni store replicates ${PG_REPLICATION_GRAMMAR} (async: Patroni's default; sync: ` +
      `synchronous_mode; sync-strict: synchronous_mode_strict), got ${JSON.stringify(text)}`,
  };
}

/** What is wrong with `mode` given the settings, if anything. */
export function pgReplicationProblem(mode: string, s: PgSettings): string | undefined {
  if (mode !== "async" && s.synchronousNodeCount > s.followers) {
    return (
      `${mode} with synchronousNodeCount ${s.synchronousNodeCount} needs at least that many followers ` +
      `(there are ${s.followers})`
    );
  }
  return undefined;
}

/** The replication settings Patroni is started with for canonical mode `mode`. */
export function replicationOf(mode: string, s: PgSettings): PgReplication {
  return {
    mode: mode as ReplicationMode,
    synchronousNodeCount: s.synchronousNodeCount,
    synchronousCommit: s.synchronousCommit,
    maximumLagOnFailover: s.maximumLagOnFailover,
  };
}
