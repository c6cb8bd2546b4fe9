import { join } from "node:path";
import { stringify } from "yaml";
import type { Address, PgClusterPlan, PgNodePlan } from "./plan.js";
import { patroniReplicationKeys, type PgReplication } from "./replication.js";
import type { PatroniTiming } from "./timing.js";

/** Debian 12's PostgreSQL 15 binaries. */
export const DEBIAN_PG_BIN_DIR = "/usr/lib/postgresql/15/bin";

/** The roles Patroni creates at bootstrap; authentication is `trust` on loopback, so passwords are nominal. */
export const PG_USERS = {
  superuser: { username: "postgres", password: "faultline" },
  replication: { username: "replicator", password: "faultline" },
  rewind: { username: "rewinder", password: "faultline" },
} as const;

/** What a node's Patroni configuration is made from. */
export interface PatroniConfigInput {
  plan: PgClusterPlan;
  node: PgNodePlan;
  timing: PatroniTiming;
  replication: PgReplication;
  binDir?: string;
  /**
   * The networks PostgreSQL trusts connections from (default loopback, `127.0.0.0/8`; in docker, the run's
   * subnet, whence the proxy and the harness's published ports connect).
   */
  trust?: readonly string[];
}

const hostPort = (a: Address): string => `${a.host}:${a.port}`;

/**
 * The Patroni 3.0 configuration (as an object) of one node. Every address another process dials is the
 * public one (`connect_address`, etcd hosts), every bound address the real one (`listen`). Standbys follow the
 * leader's `connect_address` (Patroni builds `primary_conninfo` from the leader's `conn_url` in the DCS), which
 * is why every standby dials the same address.
 *
 * Settings that matter, each verified in docs/stores/postgres-patroni.md: `use_pg_rewind` with
 * `wal_log_hints` (and data checksums at initdb) so a deposed leader rejoins by rewinding instead of being
 * re-cloned; replication slots so a standby's WAL is kept while it is down; `pg_hba` trusting all of
 * 127.0.0.0/8 so connections from any loopback source (a proxy's or a bound one) are accepted.
 */
export function patroniConfig(input: PatroniConfigInput): Record<string, unknown> {
  const { plan, node, timing, replication } = input;
  return {
    scope: plan.scope,
    name: node.name,
    log: { level: "INFO" },
    restapi: { listen: hostPort(node.rest.real), connect_address: hostPort(node.rest.public) },
    etcd3: { hosts: plan.etcd.map((m) => hostPort(m.client.public)) },
    bootstrap: {
      dcs: {
        ttl: timing.ttl,
        loop_wait: timing.loopWait,
        retry_timeout: timing.retryTimeout,
        ...patroniReplicationKeys(replication),
        postgresql: {
          use_pg_rewind: true,
          use_slots: true,
          parameters: {
            wal_level: "replica",
            hot_standby: "on",
            wal_log_hints: "on",
            max_wal_senders: 10,
            max_replication_slots: 10,
            wal_keep_size: "128MB",
            synchronous_commit: replication.synchronousCommit,
          },
        },
      },
      initdb: [{ encoding: "UTF8" }, "data-checksums"],
    },
    postgresql: {
      listen: hostPort(node.postgres.real),
      connect_address: hostPort(node.postgres.public),
      data_dir: node.dataDir,
      bin_dir: input.binDir ?? DEBIAN_PG_BIN_DIR,
      pgpass: join(node.dir, "pgpass"),
      authentication: PG_USERS,
      // The socket lives in the node's own directory (Debian's /var/run/postgresql belongs to the system
      // cluster); its path must stay under 107 bytes.
      // lc_messages C: server messages in English whatever the machine's locale, so the history's error texts
      // read the same everywhere, and the client can recognise the WARNING of a cut-short synchronous-replication
      // wait (a WARNING has no SQLSTATE of its own to go by; see client/classify.ts).
      parameters: { unix_socket_directories: node.dir, lc_messages: "C" },
      pg_hba: [
        "local all all trust",
        ...(input.trust ?? ["127.0.0.0/8"]).flatMap((net) => [
          `host all all ${net} trust`,
          `host replication all ${net} trust`,
        ]),
      ],
    },
  };
}

/** {@link patroniConfig} as the YAML file Patroni reads. */
export function patroniYaml(input: PatroniConfigInput): string {
  return stringify(patroniConfig(input));
}
