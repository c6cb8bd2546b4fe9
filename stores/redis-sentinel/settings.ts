import { z } from "zod";
import { durationField } from "../../core/index.js";
import { SHAPE_FLAGS, shapeFields } from "../shape-settings.js";
import type { StoreFlag } from "../store.js";

/** How the leader persists writes: none (memory only), AOF with fsync every second, AOF with fsync always. */
export const PERSISTENCE = ["none", "aof-everysec", "aof-always"] as const;

/** The store's defaults (durations in ms). */
export const REDIS_DEFAULTS = {
  followers: 2,
  failoverManagers: 3,
  minReplicasToWrite: 0,
  minReplicasMaxLag: 10,
  persistence: "aof-everysec",
  /** Spec §3: 1000 is the fast, still stable choice on 2 cores. */
  downAfter: 1000,
  /** Spec §3: never below 2000; 1000 ends failovers by timeout. */
  failoverTimeout: 3000,
} as const;

/** Redis + Sentinel settings: cluster shape, replication safety, failover timings (spec §1.4, §3). */
export const RedisSettingsSchema = z.strictObject({
  kind: z.literal("redis-sentinel"),
  ...shapeFields(REDIS_DEFAULTS),
  /** Sentinels that must agree the leader is down; default: a majority. */
  quorum: z.int().min(1).max(9).optional(),
  /** Redis `min-replicas-to-write`: 0 = off. */
  minReplicasToWrite: z.int().min(0).max(8).default(REDIS_DEFAULTS.minReplicasToWrite),
  /** Redis `min-replicas-max-lag`, in seconds (1-second granularity in Redis). */
  minReplicasMaxLag: z.int().min(1).max(3600).default(REDIS_DEFAULTS.minReplicasMaxLag),
  persistence: z.enum(PERSISTENCE).default(REDIS_DEFAULTS.persistence),
  /** Sentinel `down-after-milliseconds` (spec §3: 1000 is the fast, still stable choice on 2 cores). */
  downAfter: durationField(100, 600_000).default(REDIS_DEFAULTS.downAfter),
  /** Sentinel `failover-timeout` (spec §3: never below 2000; 1000 ends failovers by timeout). */
  failoverTimeout: durationField(2000, 3_600_000).default(REDIS_DEFAULTS.failoverTimeout),
  /** The docker backend's Redis image (also run as Sentinel); overrides `docker.images`. */
  image: z.string().min(1).optional(),
});

/** Redis + Sentinel settings as a run holds them (the quorum chosen). */
export type RedisSettings = z.output<typeof RedisSettingsSchema> & { quorum: number };

/** The settings' flags. */
export const REDIS_FLAGS: readonly StoreFlag[] = [
  ...SHAPE_FLAGS,
  {
    flags: "--quorum <n>",
    field: "store.quorum",
    kind: "int",
    description: "redis-sentinel: Sentinels that must agree the leader is down (default: majority)",
  },
  {
    flags: "--min-replicas-to-write <n>",
    field: "store.minReplicasToWrite",
    kind: "int",
    description: "redis-sentinel: min-replicas-to-write (0 = off)",
  },
  {
    flags: "--min-replicas-max-lag <seconds>",
    field: "store.minReplicasMaxLag",
    kind: "int",
    description: "redis-sentinel: min-replicas-max-lag",
  },
  {
    flags: "--persistence <mode>",
    field: "store.persistence",
    kind: "choice",
    choices: PERSISTENCE,
    description: "redis-sentinel: leader persistence",
  },
  {
    flags: "--down-after <duration>",
    field: "store.downAfter",
    kind: "duration",
    description: "redis-sentinel: Sentinel down-after-milliseconds",
  },
  {
    flags: "--failover-timeout <duration>",
    field: "store.failoverTimeout",
    kind: "duration",
    description: "redis-sentinel: Sentinel failover-timeout",
  },
  {
    flags: "--redis-image <image>",
    field: "store.image",
    kind: "string",
    description:
      "redis-sentinel, docker backend: the Redis 7 image (overrides --docker-images for Redis and Sentinel)",
  },
];
