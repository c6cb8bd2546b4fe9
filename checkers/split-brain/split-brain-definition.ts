import { budgetOptionSpecs } from "../core/definition.js";
import type { CheckerDefinition } from "../core/definition.js";
import { checkSplitBrain } from "./check-split-brain.js";
import type { SplitBrainOptions } from "./split-brain-result.js";

/** The `split-brain` checker as the registry lists it. */
export const splitBrainChecker: CheckerDefinition<Omit<SplitBrainOptions, "now">> = {
  name: "split-brain",
  description:
    "two nodes acknowledging writes as leader at overlapping times, from the ok writes' node and the monitor's " +
    "leader reports (process monitor, f leader, value = node)",
  defaultOptions: {
    writeFs: ["write", "add", "append", "incr", "put", "set", "cas", "txn"],
    leaderF: "leader",
    monitorLagMs: 2000,
    timeLimitMs: null,
    maxOps: null,
  },
  optionSpecs: {
    writeFs: { type: "string[]", description: "the fs of writes whose ok names the acknowledging node" },
    leaderF: { type: "string", description: "the f of the monitor's leader reports" },
    monitorLagMs: {
      type: "number",
      min: 0,
      description: "how late the monitor may report a leader change (ms)",
    },
    ...budgetOptionSpecs,
  },
  check: (history, options, context) => checkSplitBrain(history, { ...options, now: context.now }),
};
