import type { FailoverCause, FailoverEvidence } from "../../failover-evidence.js";

/**
 * How often a Sentinel may open a new link to an instance (`sentinelReconnectInstance` returns early while
 * `now - last_reconn_time < ping-period`, 1000 ms unless `SENTINEL DEBUG ping-period` changed it).
 */
export const SENTINEL_RECONNECT_PERIOD_MS = 1000;

/** Slack on top of down-after + the reconnect period for the timer tick (10–19 Hz) and a loaded machine. */
const RECONNECT_SLACK_MS = 500;

/** The evidence before it is explained. */
export type UnexplainedEvidence = Omit<FailoverEvidence, "cause" | "explanation">;

/**
 * Explains why a Sentinel declared a leader down, from what the monitor gathered (see `FailoverCause`):
 * the harness's own check of the leader first (a dead, stalled or just restarted leader explains itself), then faults on the
 * proxy's links from the Sentinel to it, then Sentinel's reconnect race after a `+switch-master`:
 * `sentinelResetMaster` restarts the down-after clock at the switch (`act_ping_time = now`) and closes the
 * links, but `sentinelReconnectInstance` opens new ones at most once per ping-period (1 s) after the last attempt
 * — at the old leader, dead and retried every second — so with `down-after-milliseconds` ≤ about 1 s the first
 * PING can come too late and the new leader, alive, is marked `+sdown`. The reset also keeps the peers'
 * `master_down` answers about the old leader (dropped only after 5 s) and clears the failover delay, so the same
 * Sentinel reaches `+odown` and starts a failover at once (redis/redis#8607 and #2370 report the pattern).
 *
 * @example
 * explainFailover(evidence).cause; // "manager-reconnect"
 */
export function explainFailover(
  e: UnexplainedEvidence,
  reconnectPeriodMs: number = SENTINEL_RECONNECT_PERIOD_MS,
): { cause: FailoverCause; explanation: string } {
  const who = `${e.manager} declared ${e.leader} down${e.term !== null ? ` (epoch ${e.term})` : ""}`;
  const check = e.leaderCheck;
  if (!check.answered) {
    const stalled = /timed? ?out/i.test(check.error ?? "");
    return {
      cause: stalled ? "leader-unreachable" : "leader-down",
      explanation: stalled
        ? `${who}: ${e.leader} did not answer the harness within ${check.ms} ms either (stalled or paused)`
        : `${who}: ${e.leader} was down (the harness could not reach it either: ${check.error ?? "no answer"})`,
    };
  }
  const view = e.managers[e.manager];
  const lastOk = view?.lastOkCheckMsAgo ?? null;
  if (check.upSeconds !== undefined && lastOk !== null && check.upSeconds * 1000 < lastOk) {
    return {
      cause: "leader-down",
      explanation:
        `${who}: ${e.leader} had been down: it answered the harness only as a new process (up ${check.upSeconds} s), ` +
        `and ${e.manager}'s last answer from it was ${lastOk} ms before`,
    };
  }
  const answered = `${e.leader} answered the harness in ${check.ms} ms`;
  if (e.proxy && e.proxy.faultsOnLink.length > 0) {
    return {
      cause: "link-fault",
      explanation: `${who}: ${answered}, but the proxy had ${e.proxy.faultsOnLink.join("; ")} on ${e.manager}'s link to it`,
    };
  }
  const noFault = e.proxy ? `, the proxy had no fault on ${e.manager}→${e.leader}` : "";
  const switched = view?.switchedToLeaderMsBefore ?? null;
  const downAfter = view?.downAfterMs ?? null;
  if (
    switched !== null &&
    downAfter !== null &&
    switched <= downAfter + reconnectPeriodMs + RECONNECT_SLACK_MS
  ) {
    const conns =
      e.proxy?.connections === 0
        ? ` and ${e.manager} had no connection open to it through the proxy`
        : e.proxy?.oldestConnectionMsAgo != null && e.proxy.oldestConnectionMsAgo < RECONNECT_SLACK_MS
          ? ` and ${e.manager}'s connections to it through the proxy had opened only ${e.proxy.oldestConnectionMsAgo} ms before the harness looked`
          : "";
    const quick =
      e.agreedDownMsAfterSuspecting !== null && e.agreedDownMsAfterSuspecting < 50 && e.quorum !== null
        ? `; its peers' "down" answers about the previous leader (kept up to 5 s) gave +odown ${e.quorum} at once`
        : "";
    return {
      cause: "manager-reconnect",
      explanation:
        `${who} though it was up: ${answered}${noFault}${conns}. ${e.manager} had switched to ${e.leader} ` +
        `${switched} ms before, with down-after ${downAfter} ms: Sentinel restarts the down-after clock at the ` +
        `switch but reconnects at most once per ${reconnectPeriodMs} ms after its last try at the old leader ` +
        `(a Sentinel behaviour, redis/redis#8607)${quick}`,
    };
  }
  return {
    cause: "unexplained",
    explanation: `${who} though it was up: ${answered}${noFault}; nothing the harness saw explains it`,
  };
}
