import { z } from "zod";
import { durationField } from "../../core/index.js";
import { SHAPE_FLAGS, shapeFields } from "../shape-settings.js";
import type { StoreFlag } from "../store.js";

/** The simulated store's defaults (durations in ms): small, so a run's failover takes a fraction of a second. */
export const SIMULATED_DEFAULTS = {
  followers: 2,
  failoverManagers: 3,
  /** How long a write waits on the leader before followers may pull it. */
  replicationLagMs: 20,
  /** How long the failover managers wait without an answer from the leader before they fail over. */
  failoverTimeoutMs: 300,
} as const;

/** The simulated store's settings: its shape, its replication lag and its failover timeout. */
export const SimulatedSettingsSchema = z.strictObject({
  kind: z.literal("simulated"),
  ...shapeFields(SIMULATED_DEFAULTS),
  /** How long an applied write waits on the leader before its followers may pull it (asynchronous replication). */
  replicationLagMs: durationField(0, 60_000).default(SIMULATED_DEFAULTS.replicationLagMs),
  /** How long the managers go without a healthy answer from the leader before they promote a follower. */
  failoverTimeoutMs: durationField(20, 600_000).default(SIMULATED_DEFAULTS.failoverTimeoutMs),
});

/** The simulated store's settings as a run holds them. */
export type SimulatedSettings = z.output<typeof SimulatedSettingsSchema>;

/** The settings' flags (`--followers` and `--failover-managers` are shared with the other stores). */
export const SIMULATED_FLAGS: readonly StoreFlag[] = [
  ...SHAPE_FLAGS,
  {
    flags: "--sim-replication-lag <duration>",
    field: "store.replicationLagMs",
    kind: "duration",
    description: "simulated: how long a write waits on the leader before followers may pull it",
  },
  {
    flags: "--sim-failover-timeout <duration>",
    field: "store.failoverTimeoutMs",
    kind: "duration",
    description: "simulated: how long the failover managers wait for the leader before promoting a follower",
  },
];
