/**
 * `stores/`: the store seam. {@link storeAdapter} finds an adapter by kind; `store.ts` is the interface each one
 * implements (`docs/stores.md`).
 */
import { InputError } from "../core/errors/index.js";
import { STORES } from "./registry.js";
import type { StoreAdapter } from "./store.js";

export type {
  StoreAdapter,
  StoreSettings,
  StoreShape,
  StoreFlag,
  EndpointRole,
  ConnectionMatrix,
  ReplicationModes,
  StoreClusterRequest,
  StoreClientOptions,
  MonitorSink,
  StoreMonitor,
  ClusterLayout,
  StartedStore,
} from "./store.js";
export type {
  FailoverEvidence,
  FailoverCause,
  ManagerView,
  ProxyLinkView,
  LeaderCheck,
} from "./failover-evidence.js";
export { STORES } from "./registry.js";

/** The default store of `--store`: the first in the registry. */
export const DEFAULT_STORE: string = STORES[0]!.kind;

/** Every store's kind, in registry order. */
export function storeKinds(): string[] {
  return STORES.map((s) => s.kind);
}

/** The adapter of `kind`, or an {@link InputError} naming the known ones. */
export function storeAdapter(kind: string): StoreAdapter<any> {
  const found = STORES.find((s) => s.kind === kind);
  if (!found) {
    throw new InputError("UNKNOWN_STORE", `unknown store ${JSON.stringify(kind)}`, {
      details: { field: "store.kind", kind },
      hint: `choose one of ${storeKinds().join(", ")} (faultline stores lists them)`,
    });
  }
  return found;
}
