import { applyMutation, emptyData, type SimData, type SimMutation } from "./data.js";

/** One entry of a leader's replication log: a mutation, when it was applied, and the log's byte offset after it. */
export interface LogEntry {
  readonly mutation: SimMutation;
  /** When the leader applied it (ms, the cluster's clock). */
  readonly at: number;
  /** The replication offset after this entry, in bytes of the entry's JSON (as a real stream counts bytes). */
  readonly end: number;
}

/**
 * One simulated data node: its data and replication log, what it believes its role is, and whether it runs.
 * Every applied write is durable (a kill loses nothing); a restart brings the node back as a follower.
 */
export class SimNode {
  data: SimData = emptyData();
  log: LogEntry[] = [];
  /** What the node believes: a leader accepts writes, a follower replicates from `leaderOf`. */
  role: "leader" | "follower";
  /** The node a follower replicates from (`undefined` until a failover manager tells it). */
  leaderOf: string | undefined;
  /** Whether a follower has its full copy of `leaderOf`'s data (`lineage` is that copy's origin). */
  synced = false;
  /** The leader's lineage the follower's copy came from: a leader whose data was replaced starts a new one. */
  syncedLineage = -1;
  /** Bumped each time the node's data is replaced by a resync, so followers of it resync too. */
  lineage = 0;
  running = true;
  paused = false;
  /** A stand-in for a process id: bumped on every restart, so fault records tell incarnations apart. */
  pid: number;

  constructor(
    readonly name: string,
    role: "leader" | "follower",
    pid: number,
  ) {
    this.role = role;
    this.pid = pid;
  }

  /** Whether the node answers at all (running and not paused). */
  get answers(): boolean {
    return this.running && !this.paused;
  }

  /** Its replication offset: the byte offset after its last log entry. */
  get offset(): number {
    return this.log.at(-1)?.end ?? 0;
  }

  /** Applies and logs a write (the leader's path). */
  write(mutation: SimMutation, now: number): void {
    applyMutation(this.data, mutation);
    this.log.push({ mutation, at: now, end: this.offset + JSON.stringify(mutation).length });
  }

  /** Demotes or repoints the node: it follows `leader` from now on, after a full resync. */
  follow(leader: string): void {
    this.role = "follower";
    this.leaderOf = leader;
    this.synced = false;
  }

  /** Makes the node the leader: it keeps its data and accepts writes. */
  promote(): void {
    this.role = "leader";
    this.leaderOf = undefined;
    this.synced = false;
  }

  /**
   * One replication step from `leader` (the caller checked that the link carries it): a full resync (copy of
   * the leader's data and log, replacing the node's own — what it had that the leader has not is gone) when the
   * node has no copy of this leader's current lineage, else the entries older than `lagMs`.
   */
  pull(leader: SimNode, now: number, lagMs: number): void {
    if (!this.synced || this.syncedLineage !== leader.lineage) {
      this.data = structuredClone(leader.data);
      this.log = [...leader.log];
      this.lineage++;
      this.synced = true;
      this.syncedLineage = leader.lineage;
      return;
    }
    for (let i = this.log.length; i < leader.log.length; i++) {
      const entry = leader.log[i]!;
      if (entry.at > now - lagMs) break;
      applyMutation(this.data, entry.mutation);
      this.log.push(entry);
    }
  }
}
