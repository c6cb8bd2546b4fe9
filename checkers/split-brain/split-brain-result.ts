import type { BudgetOptions } from "../core/budget.js";
import type { OutcomeCount } from "../core/outcome-counts.js";
import type { CheckResult } from "../core/result.js";

/** Options of {@link checkSplitBrain}. */
export interface SplitBrainOptions extends BudgetOptions {
  /** The `f`s of writes whose `ok` completion names the acknowledging `node`. */
  writeFs?: string[];
  /** The `f` of the monitor's leader reports (default `leader`). */
  leaderF?: string;
  /**
   * How late the monitor may report a leader change (ms, default 2000): a node's acks are not held against it if the
   * monitor names it leader within this long after them.
   */
  monitorLagMs?: number;
}

/** A point in the history. */
export interface Point {
  op: number;
  /** ns since the run started. */
  time: number;
}

/** A leader report of the monitor. */
export interface LeaderReport extends Point {
  /** The node named leader, or null when the monitor could not tell. */
  node: string | null;
}

/**
 * A stretch of time in which `node` acknowledged writes while another node was leader:
 * - `non-leader-ack`: the monitor had named `otherNode` leader before these writes were invoked, and did not name
 *   `node` leader by the time they completed (plus the monitor's lag);
 * - `leaders-alternate`: `otherNode` acknowledged a write (`otherAck`) that began after `node` had acknowledged
 *   one (`earlierAck`), and `node` then acknowledged these, with no monitor report of `node` becoming leader again.
 */
export interface SplitBrainEpisode {
  pattern: "non-leader-ack" | "leaders-alternate";
  node: string;
  otherNode: string;
  /** The offending acks: invoke indices, and the span from the first invoke to the last completion. */
  ops: number[];
  from: Point;
  to: Point;
  monitorReport?: LeaderReport;
  otherAck?: Point;
  earlierAck?: Point;
}

/** What {@link checkSplitBrain} reports besides the verdict. */
export interface SplitBrainDetails {
  counts: Record<string, OutcomeCount>;
  /** Acknowledged writes that name their node, and those that do not (not judged). */
  ackCount: number;
  acksWithoutNode: number;
  /** Nodes that acknowledged writes, sorted. */
  nodes: string[];
  /** The monitor's leader reports, in history order. */
  leaderReports: LeaderReport[];
  episodes: SplitBrainEpisode[];
  /** Alternations that could not be judged because the history has no leader reports. */
  unverified: SplitBrainEpisode[];
}

/** The result of {@link checkSplitBrain}. */
export type SplitBrainResult = CheckResult<SplitBrainDetails>;
