import { OutOfBudget, startBudget } from "../core/budget.js";
import { requireComplete } from "../core/completeness.js";
import type { Budget } from "../core/budget.js";
import { countOutcomes } from "../core/outcome-counts.js";
import type { History } from "../history/op.js";
import { pairOps } from "../history/pair-ops.js";
import type { PairedOp } from "../history/pair-ops.js";
import { explainViolations } from "./explain-staleness.js";
import { ContractError, KeyWrites, version } from "./key-writes.js";
import { StatsCollector } from "./staleness-stats.js";
import type {
  SessionViolation,
  StalenessDetails,
  StalenessOptions,
  StalenessResult,
} from "./staleness-result.js";

/** What a session has seen of one key: the floor its earlier reads and its own writes set. */
interface Floor {
  /** Highest invoke index of the write of a version this session read, and that read. */
  readInv: number;
  read?: { op: number; version: number };
  /** Highest invoke index of this session's acknowledged writes, and that write. */
  ownInv: number;
  own?: { op: number; version: number };
}

/**
 * Session guarantees and staleness for reads served by followers.
 *
 * **Workload contract.** `write` ops (`options.writeF`) carry a `key` and, as `value`, an integer version ≥ 1,
 * written once per key and increasing in real-time order (a write invoked after another write to the key was
 * acknowledged writes a higher version: one writer per key counting 1, 2, 3, … through the leader does this).
 * `read` ops (`options.readF`) carry the `key`; the `ok` value is the version read, or `null` when the key has
 * none yet (version 0); `node` names the node that served the read. A client process is a session (after an
 * `info` it is retired and its successor is a new session). Breaking the contract gives `unknown` with the reason.
 *
 * **Order of versions.** Version a certainly precedes version b when a's write was acknowledged before b's write
 * was invoked (version 0 precedes all). Only such certain order is used for violations, so writes of unknown
 * outcome, or concurrent ones, never cause a false alarm.
 *
 * **Checks** (per session and key; invalid when broken, each one explained):
 * - *monotonic reads*: a read never returns a version that certainly precedes a version an earlier read of the
 *   session returned;
 * - *read-your-writes*: a read never returns a version that certainly precedes the session's own acknowledged write;
 * - *unwritten read*: a read returns a version whose write was never invoked before the read completed, or failed.
 *
 * **Staleness** of every read, overall and per node: *versions behind* = the newest version acknowledged before the
 * read was invoked, minus the version read (at least 0; the number of acknowledged writes it missed when versions
 * count 1, 2, 3, …); *time stale* = how long before the read was invoked the version it returned had been superseded
 * by an acknowledged write (0 if it had not). Reported as quantiles; with `maxVersionsBehind` / `maxStalenessMs` a
 * read beyond the bound is a `staleness-bound` violation.
 *
 * @example
 * const r = checkStaleness(history, { maxVersionsBehind: 10 });
 * console.log(r.overall.versionsBehind.p99, r.byNode.n2?.stalenessMs.max);
 */
export function checkStaleness(history: History, options: StalenessOptions = {}): StalenessResult {
  try {
    return requireComplete(history, judge(pairOps(history), options, startBudget(options, history.length)));
  } catch (err) {
    if (err instanceof OutOfBudget) return { valid: "unknown", reason: err.reason, ...emptyDetails() };
    throw err;
  }
}

