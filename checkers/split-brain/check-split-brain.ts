import { OutOfBudget, startBudget } from "../core/budget.js";
import { requireComplete } from "../core/completeness.js";
import type { Budget } from "../core/budget.js";
import { countOutcomes } from "../core/outcome-counts.js";
import type { History } from "../history/op.js";
import { pairOps } from "../history/pair-ops.js";
import type { PairedOp } from "../history/pair-ops.js";
import { explainEpisode } from "./explain-split-brain.js";
import { LeaderReports, ReportError, lowerBound } from "./leader-reports.js";
import type {
  SplitBrainDetails,
  SplitBrainEpisode,
  SplitBrainOptions,
  SplitBrainResult,
} from "./split-brain-result.js";

const DEFAULT_WRITE_FS = ["write", "add", "append", "incr", "put", "set", "cas", "txn"];

/**
 * Split brain: two nodes acknowledging writes as leader at overlapping times. Contract: acknowledged (`ok`) client
 * writes (`options.writeFs`) name the node that acknowledged them in `node`; the monitor (`process: "monitor"`)
 * reports leaders with `f: "leader"` (`options.leaderF`) and the node's name as `value` (`null`: unknown).
 *
 * Two patterns, both sound up to the monitor's reporting delay (`monitorLagMs`):
 * - **non-leader-ack**: node A acknowledged a write invoked after the monitor had named another node leader, and
 *   the monitor did not name A leader before that write completed (plus the lag). Typically the old leader kept
 *   accepting writes after a failover — the classic split brain of asynchronous replication.
 * - **leaders-alternate**: A acknowledged write x, then B acknowledged write y that began after x completed, then A
 *   acknowledged write z that began after y completed (real-time order), and the monitor did not name A leader
 *   between y's invoke and z's completion (plus the lag). Without any leader report in the history a failback
 *   (A → B → A) cannot be told from split brain: such alternations are listed in `unverified` and the verdict is
 *   `unknown`.
 *
 * Both rest on two assumptions about the monitor, true of faultline's (it polls the failover managers every 200 ms and
 * records each change): it reports a leader change within `monitorLagMs`, and it sees every leader (no leadership is
 * shorter than its polling interval; failovers take seconds). Episodes group consecutive offending acks of
 * one node against the same evidence.
 *
 * @example
 * const r = checkSplitBrain(history, { monitorLagMs: 1000 });
 * for (const e of r.episodes) console.log(e.node, e.otherNode, e.from.time, e.to.time);
 */
export function checkSplitBrain(history: History, options: SplitBrainOptions = {}): SplitBrainResult {
  try {
    return requireComplete(history, judge(pairOps(history), options, startBudget(options, history.length)));
  } catch (err) {
    if (err instanceof OutOfBudget) return { valid: "unknown", reason: err.reason, ...emptyDetails() };
    throw err;
  }
}

