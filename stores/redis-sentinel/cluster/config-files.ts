import type { PERSISTENCE } from "../settings.js";

type Persistence = (typeof PERSISTENCE)[number];

/** The settings every Redis data node of a run shares (spec §2.6 recipe, §1 mechanics). */
export interface RedisNodeSettings {
  persistence: Persistence;
  minReplicasToWrite: number;
  minReplicasMaxLag: number;
}

/** One data node's own addresses and paths. */
export interface RedisNodeLayout {
  realPort: number;
  publicPort: number;
  sourceAddress: string;
  dir: string;
  /** The leader's public port, for followers; absent on the initial leader. */
  replicaOfPublicPort?: number;
  /** The leader's public host (default: `announceHost`). */
  replicaOfPublicHost?: string;
  /** The address the listener binds (default `127.0.0.1`; `0.0.0.0` in a container). */
  bind?: string;
  /** The host of this node's public address (default `127.0.0.1`; the proxy's container address with docker). */
  announceHost?: string;
}

/**
 * Renders `redis.conf` for one data node. Redis config files take no trailing comments, so every comment sits on
 * its own line. Every address another node learns is the node's **public** (proxy) port, and outgoing
 * connections come from the node's own loopback address, so the proxy can tell who is talking (spec §2.5–2.6).
 *
 * @example
 * renderRedisConf({ realPort: 27201, publicPort: 27301, sourceAddress: "127.0.1.1", dir: "/tmp/n1" },
 *   { persistence: "none", minReplicasToWrite: 0, minReplicasMaxLag: 10 });
 */
export function renderRedisConf(node: RedisNodeLayout, s: RedisNodeSettings): string {
  const announce = node.announceHost ?? "127.0.0.1";
  const lines = [
    "# written by faultline for one run; Redis may rewrite it (CONFIG REWRITE after a failover)",
    `port ${node.realPort}`,
    `bind ${node.bind ?? "127.0.0.1"}`,
    "protected-mode no",
    `bind-source-addr ${node.sourceAddress}`,
    `replica-announce-ip ${announce}`,
    "# this node's public port; the initial leader needs it too (it is announced once demoted)",
    `replica-announce-port ${node.publicPort}`,
    `dir ${node.dir}`,
    `logfile ${node.dir}/redis.log`,
    `pidfile ${node.dir}/redis.pid`,
    "daemonize no",
    "# keep /proc/<pid>/environ readable: the proc title would overwrite it, and with it the run tag the reaper reads",
    "set-proc-title no",
    'save ""',
    ...persistenceLines(s.persistence),
    "repl-diskless-sync yes",
    "# the 7.0 default waits 5 s for more replicas before a full sync (spec §1.1)",
    "repl-diskless-sync-delay 0",
    "repl-timeout 5",
    "repl-ping-replica-period 1",
    "# a partition writing more than this forces a full resync on heal (spec §1.1)",
    "repl-backlog-size 16mb",
    `min-replicas-to-write ${s.minReplicasToWrite}`,
    `min-replicas-max-lag ${s.minReplicasMaxLag}`,
  ];
  if (node.replicaOfPublicPort !== undefined)
    lines.push(`replicaof ${node.replicaOfPublicHost ?? announce} ${node.replicaOfPublicPort}`);
  return lines.join("\n") + "\n";
}

function persistenceLines(p: Persistence): string[] {
  switch (p) {
    case "none":
      return ["appendonly no"];
    case "aof-everysec":
      return ["appendonly yes", "appendfsync everysec"];
    case "aof-always":
      return ["appendonly yes", "appendfsync always"];
  }
}

/** The settings every Sentinel of a run shares. */
export interface SentinelSettings {
  masterName: string;
  quorum: number;
  downAfterMs: number;
  failoverTimeoutMs: number;
  /** Replicas repointed at once after a failover; the number of followers (spec §3). */
  parallelSyncs: number;
}

/** One Sentinel's addresses and paths, and where the initial leader is. */
export interface SentinelLayout {
  realPort: number;
  publicPort: number;
  sourceAddress: string;
  dir: string;
  leaderPublicPort: number;
  /** The leader's public host (default: `announceHost`). */
  leaderPublicHost?: string;
  /** The address the listener binds (default `127.0.0.1`; `0.0.0.0` in a container). */
  bind?: string;
  /** The host of this Sentinel's public address (default `127.0.0.1`; the proxy's container address with docker). */
  announceHost?: string;
}

/**
 * Renders `sentinel.conf`. Sentinel rewrites this file (ids, epochs, known peers), which is why each run gets
 * fresh ones. It announces its public port, or the other Sentinels would reach it around the proxy (spec §2.5).
 */
export function renderSentinelConf(node: SentinelLayout, s: SentinelSettings): string {
  const announce = node.announceHost ?? "127.0.0.1";
  return (
    [
      "# written by faultline for one run; Sentinel rewrites it",
      `port ${node.realPort}`,
      `bind ${node.bind ?? "127.0.0.1"}`,
      "protected-mode no",
      `bind-source-addr ${node.sourceAddress}`,
      `sentinel announce-ip ${announce}`,
      `sentinel announce-port ${node.publicPort}`,
      `dir ${node.dir}`,
      `logfile ${node.dir}/sentinel.log`,
      `pidfile ${node.dir}/sentinel.pid`,
      "daemonize no",
      "set-proc-title no",
      `sentinel monitor ${s.masterName} ${node.leaderPublicHost ?? announce} ${node.leaderPublicPort} ${s.quorum}`,
      `sentinel down-after-milliseconds ${s.masterName} ${s.downAfterMs}`,
      `sentinel failover-timeout ${s.masterName} ${s.failoverTimeoutMs}`,
      `sentinel parallel-syncs ${s.masterName} ${s.parallelSyncs}`,
    ].join("\n") + "\n"
  );
}
