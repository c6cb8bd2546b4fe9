import { budgetOptionSpecs } from "../core/definition.js";
import type { CheckerDefinition } from "../core/definition.js";
import { checkStaleness } from "./check-staleness.js";
import type { StalenessOptions } from "./staleness-result.js";

/** The `staleness` checker (session guarantees and staleness of follower reads) as the registry lists it. */
export const stalenessChecker: CheckerDefinition<Omit<StalenessOptions, "now">> = {
  name: "staleness",
  description:
    "session guarantees (monotonic reads, read-your-writes) and staleness of follower reads, in versions and ms, " +
    "per node (f write: key + integer version; f read: key, ok value = version or null, node)",
  defaultOptions: {
    writeF: "write",
    readF: "read",
    monotonicReads: true,
    readYourWrites: true,
    maxVersionsBehind: null,
    maxStalenessMs: null,
    timeLimitMs: null,
    maxOps: null,
  },
  optionSpecs: {
    writeF: { type: "string", description: "the f of writes" },
    readF: { type: "string", description: "the f of reads" },
    monotonicReads: { type: "boolean", description: "check per-session monotonic reads" },
    readYourWrites: { type: "boolean", description: "check per-session read-your-writes" },
    maxVersionsBehind: {
      type: "integer",
      nullable: true,
      min: 0,
      description: "a read more versions behind than this is an anomaly (null: only measured)",
    },
    maxStalenessMs: {
      type: "number",
      nullable: true,
      min: 0,
      description: "a read stale by more ms than this is an anomaly (null: only measured)",
    },
    ...budgetOptionSpecs,
  },
  check: (history, options, context) => checkStaleness(history, { ...options, now: context.now }),
};
