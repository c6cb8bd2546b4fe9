/**
 * The store-neutral value of a `failover-evidence` monitor op: for one failover, what the failover managers saw
 * when one of them declared a leader down, what the harness saw of that leader itself, and what the proxy did on
 * the links between them, with a one-line explanation the report prints. Each store's monitor fills it in its
 * own words' place (the first store's monitor reads its managers' own status and events).
 */

/**
 * Why the leader was declared down, as far as the harness can tell:
 * - `leader-down`: the harness could not reach the leader either (killed, not running), or it answered only as a
 *   process started after the manager's last answer from it (killed and restarted meanwhile);
 * - `leader-unreachable`: the leader's process was there but did not answer the harness in time (paused, stalled);
 * - `link-fault`: the leader answered the harness, and the proxy had a fault on the manager's link to it;
 * - `manager-reconnect`: the leader answered, no link fault, and the manager declared it down within its
 *   reconnect period after it switched to it (the manager had not reconnected yet: a store behaviour);
 * - `unexplained`: the leader answered and nothing the harness saw explains it.
 */
export type FailoverCause =
  "leader-down" | "leader-unreachable" | "link-fault" | "manager-reconnect" | "unexplained";

/** One failover manager's view of the leader when the failover started. */
export interface ManagerView {
  /** The leader this manager watches (`null` if it did not say). */
  watching: string | null;
  /** It suspects that leader down (a manager's own "subjectively down"). */
  suspectsDown: boolean;
  /** It agrees with others that it is down (a manager's "objectively down": a quorum agrees). */
  agreesDown: boolean;
  /** How long ago its last successful check (ping) of the leader was, in ms. */
  lastOkCheckMsAgo: number | null;
  /** How long its oldest unanswered check has been waiting, in ms (0 or `null`: none waiting). */
  checkPendingMs: number | null;
  /** How long without an answer it waits before suspecting the leader down, in ms. */
  downAfterMs: number | null;
  /** How long before the failover started it switched to this leader, by the harness's clock; `null`: not seen. */
  switchedToLeaderMsBefore: number | null;
  /** The peers whose last answer, as this manager holds it, said the leader is down. */
  peersSayDown: string[];
  /** Why the manager could not be asked. */
  error?: string;
}

/** What the proxy showed of the links from the manager that started the failover to the leader. */
export interface ProxyLinkView {
  /** Faults in effect on any link when the failover started, in words (empty: none). */
  faults: string[];
  /** Faults among them on the manager's links to the leader. */
  faultsOnLink: string[];
  /** Live proxied connections from the manager to the leader when it was asked (`null`: the proxy cannot list them). */
  connections: number | null;
  /** How long ago the oldest of them opened, in ms (`null` when none or unknown). */
  oldestConnectionMsAgo: number | null;
  /** Proxy changes (toxics, disabled proxies) in the 5 s before, in words (empty: none). */
  recentChanges: string[];
}

/** The harness's own check of the leader, over its direct connection (never through the proxy). */
export interface LeaderCheck {
  answered: boolean;
  /** Round trip of the check, or how long it waited before giving up, in ms. */
  ms: number;
  /** How long the leader's process had been up, in whole seconds, when it answered (a restart resets it). */
  upSeconds?: number;
  error?: string;
}

/** The value of a `failover-evidence` monitor op. */
export interface FailoverEvidence {
  /** The store's number for this failover (its epoch or term), or `null`. */
  term: number | null;
  /** The failover manager that started it. */
  manager: string;
  /** The leader it declared down. */
  leader: string;
  /** From the manager's suspecting the leader down to its agreeing with a quorum, in ms (`null`: not seen). */
  agreedDownMsAfterSuspecting: number | null;
  /** The quorum it reported (`"3/2"`: 3 said down, 2 needed), when it said. */
  quorum: string | null;
  /** Every manager's view, by name. */
  managers: Record<string, ManagerView>;
  /** Who each manager voted for in this term (`null`: no vote seen). */
  votes: Record<string, string | null>;
  leaderCheck: LeaderCheck;
  /** `null` without a proxy (`--network direct`). */
  proxy: ProxyLinkView | null;
  cause: FailoverCause;
  /** One line for the report. */
  explanation: string;
}
