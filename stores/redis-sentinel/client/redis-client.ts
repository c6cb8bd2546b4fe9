import { Redis, type RedisOptions } from "ioredis";
import { OpNotApplied, type Invocation, type Workload } from "../../../workloads/index.js";
import type { Client, Completion } from "../../../core/clients/index.js";
import type { ClientEndpoints, NodeInfo } from "../../../core/cluster/index.js";
import { REDIS_OPS, type RedisSession } from "../ops/index.js";
import type { ReplicationMode } from "../replication-mode.js";
import { classifyRedisError } from "./classify.js";
import { waitForReplicas } from "./wait-for-replicas.js";

/** What a Redis client needs to know about the cluster. */
export interface RedisClientTopology {
  masterName: string;
  nodes: readonly NodeInfo[];
  /** This client's endpoints (its own proxy listeners). */
  endpoints: ClientEndpoints;
}

/** Options of {@link redisClient}. */
export interface RedisClientOptions {
  topology: RedisClientTopology;
  workload: Workload<any>;
  /** ioredis's own per-command timeout (`commandTimeout`); the harness deadline wraps it (`withTimeout`). */
  commandTimeoutMs: number;
  /** How long `open()` waits for the first connection before letting ops fail fast (default 2000). */
  openTimeoutMs?: number;
  /** `wait` makes the client follow every acknowledged write with `WAIT` (default: async, nothing added). */
  replication?: ReplicationMode;
}

/**
 * The ioredis options of spec §2.6 / §4.2 for one client: Sentinel mode through the client's own listeners
 * (the initial Sentinel list is not NAT-mapped, so it lists them directly), `natMap` from every announced public
 * address to the client's listener for that node, no offline queue, no retries or resends of in-flight
 * commands (each would blur the ok/fail/info line, and `maxRetriesPerRequest: 0` also avoids ioredis 6.0.0's
 * stuck-command bug), a socket timeout to leave blackholed connections, and a reconnect on `READONLY` so a
 * demoted leader is left at once.
 */
export function redisClientOptions(topology: RedisClientTopology, commandTimeoutMs: number): RedisOptions {
  const ep = topology.endpoints.endpoints;
  const byPublic = new Map(topology.nodes.map((n) => [`${n.public.host}:${n.public.port}`, n.name]));
  return {
    name: topology.masterName,
    sentinels: topology.nodes
      .filter((n) => n.role === "failover-manager")
      .map((n) => ({ host: ep.get(n.name)!.host, port: ep.get(n.name)!.port })),
    natMap: (key: string) => {
      const node = byPublic.get(key);
      return node ? { host: ep.get(node)!.host, port: ep.get(node)!.port } : null;
    },
    connectTimeout: 500,
    sentinelCommandTimeout: 500,
    commandTimeout: commandTimeoutMs,
    socketTimeout: 1000,
    maxRetriesPerRequest: 0,
    enableOfflineQueue: false,
    autoResendUnfulfilledCommands: false,
    retryStrategy: () => 100,
    sentinelRetryStrategy: () => 100,
    reconnectOnError: (e: Error) => (e.message.startsWith("READONLY") ? 1 : false),
    connectionName: topology.endpoints.name,
  };
}

/**
 * A workload client over ioredis in Sentinel mode (issue 3 §2). Each op is performed by the workload on the
 * leader connection, or on a follower connection (`role: "slave"`) for workloads with `usesFollowers`; the node
 * that served it is the one behind the socket of the connection the op last took from the session (known from
 * the client's per-node listener ports); errors are classified by {@link classifyRedisError}, and
 * {@link OpNotApplied} is a `fail` (with its error, if any). Under `replication: wait` every acknowledged write
 * ({@link Workload.isWrite}) on the leader is followed by `WAIT` ({@link waitForReplicas}).
 *
 * @example
 * const client = withTimeout(redisClient({ topology, workload, commandTimeoutMs: 1000 }), 1250);
 * await client.open();
 * await client.invoke({ f: "add", key: "faultline:set", value: 7 }); // { type: "ok", value: 7, node: "n1" }
 */
