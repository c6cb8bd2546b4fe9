import { z } from "zod";
import type { StoreFlag } from "./store.js";

/**
 * The settings every single-leader store shares, with the same names, bounds and flags: how many followers stand
 * next to the one leader, and how many failover managers there are. A store spreads {@link shapeFields} into its
 * own settings object and puts {@link SHAPE_FLAGS} first among its flags.
 *
 * @example
 * const Settings = z.strictObject({ kind: z.literal("mystore"), ...shapeFields({ followers: 2, failoverManagers: 3 }) });
 */
export function shapeFields(defaults: { readonly followers: number; readonly failoverManagers: number }) {
  return {
    /** Followers next to the one leader. */
    followers: z.int().min(1).max(8).default(defaults.followers),
    /** Failover managers. */
    failoverManagers: z.int().min(1).max(9).default(defaults.failoverManagers),
  };
}

/** `--followers` and `--failover-managers`: shared by every store, so a flag two stores share sets the same field. */
export const SHAPE_FLAGS: readonly StoreFlag[] = [
  {
    flags: "--followers <n>",
    field: "store.followers",
    kind: "int",
    description: "followers (data nodes besides the leader)",
  },
  {
    flags: "--failover-managers <n>",
    field: "store.failoverManagers",
    kind: "int",
    description: "failover managers (processes that decide who leads)",
  },
];
