import { performance } from "node:perf_hooks";
import type { SimulatedSettings } from "./settings.js";
import { SimManager, type ManagerEvent } from "./manager.js";
import { SimNetwork } from "./network.js";
import { SimNode } from "./node.js";

/** How often the simulation steps (replication pulls, manager checks), in ms. */
export const TICK_MS = 5;

/**
 * The simulated cluster's state and its clockwork: data nodes `n1…` (n1 leads at first), failover managers
 * `s1…`, the network between them and the clients, and a timer that every {@link TICK_MS} lets each follower
 * pull from its leader (entries older than `replicationLagMs`: asynchronous replication) and each manager take
 * its step. Everything runs in the harness's process; faults flip flags here.
 */
export class SimWorld {
  readonly nodes: SimNode[];
  readonly managers: SimManager[];
  readonly network = new SimNetwork();
  private readonly listeners = new Set<(e: ManagerEvent) => void>();
  private timer: ReturnType<typeof setInterval> | undefined;
  private nextPid = 1;

  constructor(
    readonly settings: SimulatedSettings,
    /** `async`: the leader acknowledges a write once applied; `sync`: once every follower has it too. */
    readonly replication: "async" | "sync" = "async",
  ) {
    const t = this.now();
    this.nodes = Array.from({ length: settings.followers + 1 }, (_, i) => {
      const n = new SimNode(`n${i + 1}`, i === 0 ? "leader" : "follower", this.nextPid++);
      if (i > 0) n.leaderOf = "n1";
      return n;
    });
    this.managers = Array.from(
      { length: settings.failoverManagers },
      (_, i) => new SimManager(`s${i + 1}`, "n1", t, this.nextPid++),
    );
  }

  /** The cluster's clock, ms. */
  now(): number {
    return performance.now();
  }

  /** A fresh pid for a restarted process. */
  pid(): number {
    return this.nextPid++;
  }

  /** Starts the clockwork. */
  start(): void {
    this.timer ??= setInterval(() => this.step(), TICK_MS);
  }

  /** Whether the clockwork runs (a stopped cluster leaves no timer behind). */
  get ticking(): boolean {
    return this.timer !== undefined;
  }

  /** Stops it. Idempotent. */
  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
    this.listeners.clear();
  }

  /** Tells `listener` of every manager event from now on; returns how to stop. */
  onEvent(listener: (e: ManagerEvent) => void): () => void {
    this.listeners.add(listener);
    return () => void this.listeners.delete(listener);
  }

  /** The data node called `name`. */
  node(name: string): SimNode | undefined {
    return this.nodes.find((n) => n.name === name);
  }

  /** The failover manager called `name`. */
  manager(name: string): SimManager | undefined {
    return this.managers.find((m) => m.name === name);
  }

  /** The leader a majority of all managers name (the answering ones), or `undefined`. */
  namedLeader(): string | undefined {
    const counts = new Map<string, number>();
    for (const m of this.managers) if (m.answers) counts.set(m.leader, (counts.get(m.leader) ?? 0) + 1);
    return [...counts].find(([, n]) => n > this.managers.length / 2)?.[0];
  }

  /** Data nodes that answer and believe they lead. */
  writableLeaders(): string[] {
    return this.nodes.filter((n) => n.answers && n.role === "leader").map((n) => n.name);
  }

  /** Why the cluster is not healthy now, or its leader: named by the managers, writable, every follower in sync. */
  health(): { leader: string } | { reason: string } {
    const leader = this.namedLeader();
    if (leader === undefined) return { reason: "the failover managers do not agree on a leader" };
    const l = this.node(leader)!;
    if (!l.answers || l.role !== "leader") return { reason: `${leader} does not accept writes` };
    for (const n of this.nodes) {
      if (n === l) continue;
      if (!n.answers) return { reason: `${n.name} does not answer` };
      if (n.role !== "follower" || n.leaderOf !== leader || !n.synced || n.syncedLineage !== l.lineage) {
        return { reason: `${n.name} is not a follower in sync with ${leader}` };
      }
    }
    return { leader };
  }

  /**
   * Whether every data node but `leader` follows it with a copy that holds its log up to `offset` (what `sync`
   * replication waits for before acknowledging a write).
   */
  replicatedEverywhere(leader: string, offset: number): boolean {
    const l = this.node(leader);
    if (!l) return false;
    return this.nodes.every(
      (n) =>
        n === l ||
        (n.role === "follower" &&
          n.leaderOf === leader &&
          n.synced &&
          n.syncedLineage === l.lineage &&
          n.offset >= offset),
    );
  }

  /** One step of the clockwork: replication, then each manager. */
  step(): void {
    const now = this.now();
    for (const f of this.nodes) {
      if (!f.answers || f.role !== "follower" || f.leaderOf === undefined) continue;
      const l = this.node(f.leaderOf);
      if (!l?.answers || l.role !== "leader" || !this.network.roundTrip(f.name, l.name)) continue;
      f.pull(l, now, this.settings.replicationLagMs);
    }
    const world = {
      now,
      nodes: this.nodes,
      managers: this.managers,
      network: this.network,
      failoverTimeoutMs: this.settings.failoverTimeoutMs,
      emit: (e: ManagerEvent) => {
        for (const l of this.listeners) l(e);
      },
    };
    for (const m of this.managers) m.step(world);
  }
}
