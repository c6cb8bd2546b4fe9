import type { SimNetwork } from "./network.js";
import type { SimNode } from "./node.js";

/** A failover manager's event, in the store-neutral kinds of the report (`MANAGER_EVENT_KINDS`). */
export interface ManagerEvent {
  readonly manager: string;
  /** The simulated store's own name for it: its kind, since the simulation has no words of its own. */
  readonly event: string;
  readonly kind: string;
  readonly text: string;
  readonly node?: string;
}

/** What a manager's step sees of the cluster. */
export interface ManagerWorld {
  readonly now: number;
  readonly nodes: readonly SimNode[];
  readonly managers: readonly SimManager[];
  readonly network: SimNetwork;
  readonly failoverTimeoutMs: number;
  emit(event: ManagerEvent): void;
}

/**
 * One simulated failover manager (a failover manager's job in miniature): it holds the cluster's
 * configuration (`epoch`, `leader`), checks the leader over its own link, and when a majority of the managers
 * cannot reach the leader for `failoverTimeoutMs` it promotes the most up-to-date follower it can reach, under a
 * new epoch that a majority voted for. A manager that reaches a majority also repoints data nodes that follow the
 * wrong leader and demotes any other node that believes it leads (its data is then replaced by a resync).
 */
export class SimManager {
  epoch = 0;
  votedEpoch = 0;
  running = true;
  paused = false;
  pid: number;
  /** When the leader last answered this manager as a healthy leader. */
  private lastOk: number;
  /** Suspects the leader is down (no healthy answer within the timeout). */
  sdown = false;
  private odown = false;
  private aborted = false;

  constructor(
    readonly name: string,
    public leader: string,
    now: number,
    pid: number,
  ) {
    this.lastOk = now;
    this.pid = pid;
  }

  /** Whether the manager answers at all (running and not paused). */
  get answers(): boolean {
    return this.running && !this.paused;
  }

  /**
   * Back after a restart or a resume: its leader check starts afresh (as a restarted manager's does), so the
   * time it was away does not count against the leader.
   */
  wake(now: number): void {
    this.lastOk = now;
    this.sdown = this.odown = this.aborted = false;
  }

  /** One step: adopt newer configurations, check the leader, fail over or reconfigure. */
  step(w: ManagerWorld): void {
    if (!this.answers) return;
    const peers = w.managers.filter((m) => m !== this && m.answers && w.network.roundTrip(this.name, m.name));
    for (const m of peers) {
      if (m.epoch > this.epoch) {
        this.epoch = m.epoch;
        this.leader = m.leader;
        this.lastOk = w.now;
        this.sdown = false;
      }
    }
    const leader = w.nodes.find((n) => n.name === this.leader);
    const healthy =
      leader !== undefined &&
      leader.answers &&
      leader.role === "leader" &&
      w.network.roundTrip(this.name, leader.name);
    const say = (event: string, kind: string, text: string, node?: string): void =>
      w.emit({ manager: this.name, event, kind, text, ...(node !== undefined ? { node } : {}) });
    if (healthy) {
      this.lastOk = w.now;
      if (this.sdown) say("clears-down", "clears-down", `leader ${this.leader} answers again`, this.leader);
      this.sdown = this.odown = this.aborted = false;
    } else if (!this.sdown && w.now - this.lastOk > w.failoverTimeoutMs) {
      this.sdown = true;
      say(
        "suspects-down",
        "suspects-down",
        `leader ${this.leader} has not answered for ${w.failoverTimeoutMs} ms`,
        this.leader,
      );
    }
    const majority = Math.floor(w.managers.length / 2) + 1;
    if (this.sdown) {
      const agreeing = 1 + peers.filter((m) => m.sdown && m.leader === this.leader).length;
      if (agreeing < majority) return;
      if (!this.odown) {
        this.odown = true;
        say(
          "agrees-down",
          "agrees-down",
          `${agreeing} of ${w.managers.length} managers cannot reach ${this.leader}`,
          this.leader,
        );
      }
      this.failover(w, peers, majority, say);
      return;
    }
    if (1 + peers.length >= majority) this.reconfigure(w, say);
  }

  private failover(
    w: ManagerWorld,
    peers: readonly SimManager[],
    majority: number,
    say: (event: string, kind: string, text: string, node?: string) => void,
  ): void {
    const candidates = w.nodes
      .filter((n) => n.name !== this.leader && n.answers && w.network.roundTrip(this.name, n.name))
      .sort((a, b) => b.offset - a.offset || a.name.localeCompare(b.name));
    const chosen = candidates[0];
    if (!chosen) {
      if (!this.aborted) say("failover-abort", "failover-abort", "no follower reachable");
      this.aborted = true;
      return;
    }
    const epoch = Math.max(this.epoch, ...peers.map((m) => m.epoch)) + 1;
    const voters = [this, ...peers].filter((m) => m.votedEpoch < epoch);
    if (voters.length < majority) return;
    for (const m of voters) m.votedEpoch = epoch;
    const from = this.leader;
    say("failover-start", "failover-start", `epoch ${epoch}`, from);
    say("elected", "elected", `${this.name} leads the failover of epoch ${epoch}`, from);
    chosen.promote();
    say("promoted", "promoted", `${chosen.name} promoted at offset ${chosen.offset}`, chosen.name);
    for (const m of [this, ...peers]) {
      m.epoch = epoch;
      m.leader = chosen.name;
      m.lastOk = w.now;
      m.sdown = m.odown = m.aborted = false;
    }
    w.emit({
      manager: this.name,
      event: "leader-switch",
      kind: "leader-switch",
      text: `${from} ${chosen.name}`,
      node: chosen.name,
    });
  }

  private reconfigure(
    w: ManagerWorld,
    say: (event: string, kind: string, text: string, node?: string) => void,
  ): void {
    for (const n of w.nodes) {
      if (n.name === this.leader || !n.answers || !w.network.roundTrip(this.name, n.name)) continue;
      if (n.role === "leader") {
        n.follow(this.leader);
        say("demoted", "demoted", `${n.name} now follows ${this.leader}`, n.name);
      } else if (n.leaderOf !== this.leader) {
        n.follow(this.leader);
      }
    }
  }
}
