import { budgetOptionSpecs } from "../core/definition.js";
import type { CheckerDefinition } from "../core/definition.js";
import { checkSet } from "./check-set.js";
import type { SetOptions } from "./set-result.js";

/** The `set` checker as the registry lists it. */
export const setChecker: CheckerDefinition<Omit<SetOptions, "now">> = {
  name: "set",
  description:
    "Jepsen's set: acknowledged adds missing from the final read are lost; also unexpected, failed-but-present " +
    "and duplicated elements (f add: value = element; f read: ok value = array of elements)",
  defaultOptions: { addF: "add", readF: "read", timeLimitMs: null, maxOps: null },
  optionSpecs: {
    addF: { type: "string", description: "the f of adds" },
    readF: { type: "string", description: "the f of reads" },
    ...budgetOptionSpecs,
  },
  check: (history, options, context) => checkSet(history, { ...options, now: context.now }),
};
