import type { MonitorSink, StoreMonitor } from "../store.js";
import type { SimWorld } from "./sim-cluster.js";

/**
 * The simulated store's monitor: records every manager event (`manager-event`) as it happens, and polls every
 * `pollMs` who the managers name (`leader`, on change), which data nodes accept writes (`writable-leaders`, on
 * change) and, every `positionsEveryMs`, every follower's replication position and lag in bytes
 * (`replication-positions`, the shape the report plots).
 */
export function startSimulatedMonitor(
  world: SimWorld,
  sink: MonitorSink,
  options: { pollMs?: number; positionsEveryMs?: number } = {},
): StoreMonitor {
  const record = (f: string, value: unknown): void => {
    sink.append({ process: "monitor", type: "info", f, value });
  };
  const unsubscribe = world.onEvent((e) => record("manager-event", { ...e }));
  let leader: string | undefined;
  let writable: string[] = [];
  let lastLeader: string | null | undefined;
  let lastWritable: string | undefined;
  let lastPositions = -Infinity;
  const positionsEveryMs = options.positionsEveryMs ?? 100;
  const poll = (): void => {
    leader = world.namedLeader();
    if ((leader ?? null) !== lastLeader) {
      lastLeader = leader ?? null;
      record("leader", lastLeader);
    }
    writable = world.writableLeaders();
    if (writable.join(",") !== lastWritable) {
      lastWritable = writable.join(",");
      record("writable-leaders", writable);
    }
    const now = world.now();
    if (now - lastPositions >= positionsEveryMs) {
      lastPositions = now;
      record("replication-positions", replicationPositions(world));
    }
  };
  poll();
  const timer = setInterval(poll, options.pollMs ?? 20);
  let stopped = false;
  return {
    get leader() {
      return leader;
    },
    get writableLeaders() {
      return writable;
    },
    stop() {
      if (!stopped) {
        stopped = true;
        clearInterval(timer);
        unsubscribe();
      }
      return Promise.resolve();
    },
  };
}

/**
 * One sample of replication positions, in the shape the report plots (`{ leader, offset, followers: { n2:
 * { of, offset, lagBytes, link } } }`): the writable leader most followers follow, its offset, and each answering
 * follower's offset and lag behind its own leader.
 */
export function replicationPositions(world: SimWorld): Record<string, unknown> {
  const leaders = world.nodes.filter((n) => n.answers && n.role === "leader");
  const followers: Record<
    string,
    { of: string | null; offset: number; lagBytes: number | null; link: string }
  > = {};
  for (const n of world.nodes) {
    if (!n.answers || n.role !== "follower") continue;
    const of = n.leaderOf === undefined ? undefined : world.node(n.leaderOf);
    const up = of !== undefined && of.answers && world.network.roundTrip(n.name, of.name) && n.synced;
    followers[n.name] = {
      of: of?.name ?? null,
      offset: n.offset,
      lagBytes: of?.role === "leader" && n.synced ? Math.max(0, of.offset - n.offset) : null,
      link: up ? "up" : "down",
    };
  }
  const following = (name: string): number => Object.values(followers).filter((f) => f.of === name).length;
  const main = [...leaders].sort((a, b) => following(b.name) - following(a.name))[0];
  return {
    leader: main?.name ?? null,
    offset: main?.offset ?? null,
    followers,
    ...(leaders.length > 1 ? { leaders: leaders.map((l) => l.name) } : {}),
  };
}