function judge(ops: PairedOp[], options: SplitBrainOptions, budget: Budget): SplitBrainResult {
  const writeFs = new Set(options.writeFs ?? DEFAULT_WRITE_FS);
  const lagNs = (options.monitorLagMs ?? 2000) * 1e6;
  const details = emptyDetails();
  details.counts = countOutcomes(ops);
  let reports: LeaderReports;
  try {
    reports = new LeaderReports(ops, options.leaderF ?? "leader");
  } catch (err) {
    if (err instanceof ReportError) return { valid: "unknown", reason: err.message, ...details };
    throw err;
  }
  details.leaderReports = reports.all;
  const acks: PairedOp[] = [];
  for (const o of ops) {
    if (typeof o.process !== "number" || o.type !== "ok" || !writeFs.has(o.f)) continue;
    if (o.node === undefined) details.acksWithoutNode++;
    else acks.push(o);
  }
  details.ackCount = acks.length;
  const byNode = new Map<string, PairedOp[]>();
  for (const a of acks) {
    const list = byNode.get(a.node!);
    if (list) list.push(a);
    else byNode.set(a.node!, [a]);
  }
  const endsByNode = new Map<string, number[]>();
  for (const [node, list] of byNode) {
    list.sort((a, b) => a.end - b.end);
    endsByNode.set(
      node,
      list.map((x) => x.end),
    );
  }
  details.nodes = [...byNode.keys()].sort();

  const byEnd = [...acks].sort((a, b) => a.end - b.end);
  const latestStart = new Map<string, PairedOp>();
  let next = 0;
  const episodes: SplitBrainEpisode[] = [];
  const unverified: SplitBrainEpisode[] = [];
  for (const z of acks) {
    budget.tick("checking acknowledgements");
    const a = z.node!;
    while (next < byEnd.length && byEnd[next].end < z.start) {
      const y = byEnd[next++];
      const best = latestStart.get(y.node!);
      if (!best || y.start > best.start) latestStart.set(y.node!, y);
    }
    const until = z.endTime + lagNs;
    const m = reports.latestBefore(z.start);
    if (m && m.node !== null && m.node !== a && !reports.namesLater(a, z.start, until)) {
      extend(
        episodes,
        { pattern: "non-leader-ack", node: a, otherNode: m.node, monitorReport: m },
        z,
        `${m.op}`,
      );
      continue;
    }
    let y: PairedOp | undefined;
    for (const [node, cand] of latestStart) if (node !== a && (!y || cand.start > y.start)) y = cand;
    if (!y) continue;
    const mine = byNode.get(a)!;
    const xi = lowerBound(endsByNode.get(a)!, y.start);
    if (xi === 0) continue;
    const x = mine[xi - 1];
    if (reports.all.length > 0 && reports.namesLater(a, y.start, until)) continue;
    const episode: Omit<SplitBrainEpisode, "ops" | "from" | "to"> = {
      pattern: "leaders-alternate",
      node: a,
      otherNode: y.node!,
      otherAck: { op: y.start, time: y.startTime },
      earlierAck: { op: x.end, time: x.endTime },
    };
    extend(reports.all.length > 0 ? episodes : unverified, episode, z, `${y.start}`);
  }
  details.episodes = episodes.sort((p, q) => p.from.op - q.from.op);
  details.unverified = unverified;
  if (episodes.length > 0) return { valid: false, anomalies: episodes.map(explainEpisode), ...details };
  if (unverified.length > 0) {
    const u = unverified[0];
    return {
      valid: "unknown",
      reason:
        `${u.node} and ${u.otherNode} took turns acknowledging writes (${unverified.length} episode(s), first at op ` +
        `${u.from.op}), but the history has no monitor leader reports to tell a failback from split brain`,
      ...details,
    };
  }
  return { valid: true, ...details };
}

/** Adds ack z to the last episode when it has the same pattern, node and evidence, else starts a new one. */
function extend(
  list: SplitBrainEpisode[],
  base: Omit<SplitBrainEpisode, "ops" | "from" | "to">,
  z: PairedOp,
  evidence: string,
): void {
  const last = list[list.length - 1] as (SplitBrainEpisode & { evidence?: string }) | undefined;
  const key = `${base.pattern}\u0000${base.node}\u0000${evidence}`;
  const keyOf = (e: SplitBrainEpisode): string =>
    `${e.pattern}\u0000${e.node}\u0000${e.monitorReport?.op ?? e.otherAck?.op}`;
  if (last && keyOf(last) === key) {
    last.ops.push(z.start);
    if (z.end > last.to.op) last.to = { op: z.end, time: z.endTime };
    return;
  }
  list.push({
    ...base,
    ops: [z.start],
    from: { op: z.start, time: z.startTime },
    to: { op: z.end, time: z.endTime },
  });
}

function emptyDetails(): SplitBrainDetails {
  return {
    counts: {},
    ackCount: 0,
    acksWithoutNode: 0,
    nodes: [],
    leaderReports: [],
    episodes: [],
    unverified: [],
  };
}
