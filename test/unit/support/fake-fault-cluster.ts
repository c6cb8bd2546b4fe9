/**
 * An in-memory cluster with every ability the nemesis uses (kill/restart with environment, pause, leader, link
 * cuts and toxics, process inspection), for testing the executors, the schedule nemesis and the heals without
 * processes. It keeps the state a real cluster would have and records a "fight" whenever an operation lands on
 * something another fault holds (killing a paused node, pausing a dead one, a second partition on top of the
 * first, two toxics of one type on one link) — what the schedule invariants promise never happens.
 */
import type {
  HasLeader,
  Killable,
  LinkCut,
  LinkRule,
  LinkToxic,
  LinkToxicable,
  NodeInfo,
  Partitionable,
  Pausable,
  ProcessInspectable,
  ProcessInspection,
  StartedCluster,
} from "../../../core/cluster/index.js";
import { FaultlineError } from "../../../core/errors/index.js";

/** The fake's abilities together. */
export type FakeFaultCluster = StartedCluster &
  Killable &
  Pausable &
  HasLeader &
  Partitionable &
  LinkToxicable &
  ProcessInspectable;

/** What the fake knows, for assertions. */
export interface FakeState {
  readonly down: Set<string>;
  readonly paused: Set<string>;
  /** Node → its `LD_PRELOAD` since its last start. */
  readonly preload: Map<string, string[]>;
  /** Toxic key (`type stream source->destination#cut|link`) → owner handle id. */
  readonly toxics: Map<string, number>;
  /** Active partitions (cut handles). */
  readonly cuts: Set<number>;
  /** Everything that landed on a target another fault held. */
  readonly fights: string[];
  /** Every operation, in order. */
  readonly log: string[];
}

/** Options of {@link fakeFaultCluster}. */
export interface FakeOptions {
  readonly nodes?: number;
  readonly managers?: number;
  /** The leader each `leader()` call answers, in turn (the last one repeats); default always `n1`. */
  readonly leaders?: readonly (string | undefined)[];
  readonly granularity?: "link" | "destination";
  /** Directory for node dirs (clock control files are written there). */
  readonly dir: string;
  /** Links whose faults `heal()` cannot remove (a broken proxy). */
  readonly stubborn?: boolean;
}

