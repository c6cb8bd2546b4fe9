import type { z } from "zod";
import type { Client } from "../core/clients/client.js";
import type { ClusterSpec, HasLeader, StartedCluster } from "../core/cluster/cluster.js";
import type { RunTag } from "../core/backends/local/run-tag.js";
import type { OpDraft } from "../core/history/history-writer.js";
import type { Op } from "../checkers/history/index.js";
import type { Workload } from "../workloads/workload.js";
import type { SourcedImage, StoreImageStager } from "../core/images/index.js";

/**
 * The store seam (DESIGN.md "Layout", Jepsen's `DB` + `Client`): everything faultline knows about one replicated
 * store lives behind a {@link StoreAdapter} in its own folder `stores/<kind>/`, and the harness, the nemesis, the
 * workloads and the checkers know stores only through it. A store supplies its settings (a zod schema under
 * `store: { kind, … }`), its replication modes, its cluster (per backend, with roles and the connection matrix the
 * grudges are computed from), a client per workload, and its monitor. `docs/stores.md` walks through a new one;
 * `test/contract/store-contract.ts` is its definition of done.
 */

/** The store settings of a run as the harness holds them: the adapter's own fields, behind its `kind`. */
export interface StoreSettings {
  /** The adapter's kind (`faultline stores` lists them). */
  readonly kind: string;
  readonly [field: string]: unknown;
}

/** How many endpoints of each role a store's cluster has: what schedules and grudges are drawn over. */
export interface StoreShape {
  /** Data nodes (one leader, the rest followers). */
  readonly nodes: number;
  /** Failover managers (processes that decide who leads, and may be faulted on their own). */
  readonly managers: number;
  /**
   * Whether each data node's failover agent runs beside its data process as a process of its own, so faults
   * can hit the agent alone (`kill-leader-agent`). Default false.
   */
  readonly agents?: boolean;
  /** Whether the failover managers are a consensus store with a leader of its own (`consensus-leader`). Default false. */
  readonly consensusLeader?: boolean;
}

/**
 * A `faultline run` flag that sets one of a store's settings (`field` is dotted, under `store.`): plain data, so
 * the CLI lists it in `--help`. Flags with the same name in two stores mean the same setting.
 */
export interface StoreFlag {
  /** Commander flag syntax, e.g. `--down-after <duration>`. */
  readonly flags: string;
  /** Dotted config field path, e.g. `store.downAfter`. */
  readonly field: string;
  readonly kind: "duration" | "int" | "number" | "string" | "boolean" | "choice";
  readonly description: string;
  readonly choices?: readonly string[];
  readonly example?: string;
}

/** A role of the grudge topology: data node, failover manager, or client. */
export type EndpointRole = "node" | "manager" | "client";

/**
 * The connection matrix: whether an endpoint of role `initiator` may ever open a connection to one of role
 * `acceptor` in this store (nobody connects to a client). Grudges drop rules for connections that cannot exist
 * when asked to prune, and link selectors are checked against it.
 */
export type ConnectionMatrix = (initiator: EndpointRole, acceptor: EndpointRole) => boolean;

/** What the replication modes of a store are and how they read (`--replication`). */
export interface ReplicationModes<S extends StoreSettings = StoreSettings> {
  /** The grammar, for help texts and messages (`async | wait:N:MS | …`). */
  readonly grammar: string;
  /** The canonical text of `text`, or what is wrong with it (the field is named by the caller). */
  canonical(text: string): { text: string } | { error: string };
  /** What is wrong with `text` (canonical) given the store's settings and the run's op timeout, if anything. */
  problem(text: string, settings: S, run: { readonly opTimeoutMs: number }): string | undefined;
  /**
   * Reconciles the mode with settings that say the same (a store may keep some of a mode in its settings):
   * returns the settings and the canonical mode the run is recorded with.
   */
  reconcile(text: string, settings: S): { replication: string; settings: S };
}

/** What a run asks of a store's cluster. */
export interface StoreClusterRequest<S extends StoreSettings = StoreSettings> {
  /** The run directory; nodes live in `<runDir>/nodes/<node>/`. */
  readonly runDir: string;
  readonly tag: RunTag;
  readonly settings: S;
  /** The canonical replication mode. */
  readonly replication: string;
  /** Client names (`c1`…); each gets its own proxy listener per node. */
  readonly clients: readonly string[];
  readonly network: "proxy" | "direct";
  /** Where the nodes run. */
  readonly backend: "local" | "docker";
  /** The docker backend's image choice (`official` or `local`) and the proxy image, when `backend` is docker. */
  readonly docker: { readonly images: "official" | "local"; readonly proxyImage?: string | undefined };
  /** Keep the proxy running when the harness exits (for `--leave-running`). */
  readonly keepProxyAfterHarness: boolean;
  /** A proxy server of the user's own (`--toxiproxy-url`) instead of starting one. */
  readonly proxyUrl?: string | undefined;
  /** The seed of the proxy's own draws (jitter, toxicity), forked from the run's so a replay replays them. */
  readonly proxySeed?: number;
  /** Progress messages ("removed 3 containers left behind…"). */
  readonly say: (text: string) => void;
}