function judge(ops: PairedOp[], options: StalenessOptions, budget: Budget): StalenessResult {
  const writeF = options.writeF ?? "write";
  const readF = options.readF ?? "read";
  const details = emptyDetails();
  details.counts = countOutcomes(ops);
  const client = ops.filter((o) => typeof o.process === "number" && (o.f === writeF || o.f === readF));
  const writesByKey = new Map<string, PairedOp[]>();
  for (const o of client) {
    if (o.f !== writeF) continue;
    const list = writesByKey.get(o.key ?? "");
    if (list) list.push(o);
    else writesByKey.set(o.key ?? "", [o]);
  }
  const keys = new Map<string, KeyWrites>();
  try {
    for (const [key, writes] of writesByKey) keys.set(key, new KeyWrites(key, writes));
  } catch (err) {
    if (err instanceof ContractError) return { valid: "unknown", reason: err.message, ...details };
    throw err;
  }

  const floors = new Map<number, Map<string, Floor>>();
  const sessions = new Set<number>();
  const stats = new StatsCollector();
  const violations: SessionViolation[] = [];
  for (const o of client) {
    budget.tick("checking sessions");
    const key = o.key ?? "";
    let session = floors.get(o.process as number);
    if (!session) floors.set(o.process as number, (session = new Map()));
    let floor = session.get(key);
    if (!floor) session.set(key, (floor = { readInv: -1, ownInv: -1 }));
    if (o.f === writeF) {
      if (o.type === "ok" && o.start > floor.ownInv) {
        floor.ownInv = o.start;
        floor.own = { op: o.start, version: version(o) };
      }
      continue;
    }
    if (o.type !== "ok") continue;
    const v = o.value === null ? 0 : o.value;
    if (typeof v !== "number" || !Number.isSafeInteger(v) || v < 0) {
      const got = JSON.stringify(o.value) ?? "nothing";
      return {
        valid: "unknown",
        reason: `op ${o.end}: a read's ok value must be a version ≥ 1 or null, got ${got}`,
        ...details,
      };
    }
    sessions.add(o.process as number);
    const writes = keys.get(key);
    const write = v === 0 ? undefined : writes?.byVersion.get(v);
    if (v !== 0 && (!write || write.start > o.end || write.type === "fail")) {
      violations.push({ kind: "unwritten-read", ...readAt(o, key, v) });
      continue;
    }
    const writeEnd = write ? write.end : -1;
    const writeStart = write ? write.start : -1;
    if ((options.monotonicReads ?? true) && writeEnd < floor.readInv) {
      violations.push({ kind: "monotonic-reads", ...readAt(o, key, v), earlier: floor.read });
    }
    if ((options.readYourWrites ?? true) && writeEnd < floor.ownInv) {
      violations.push({ kind: "read-your-writes", ...readAt(o, key, v), earlier: floor.own });
    }
    if (writeStart > floor.readInv) {
      floor.readInv = writeStart;
      floor.read = { op: o.start, version: v };
    }
    const behind = writes ? Math.max(0, writes.newestAckedBefore(o.start) - v) : 0;
    const newer = writes?.firstAckNewerThan(v);
    const staleNs = newer && newer.end < o.start ? Math.max(0, o.startTime - newer.endTime) : 0;
    stats.add(o.node, behind, staleNs / 1e6);
    const tooFar = options.maxVersionsBehind != null && behind > options.maxVersionsBehind;
    const tooOld = options.maxStalenessMs != null && staleNs / 1e6 > options.maxStalenessMs;
    if (tooFar || tooOld) {
      violations.push({
        kind: "staleness-bound",
        ...readAt(o, key, v),
        versionsBehind: behind,
        stalenessMs: staleNs / 1e6,
      });
    }
  }

  details.keyCount = new Set(client.map((o) => o.key ?? "")).size;
  details.sessionCount = sessions.size;
  const summary = stats.summary();
  details.overall = summary.overall;
  details.byNode = summary.byNode;
  details.violations = violations;
  details.monotonicReadViolations = violations.filter((x) => x.kind === "monotonic-reads").length;
  details.readYourWritesViolations = violations.filter((x) => x.kind === "read-your-writes").length;
  details.unwrittenReads = violations.filter((x) => x.kind === "unwritten-read").length;
  details.boundViolations = violations.filter((x) => x.kind === "staleness-bound").length;
  const anomalies = explainViolations(violations, options);
  return anomalies.length > 0 ? { valid: false, anomalies, ...details } : { valid: true, ...details };
}

/** The read as a violation names it (built only when there is one). */
function readAt(o: PairedOp, key: string, version: number): Omit<SessionViolation, "kind"> {
  const base = { key, process: o.process as number, op: o.start, time: o.startTime, version };
  return o.node === undefined ? base : { ...base, node: o.node };
}

function emptyDetails(): StalenessDetails {
  const summary = new StatsCollector().summary();
  return {
    counts: {},
    keyCount: 0,
    sessionCount: 0,
    overall: summary.overall,
    byNode: {},
    violations: [],
    monotonicReadViolations: 0,
    readYourWritesViolations: 0,
    unwrittenReads: 0,
    boundViolations: 0,
  };
}
