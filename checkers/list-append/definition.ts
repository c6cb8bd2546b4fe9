/** The `list-append` checker as the registry lists it: JSON options, validated by the registry. */
import { budgetOptionSpecs } from "../core/definition.js";
import type { CheckerDefinition } from "../core/definition.js";
import { checkListAppend } from "./check.js";
import { CONSISTENCY_MODELS } from "./models.js";
import type { ListAppendOptions } from "./types.js";

/** The `list-append` checker (`faultline check --checker list-append`, `config.json` `checkers[].name`). */
export const listAppendChecker: CheckerDefinition<Required<Omit<ListAppendOptions, "now">>> = {
  name: "list-append",
  description:
    "Elle-style transactional anomalies (G0, G1a/b/c, G-single, G-nonadjacent, G2-item, their process and realtime " +
    "variants, lost updates, incompatible orders, duplicates, internal) over f txn: value = " +
    '[["append", k, e] | ["r", k, list]]',
  defaultOptions: {
    model: "strict-serializable",
    anomalies: null,
    timeLimitMs: null,
    maxOps: null,
    maxSearchSteps: null,
    maxWitnesses: 8,
  },
  optionSpecs: {
    model: {
      type: "string",
      values: CONSISTENCY_MODELS,
      description:
        "the consistency model the history must satisfy; anomalies it allows do not make it invalid",
    },
    anomalies: {
      type: "string[]",
      nullable: true,
      description: "if set, exactly these anomaly kinds make the history invalid (overrides model)",
    },
    maxSearchSteps: {
      type: "integer",
      nullable: true,
      min: 0,
      description: "cap on cycle-search steps (null: 20,000,000); past it, unfinished searches are listed",
    },
    maxWitnesses: {
      type: "integer",
      min: 1,
      description: "at most this many explained anomalies per kind (all are counted)",
    },
    ...budgetOptionSpecs,
  },
  check: (history, options, context) => checkListAppend(history, { ...options, now: context.now }),
};
