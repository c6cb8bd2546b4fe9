import { budgetOptionSpecs } from "../core/definition.js";
import type { CheckerDefinition } from "../core/definition.js";
import { checkSetFull } from "./check-set-full.js";
import type { SetFullOptions } from "./set-full-result.js";

/** The `set-full` checker as the registry lists it. */
export const setFullChecker: CheckerDefinition<Omit<SetFullOptions, "now">> = {
  name: "set-full",
  description:
    "Jepsen's set-full over every read: per element stable / lost / never-read, stale reads, visibility latency, " +
    "duplicates, failed adds that show up (f add: value = element; f read: ok value = array of elements)",
  defaultOptions: {
    addF: "add",
    readF: "read",
    linearizable: false,
    elementDetails: false,
    timeLimitMs: null,
    maxOps: null,
  },
  optionSpecs: {
    addF: { type: "string", description: "the f of adds" },
    readF: { type: "string", description: "the f of reads" },
    linearizable: { type: "boolean", description: "make stale reads invalid (Jepsen's :linearizable?)" },
    elementDetails: { type: "boolean", description: "include a record for every element in the result" },
    ...budgetOptionSpecs,
  },
  check: (history, options, context) => checkSetFull(history, { ...options, now: context.now }),
};
