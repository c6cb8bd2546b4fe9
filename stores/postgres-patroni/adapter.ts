import type { StoreAdapter } from "../store.js";
import { PG_OPS } from "./ops/index.js";
import { PG_IMAGES, pgImageStager } from "./docker/pg-image.js";
import { startPgStore } from "./pg-store.js";
import { canonicalPgReplication, pgReplicationProblem, PG_REPLICATION_GRAMMAR } from "./replication-mode.js";
import { PG_FLAGS, PgSettingsSchema, type PgSettings } from "./settings.js";
import { checkPatroniTiming } from "./timing.js";

/**
 * PostgreSQL 15 streaming replication managed by Patroni 3 on etcd 3.4 (docs/stores/postgres-patroni.md): data
 * nodes `n1…` (a PostgreSQL server and its Patroni agent each), etcd members `s1…` as the consensus store the
 * agents agree through (the failover managers' quorum: cutting or killing them takes failover away), replication
 * `async`, `sync` or `sync-strict`, clients finding the leader as libpq's `target_session_attrs=read-write` does.
 */
export const postgresPatroni: StoreAdapter<PgSettings> = {
  kind: "postgres-patroni",
  description:
    "PostgreSQL 15 + Patroni 3 + etcd: streaming replication async, sync or sync-strict (synchronous standbys), " +
    "failover by Patroni through etcd",
  settings: PgSettingsSchema,
  flags: PG_FLAGS,
  check(s) {
    const timing = checkPatroniTiming({ ttl: s.ttl, loopWait: s.loopWait, retryTimeout: s.retryTimeout });
    return timing.ok ? [] : timing.problems.map((message) => ({ path: ["ttl"], message }));
  },
  // Each data node's Patroni is a process of its own beside its PostgreSQL (`kill-leader-agent`), and the etcd
  // members elect a Raft leader of their own (`consensus-leader`).
  shape: (s) => ({
    nodes: s.followers + 1,
    managers: s.failoverManagers,
    agents: true,
    consensusLeader: true,
  }),
  describe: (s) =>
    `${s.followers + 1} data nodes (PostgreSQL + Patroni) and ${s.failoverManagers} etcd members (Patroni's ` +
    `consensus store)`,
  replication: {
    grammar: PG_REPLICATION_GRAMMAR,
    canonical: canonicalPgReplication,
    problem: (text, s) => {
      const c = canonicalPgReplication(text);
      return "error" in c ? c.error : pgReplicationProblem(c.text, s);
    },
    reconcile: (text, settings) => ({ replication: text, settings }),
  },
  workloads: Object.keys(PG_OPS),
  // docs/stores/postgres-patroni.md §5.3: clients reach data nodes only; data nodes (standbys, Patroni) reach
  // data nodes and etcd; etcd members reach each other; nobody reaches a client.
  connects: (from, to) =>
    to !== "client" && !(from === "client" && to === "manager") && !(from === "manager" && to === "node"),
  backends: ["local", "docker"],
  images: { ...PG_IMAGES, stager: pgImageStager },
  cluster: (request) => ({ store: "postgres-patroni", start: () => startPgStore(request) }),
};
