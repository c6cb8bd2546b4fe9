import { postgresPatroni } from "./postgres-patroni/index.js";
import { redisSentinel } from "./redis-sentinel/index.js";
import { simulatedStore } from "./simulated/index.js";
import type { StoreAdapter } from "./store.js";

/**
 * Every store faultline can test, one line each (`docs/stores.md`: a new store is one folder and one line here).
 * The first is the default of `--store`.
 */
export const STORES: readonly StoreAdapter<any>[] = [redisSentinel, postgresPatroni, simulatedStore];
