import { z } from "zod";
import { SHAPE_FLAGS, shapeFields } from "../shape-settings.js";
import type { StoreFlag } from "../store.js";
import { DEFAULT_REPLICATION } from "./replication.js";
import { FAST_PATRONI_TIMING } from "./timing.js";

/** The SQL isolation levels the list-append workload's transactions run at (`--isolation`). */
export const PG_ISOLATION_LEVELS = ["read-committed", "repeatable-read", "serializable"] as const;
export type PgIsolation = (typeof PG_ISOLATION_LEVELS)[number];

/** PostgreSQL's `synchronous_commit` levels faultline offers (`--synchronous-commit`). */
export const PG_SYNCHRONOUS_COMMIT = ["remote_write", "on", "remote_apply"] as const;

/**
 * The PostgreSQL + Patroni + etcd store's settings. `failoverManagers` is the number of etcd members (the
 * consensus store Patroni's agents, one beside each data node, agree through); the Patroni timing is in whole
 * seconds as Patroni takes it, checked against Patroni's documented limits (`timing.ts`).
 */
export const PgSettingsSchema = z.strictObject({
  kind: z.literal("postgres-patroni"),
  ...shapeFields({ followers: 2, failoverManagers: 3 }),
  /** Patroni's `ttl`: the leader lock's lease in etcd, so roughly how long a dead leader goes unreplaced (s). */
  ttl: z.int().min(1).max(3600).default(FAST_PATRONI_TIMING.ttl),
  /** Patroni's `loop_wait`: the sleep between two runs of its HA loop (s). */
  loopWait: z.int().min(1).max(600).default(FAST_PATRONI_TIMING.loopWait),
  /** Patroni's `retry_timeout`: how long etcd and PostgreSQL calls are retried before a leader demotes itself (s). */
  retryTimeout: z.int().min(1).max(600).default(FAST_PATRONI_TIMING.retryTimeout),
  /** Patroni's `synchronous_node_count` in the `sync` modes. */
  synchronousNodeCount: z.int().min(1).max(8).default(DEFAULT_REPLICATION.synchronousNodeCount),
  /** PostgreSQL's `synchronous_commit`: what a commit waits for from a synchronous standby. */
  synchronousCommit: z.enum(PG_SYNCHRONOUS_COMMIT).default(DEFAULT_REPLICATION.synchronousCommit),
  /** Patroni's `maximum_lag_on_failover` (bytes): a standby further behind is never promoted. */
  maximumLagOnFailover: z.int().min(0).default(DEFAULT_REPLICATION.maximumLagOnFailover),
  /** The isolation level of the list-append workload's transactions. */
  isolation: z.enum(PG_ISOLATION_LEVELS).default("serializable"),
});

/** The store's settings as a run holds them. */
export type PgSettings = z.output<typeof PgSettingsSchema>;

/** The flags of the PostgreSQL store (`--followers` and `--failover-managers` are shared with the other stores). */
export const PG_FLAGS: readonly StoreFlag[] = [
  ...SHAPE_FLAGS,
  {
    flags: "--patroni-ttl <seconds>",
    field: "store.ttl",
    kind: "int",
    description: "postgres-patroni: Patroni's ttl, the leader lock's lease in etcd (s; ≥ 20)",
    example: "30",
  },
  {
    flags: "--patroni-loop-wait <seconds>",
    field: "store.loopWait",
    kind: "int",
    description: "postgres-patroni: Patroni's loop_wait (s; ≥ 1)",
  },
  {
    flags: "--patroni-retry-timeout <seconds>",
    field: "store.retryTimeout",
    kind: "int",
    description: "postgres-patroni: Patroni's retry_timeout (s; ≥ 3, loop_wait + 2 × retry_timeout ≤ ttl)",
    example: "5",
  },
  {
    flags: "--synchronous-node-count <n>",
    field: "store.synchronousNodeCount",
    kind: "int",
    description:
      "postgres-patroni: synchronous standbys in the sync modes (Patroni's synchronous_node_count)",
  },
  {
    flags: "--synchronous-commit <level>",
    field: "store.synchronousCommit",
    kind: "choice",
    choices: PG_SYNCHRONOUS_COMMIT,
    description: "postgres-patroni: what a commit waits for from a synchronous standby",
  },
  {
    flags: "--maximum-lag-on-failover <bytes>",
    field: "store.maximumLagOnFailover",
    kind: "int",
    description: "postgres-patroni: a standby further behind (bytes) is never promoted",
  },
  {
    flags: "--isolation <level>",
    field: "store.isolation",
    kind: "choice",
    choices: PG_ISOLATION_LEVELS,
    description: "postgres-patroni: isolation level of the list-append workload's transactions",
  },
];