/** Creates a fake cluster; see the module comment. */
export function fakeFaultCluster(o: FakeOptions): { cluster: FakeFaultCluster; state: FakeState } {
  const names = [
    ...Array.from({ length: o.nodes ?? 3 }, (_, i) => `n${i + 1}`),
    ...Array.from({ length: o.managers ?? 3 }, (_, i) => `s${i + 1}`),
  ];
  const nodes: NodeInfo[] = names.map((name) => ({
    name,
    role: name.startsWith("n") ? "data" : "failover-manager",
    admin: { host: "127.0.0.1", port: 1 },
    public: { host: "127.0.0.1", port: 2 },
    sourceAddress: "127.0.0.1",
    dir: o.dir,
  }));
  const state: FakeState = {
    down: new Set(),
    paused: new Set(),
    preload: new Map(),
    toxics: new Map(),
    cuts: new Set(),
    fights: [],
    log: [],
  };
  const pids = new Map(names.map((n, i) => [n, 100 + i]));
  let nextPid = 1000;
  let leaders = [...(o.leaders ?? ["n1"])];
  let handles = 0;
  const known = (n: string): void => {
    if (!names.includes(n)) throw new Error(`unknown node ${n}`);
  };
  // A partition holds the network; a link fault holds its links for its toxic type. A partition's cuts and a
  // link fault's toxics may share a link (two named toxics in the proxy, each removed by its own handle).
  const addToxics = (rules: readonly LinkRule[], type: string, partition: boolean): LinkCut => {
    const id = ++handles;
    if (partition && state.cuts.size > 0)
      state.fights.push(`partition ${id} on top of ${[...state.cuts].join(",")}`);
    const keys = rules.map(
      (r) => `${type} ${r.stream} ${r.source}->${r.destination}#${partition ? "cut" : "link"}`,
    );
    for (const k of keys) {
      if (state.toxics.has(k)) state.fights.push(`toxic ${k} held by ${state.toxics.get(k)}, added by ${id}`);
      else state.toxics.set(k, id);
    }
    if (partition) state.cuts.add(id);
    state.log.push(`${partition ? "cut" : "toxic"} ${id} ${type} ${rules.length}`);
    return {
      rules,
      heal() {
        for (const k of keys) if (state.toxics.get(k) === id) state.toxics.delete(k);
        state.cuts.delete(id);
        state.log.push(`heal ${id}`);
        return Promise.resolve();
      },
    };
  };
  const cluster: FakeFaultCluster = {
    nodes,
    clients: [],
    granularity: o.granularity ?? "link",
    stop: () => Promise.resolve({ logs: new Map() }),
    [Symbol.asyncDispose]: () => Promise.resolve(),
    kill(n) {
      known(n);
      if (state.down.has(n)) state.fights.push(`kill of ${n}, which is down`);
      if (state.paused.has(n)) state.fights.push(`kill of ${n}, which is paused`);
      state.down.add(n);
      state.paused.delete(n);
      state.log.push(`kill ${n}`);
      return Promise.resolve({ node: n, pid: pids.get(n)!, signal: "SIGKILL" });
    },
    restart(n, options) {
      known(n);
      if (!state.down.has(n)) state.fights.push(`restart of ${n}, which runs`);
      state.down.delete(n);
      pids.set(n, ++nextPid);
      const preload = options?.env?.LD_PRELOAD;
      state.preload.set(n, preload ? preload.split(":") : []);
      state.log.push(`restart ${n}${preload ? " skewed" : ""}`);
      return Promise.resolve({ node: n, pid: pids.get(n)! });
    },
    isRunning: (n) => !state.down.has(n),
    pause(n) {
      known(n);
      if (state.down.has(n)) state.fights.push(`pause of ${n}, which is down`);
      if (state.paused.has(n)) state.fights.push(`pause of ${n}, which is paused`);
      state.paused.add(n);
      state.log.push(`pause ${n}`);
      return Promise.resolve({ node: n, pid: pids.get(n)!, signal: "SIGSTOP" });
    },
    resume(n) {
      known(n);
      state.paused.delete(n);
      state.log.push(`resume ${n}`);
      return Promise.resolve({ node: n, pid: pids.get(n)!, signal: "SIGCONT" });
    },
    leader() {
      const l = leaders[0];
      if (leaders.length > 1) leaders = leaders.slice(1);
      return Promise.resolve(l);
    },
    awaitHealthy: () => Promise.resolve(leaders[0] ?? "n1"),
    cutLinks: (rules, options) => Promise.resolve(addToxics(rules, options?.cut ?? "blackhole", true)),
    addLinkToxics(rules: readonly LinkRule[], toxic: LinkToxic) {
      if (cluster.granularity === "destination" && rules.some((r) => !r.source.startsWith("c"))) {
        return Promise.reject(
          new FaultlineError("LINK_NOT_EXPRESSIBLE", "per-link rule on a plain Toxiproxy"),
        );
      }
      return Promise.resolve(addToxics(rules, toxic.type, false));
    },
    heal() {
      state.log.push("heal all");
      if (!o.stubborn) {
        state.toxics.clear();
        state.cuts.clear();
      }
      return Promise.resolve();
    },
    linkFaults: () => Promise.resolve([...state.toxics.keys()].map((k) => `link toxic ${k.split("#")[0]}`)),
    inspect(n): ProcessInspection | undefined {
      if (state.down.has(n)) return undefined;
      return {
        pid: pids.get(n)!,
        state: state.paused.has(n) ? "stopped" : "running",
        preload: state.preload.get(n) ?? [],
      };
    },
  };
  return { cluster, state };
}
