/**
 * The `linearizable` checker as the registry lists it.
 */
import { budgetOptionSpecs } from "../core/definition.js";
import type { CheckerDefinition } from "../core/definition.js";
import { checkLinearizable } from "./check.js";
import { models } from "./models.js";
import type { ModelName } from "./models.js";

/** The registry's options of `linearizable`: JSON-friendly (`null` = no limit). */
export interface LinearizableCheckerOptions {
  model: ModelName;
  timeLimitMs: number | null;
  maxOps: number | null;
  maxCacheBytes: number | null;
}

/** `linearizable`: Wing–Gong/Lowe search per key with a model (`--checker linearizable`, option `model`). */
export const linearizableChecker: CheckerDefinition<LinearizableCheckerOptions> = {
  name: "linearizable",
  description:
    "linearizability per key (Wing–Gong/Lowe search, P-compositional) under a model: register (read/write), " +
    "cas-register (read/write/cas [expected, new]), kv (get/put/append strings), set (add/read), counter " +
    "(incr/add/read); an invalid result names the op that cannot be linearized and the longest linearizable prefix",
  defaultOptions: { model: "cas-register", timeLimitMs: null, maxOps: null, maxCacheBytes: null },
  optionSpecs: {
    model: {
      type: "string",
      values: Object.keys(models),
      description: "the sequential specification each key must follow",
    },
    maxCacheBytes: {
      type: "integer",
      nullable: true,
      min: 1,
      description:
        "memory budget in bytes of one key's search (null: 1 GiB); exceeding it gives valid: unknown",
    },
    ...budgetOptionSpecs,
  },
  check: (history, options, context) => checkLinearizable(history, { ...options, now: context.now }),
};
