import { budgetOptionSpecs } from "../core/definition.js";
import type { CheckerDefinition } from "../core/definition.js";
import { checkCounter } from "./check-counter.js";
import type { CounterOptions } from "./counter-result.js";

/** The `counter` checker as the registry lists it. */
export const counterChecker: CheckerDefinition<Omit<CounterOptions, "now">> = {
  name: "counter",
  description:
    "Jepsen's counter: every read within [acknowledged adds before it began, adds that may have applied by its " +
    "end], negative deltas included (f add/incr: value = integer delta; f read: ok value = the count)",
  defaultOptions: { addFs: ["add", "incr"], readF: "read", initial: 0, timeLimitMs: null, maxOps: null },
  optionSpecs: {
    addFs: { type: "string[]", description: "the fs that add their value to the counter" },
    readF: { type: "string", description: "the f of reads" },
    initial: { type: "integer", description: "the counter's value before any add" },
    ...budgetOptionSpecs,
  },
  check: (history, options, context) => checkCounter(history, { ...options, now: context.now }),
};