export function redisClient(options: RedisClientOptions): Client {
  const { topology, workload } = options;
  const perform = REDIS_OPS[workload.name];
  if (!perform) throw new Error(`the redis-sentinel store has no ops for the ${workload.name} workload`);
  const nodeByListenerPort = new Map(
    [...topology.endpoints.endpoints].map(([node, addr]) => [addr.port, node] as const),
  );
  let redis: Redis | undefined;
  let follower: Redis | undefined;
  // The connection the current op last took from the session, and the node behind it at that moment.
  let used: { conn: Redis; socket: unknown; node: string | undefined } | undefined;
  const take = (conn: Redis | undefined, what: string): Redis => {
    if (!conn) throw new Error(`client has no ${what} connection open`);
    const port = conn.status === "ready" ? conn.stream?.remotePort : undefined;
    used = { conn, socket: conn.stream, node: port === undefined ? undefined : nodeByListenerPort.get(port) };
    return conn;
  };
  const session: RedisSession = {
    get leader(): Redis {
      return take(redis, "leader");
    },
    get follower(): Redis {
      return take(
        follower,
        workload.usesFollowers ? "follower" : `follower (${workload.name} reads no followers)`,
      );
    },
  };
  const withNode = (c: Completion): Completion => (used?.node === undefined ? c : { ...c, node: used.node });
  return {
    async open() {
      const base = redisClientOptions(topology, options.commandTimeoutMs);
      redis = connect(base);
      if (workload.usesFollowers) {
        follower = connect({
          ...base,
          role: "slave",
          preferredSlaves: spreadOverFollowers(topology.endpoints.name),
        });
      }
      await Promise.all([redis, follower].map((c) => c && whenReady(c, options.openTimeoutMs ?? 2000)));
    },
    async invoke(op: Invocation): Promise<Completion> {
      if (!redis) return { type: "fail", error: "client is not open" };
      used = undefined;
      let value: unknown;
      try {
        value = await perform(session, op);
      } catch (err) {
        if (err instanceof OpNotApplied) {
          return withNode(err.error === undefined ? { type: "fail" } : { type: "fail", error: err.error });
        }
        return withNode(classifyRedisError(err));
      }
      const mode = options.replication;
      // `used` is set by the session's getters while the workload ran (TypeScript cannot see that).
      const last = used as { conn: Redis; socket: unknown } | undefined;
      if (mode?.kind === "wait" && last?.conn === redis && workload.isWrite(op)) {
        const shortfall = await waitForReplicas(redis, mode, last.socket);
        if (shortfall) return withNode({ type: "info", error: shortfall });
      }
      return withNode({ type: "ok", value });
    },
    close() {
      redis?.disconnect();
      follower?.disconnect();
      redis = undefined;
      follower = undefined;
      return Promise.resolve();
    },
  };
}

/**
 * How a client picks its follower among those the failover managers list as healthy: client `cK` takes the K-th
 * (in address order, modulo their number), so the clients of a run spread their follower reads over every
 * follower instead of leaving it to chance (ioredis's default is a random one). Asked again on every reconnect.
 */
export function spreadOverFollowers<F extends { ip: string; port: string }>(
  clientName: string,
): (followers: F[]) => F | null {
  const n = /(\d+)$/.exec(clientName);
  const index = n ? Number(n[1]) - 1 : [...clientName].reduce((h, c) => (h * 31 + c.charCodeAt(0)) >>> 0, 7);
  return (followers) => {
    if (followers.length === 0) return null;
    const sorted = [...followers].sort((a, b) => `${a.ip}:${a.port}`.localeCompare(`${b.ip}:${b.port}`));
    return sorted[((index % sorted.length) + sorted.length) % sorted.length]!;
  };
}

function connect(options: RedisOptions): Redis {
  const r = new Redis(options);
  // Connection errors surface through each op's rejection; the event would otherwise be printed.
  r.on("error", () => undefined);
  return r;
}

/** Resolves once `r` is ready or after `ms`, whichever comes first (ops then fail fast on their own). */
function whenReady(r: Redis, ms: number): Promise<void> {
  return new Promise<void>((resolve) => {
    const timer = setTimeout(done, ms);
    r.once("ready", done);
    function done(): void {
      clearTimeout(timer);
      r.off("ready", done);
      resolve();
    }
  });
}