/** What a store's client needs from the run. */
export interface StoreClientOptions {
  /** The workload whose ops the client performs. */
  readonly workload: Workload<any>;
  /** The store client's own per-command timeout; the harness deadline wraps it (`withTimeout`). */
  readonly opTimeoutMs: number;
}

/** Where monitor ops go: the run's history (the monitor writes `process: "monitor"` entries). */
export interface MonitorSink {
  append(draft: OpDraft): Op;
}

/**
 * The harness's live view of the cluster, kept by the store's monitor, which records what it sees as `monitor`
 * ops in store-neutral words: `leader` (who the failover managers name, on change), `writable-leaders` (data
 * nodes that accept writes, on change: more than one is split brain), `manager-event` (a failover manager's event,
 * with a neutral `kind`), `replication-positions` (each follower's position and lag in bytes), and
 * `failover-evidence` (for each failover: what the managers saw, what the harness and the proxy saw of the
 * leader and its links, and why it was declared down; a `FailoverEvidence`).
 */
export interface StoreMonitor {
  /** The leader the failover managers name now (`undefined` when they do not agree). */
  readonly leader: string | undefined;
  /** The data nodes that accept writes now. */
  readonly writableLeaders: readonly string[];
  /** Stops polling and closes subscriptions. Idempotent. */
  stop(): Promise<void>;
}

/** The layout of a started cluster for `config.json`: ports, roles, the proxy. */
export type ClusterLayout = Readonly<Record<string, unknown>>;

/** A running store cluster: the abilities the nemesis uses, plus what the run loop needs from the store. */
export interface StartedStore extends StartedCluster, HasLeader {
  /** The adapter's kind. */
  readonly kind: string;
  /** How long start took, from the first port chosen to "really ready", in ms. */
  readonly readyMs: number;
  /** The proxy the links go through: its API URL and what it is (`undefined` without a proxy). */
  readonly proxy: { readonly apiUrl: string; readonly server: "faultline" | "toxiproxy" } | undefined;
  /** The layout recorded in `config.json`. */
  layout(): ClusterLayout;
  /** A new, unopened client of the store for client `clientName` (its own proxy listeners). */
  client(clientName: string, options: StoreClientOptions): Client;
  /** Starts the monitor (`process: "monitor"` ops into `sink`). */
  startMonitor(sink: MonitorSink): StoreMonitor;
  /**
   * Resolves once whatever watches `node` (the monitor) is attached to it again after a restart, so a fault that
   * the monitor should see is not made before it can (a clock jump on a restarted failover manager).
   */
  monitorAttached(node: string): Promise<void>;
  /**
   * Leaves the cluster running on purpose (`--leave-running`): closes the harness's connections and lets the
   * harness exit without stopping any process. `stop()` afterwards does nothing.
   */
  release(): { pids: Record<string, number> };
}

/**
 * A store adapter: one folder `stores/<kind>/`, one entry in `stores/registry.ts`.
 *
 * @example
 * const adapter = storeAdapter(DEFAULT_STORE);
 * const settings = adapter.settings.parse({});
 * await using cluster = await adapter.cluster({ ...request, settings }).start();
 */
export interface StoreAdapter<S extends StoreSettings = StoreSettings> {
  /** `--store <kind>`. */
  readonly kind: string;
  /** One line for `faultline stores`. */
  readonly description: string;
  /** The settings under `store:` besides `kind`, with their defaults (a strict zod object). */
  readonly settings: z.ZodObject;
  /** The flags that set them (`--followers`, …). */
  readonly flags: readonly StoreFlag[];
  /** Checks settings that depend on each other; each problem names its field (relative to `store`). */
  check(settings: S): { path: string[]; message: string }[];
  /** The shape schedules are drawn over. */
  shape(settings: S): StoreShape;
  /** One line for the run's start message ("3 data nodes and 3 failover managers"). */
  describe(settings: S): string;
  readonly replication: ReplicationModes<S>;
  /** The workloads this store can perform (names of `workloads/registry.ts`). */
  readonly workloads: readonly string[];
  /** Which role may open a connection to which. */
  readonly connects: ConnectionMatrix;
  /** Backends it can run on. */
  readonly backends: readonly ("local" | "docker")[];
  /**
   * The store's container image for the docker backend (official and local names) and how `faultline images
   * build-local` assembles the local one; absent for stores that run only as local processes.
   */
  readonly images?: SourcedImage & { readonly stager: StoreImageStager };
  /** The cluster for a run. */
  cluster(request: StoreClusterRequest<S>): ClusterSpec<StartedStore>;
}
